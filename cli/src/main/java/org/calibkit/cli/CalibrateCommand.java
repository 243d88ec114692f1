package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.cli.calibrate.CalibrateJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code calibkit calibrate}: parses options and runs {@link CalibrateJob}; prints the map and its fit statistics. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a calibration map on a model bundle's validation split and write a new bundle that carries it. "
                + "Later 'calibkit audit' runs show the model before and after the stored map, and 'calibkit predict' "
                + "gives calibrated probabilities.",
                "Exit code 0 on success; 1 on bad input; 2 when the command line does not parse."})
public final class CalibrateCommand extends CalibkitCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE.ckb", description = "the calibkit model bundle")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "the data set whose validation split the map is fitted on, or a directory with validation/ class folders")
    String data;

    @Mixin
    DataDirOption where = new DataDirOption();

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "temperature",
            completionCandidates = MetricsCommand.KnownMethods.class,
            description = "calibrator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--limit", paramLabel = "N", description = "fit on the first N validation images only (default: all)")
    Integer limit; // null: all ("--limit 0" is refused, not read as "all")

    @Option(names = "--out", required = true, paramLabel = "FILE.ckb", description = "the new bundle to write")
    Path out;

    @Override
    public Integer call() {
        if (!CalibrationMethod.ids().contains(method)) {
            throw new IllegalArgumentException("--method must be one of " + CalibrationMethod.ids() + ", but got '" + method + "'");
        }
        CalibrateJob.Result r = new CalibrateJob(model, data, where.dataDir, method, out, limit == null ? 0 : limit)
                .run(progress());
        PrintWriter o = out();
        o.println("calibration: " + r.map().describe() + " (" + r.map().method() + ", fitted on " + r.n()
                + " validation images)");
        for (Map.Entry<String, Object> e : r.parameters().entrySet()) {
            o.println("  " + e.getKey() + ": " + value(e.getValue()));
        }
        o.println(String.format(Locale.ROOT, "validation: NLL %.4f -> %.4f, ECE %.4f -> %.4f, accuracy %.4f -> %.4f",
                r.before().nll(), r.after().nll(), r.before().ece(), r.after().ece(), r.before().accuracy(),
                r.after().accuracy()));
        if (r.replaced() != null) {
            o.println("replaced the stored calibration " + r.replaced().describe());
        }
        o.println("wrote " + r.out());
        o.flush();
        return 0;
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d);
        }
        if (v instanceof double[] a) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < a.length && i < 12; i++) {
                b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", a[i]));
            }
            return b.append(a.length > 12 ? ", ... (" + a.length + " values)]" : "]").toString();
        }
        return String.valueOf(v);
    }
}
