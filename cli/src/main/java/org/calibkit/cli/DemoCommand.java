package org.calibkit.cli;

import java.nio.file.Path;

import org.calibkit.cli.demo.Demo;
import org.calibkit.report.terminal.TerminalSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code calibkit demo}: parses options and runs {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What calibkit is for, in one command: fetch and verify MNIST, train the default CNN "
                + "(reused on later runs), calibrate it on the validation split, audit it against blank images, "
                + "noise, unscaled pixels, letters, other digits and rotations, and write demo-report/index.html "
                + "and demo-report/report.json."})
public final class DemoCommand extends CalibkitCommand {
    @Option(names = "--data", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist, fashion-mnist, synthetic-svhn or svhn (default: ${DEFAULT-VALUE})")
    String data;

    @Mixin
    DataDirOption where = new DataDirOption();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-report",
            description = "report directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--retrain", description = "train again even when a model trained before can be reused")
    boolean retrain;

    @Override
    public Integer call() {
        Demo d = Demo.of(data, where.dataDir, out);
        if (retrain) {
            d = new Demo(d.data(), d.dataDir(), d.out(), d.epochs(), true, d.cacheDir());
        }
        Demo.Outcome o = d.run(progress());
        println(TerminalSummary.summary(o.result(), o.html(), o.json()));
        return 0;
    }
}
