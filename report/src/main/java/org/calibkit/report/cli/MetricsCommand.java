package org.calibkit.report.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code calibkit metrics}: placeholder until its issue lands; fails loudly rather than pretending. */
@Command(name = "metrics", description = "(not built yet)")
public final class MetricsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'calibkit metrics' is not built yet");
    }
}
