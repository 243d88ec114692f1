package org.calibkit.report.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code calibkit train}: placeholder until its issue lands; fails loudly rather than pretending. */
@Command(name = "train", description = "(not built yet)")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'calibkit train' is not built yet");
    }
}
