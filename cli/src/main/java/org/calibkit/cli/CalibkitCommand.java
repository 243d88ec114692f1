package org.calibkit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the subcommands that run a job share: their picocli spec, progress lines on stderr
 * (flushed line by line, so a CI log shows them as they come), results on stdout, and usage
 * errors that {@link Main} prints as one line with exit code 2.
 */
abstract class CalibkitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Each line on stderr, flushed. */
    final Consumer<String> progress() {
        PrintWriter err = err();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** {@code text} on stdout as it is, flushed. */
    final void print(String text) {
        PrintWriter out = out();
        out.print(text);
        out.flush();
    }

    /** {@code line} and a line break on stdout, flushed. */
    final void println(String line) {
        PrintWriter out = out();
        out.println(line);
        out.flush();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A command line that does not fit together: one line and exit code 2. */
    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
