package org.calibkit.report.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code calibkit data}: placeholder until its issue lands; fails loudly rather than pretending. */
@Command(name = "data", description = "(not built yet)")
public final class DataCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'calibkit data' is not built yet");
    }
}
