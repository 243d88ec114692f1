package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.calibkit.cli.demo.Demo;
import org.calibkit.report.terminal.TerminalSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code calibkit demo}: parses options and runs {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What calibkit is for, in one command: fetch and verify MNIST, train the default CNN "
                + "(reused on later runs), calibrate it on the validation split, audit it against blank images, "
                + "noise, unscaled pixels, letters, other digits and rotations, and write demo-report/index.html "
                + "and demo-report/report.json."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist, fashion-mnist, synthetic-svhn or svhn (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory holding the data set's files")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-report",
            description = "report directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--retrain", description = "train again even when a model trained before can be reused")
    boolean retrain;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Demo d = Demo.of(data, dataDir, out);
        if (retrain) {
            d = new Demo(d.data(), d.dataDir(), d.out(), d.epochs(), true, d.cacheDir());
        }
        Demo.Outcome o = d.run(line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(TerminalSummary.summary(o.result(), o.html(), o.json()));
        stdout.flush();
        return 0;
    }
}
