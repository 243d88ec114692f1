package org.calibkit.examples.bench.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;

/**
 * The measurement behind the bootstrap's default interval (docs/statistics.md, "Which
 * interval"): on a real model's test logits, every metric of {@link Metrics#ALL} with its
 * percentile and its BCa interval, for several bootstrap seeds, before and after temperature
 * scaling fitted on the validation split, and whether each interval lies above its own estimate
 * ({@code ABOVE}: the percentile bootstrap's failure for upward-biased metrics) or below it
 * ({@code BELOW}: the mirror failure). Also writes the logits and labels as .npy so
 * {@code calibkit metrics} can be run on the same numbers.
 *
 * <pre>
 *   java -cp ... org.calibkit.examples.bench.stats.IntervalMethodsMnist MODEL.ckb OUTDIR [resamples] [seeds]
 * </pre>
 */
public final class IntervalMethodsMnist {
    private IntervalMethodsMnist() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        Path out = Path.of(args.length > 1 ? args[1] : "target/interval-methods");
        int resamples = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Files.createDirectories(out);
        ImageSet validation = DataCatalog.load("mnist", "validation", null);
        ImageSet test = DataCatalog.load("mnist", "test", null);
        Logits zv;
        Logits zt;
        try (ModelBundle model = ModelBundle.load(modelFile)) {
            zv = model.logits(validation);
            zt = model.logits(test);
        }
        PredictionFiles.writeNpy(out.resolve("val_logits.npy"), zv);
        PredictionFiles.writeNpy(out.resolve("val_labels.npy"), validation.labels());
        PredictionFiles.writeNpy(out.resolve("test_logits.npy"), zt);
        PredictionFiles.writeNpy(out.resolve("test_labels.npy"), test.labels());
        TemperatureMap t = new TemperatureScaling().fit(zv, validation.labels());
        System.out.printf(Locale.ROOT, "# %d test rows, T = %.4f, %d resamples, seeds 0..%d, jackknife groups %d%n",
                zt.n(), t.temperature(), resamples, seeds - 1, Bootstrap.jackknifeGroups(zt.n()));
        System.out.println("# side metric seed estimate percentile_lo percentile_hi pflag bca_lo bca_hi bflag");
        int[] y = test.labels();
        for (String side : new String[] {"uncalibrated", "calibrated"}) {
            Predictions p = side.equals("uncalibrated") ? Predictions.of(zt, y) : Predictions.of(zt.divide(t.temperature()), y);
            for (int s = 0; s < seeds; s++) {
                Bootstrap b = new Bootstrap(s, resamples, 0.95, 2);
                Map<String, Bootstrap.Interval> pct = b.summary(p, 15);
                Map<String, Bootstrap.Interval> bca = b.withMethod(Bootstrap.Method.BCA).summary(p, 15);
                for (Metric m : Metrics.ALL) {
                    Bootstrap.Interval a = pct.get(m.key());
                    Bootstrap.Interval c = bca.get(m.key());
                    System.out.printf(Locale.ROOT, "%s %-15s %d %.5f %.5f %.5f %-5s %.5f %.5f %s%n", side, m.key(), s,
                            a.estimate(), a.lower(), a.upper(), flag(a), c.lower(), c.upper(), flag(c));
                }
            }
        }
    }

    private static String flag(Bootstrap.Interval iv) {
        if (!Double.isFinite(iv.lower()) || !Double.isFinite(iv.upper())) {
            return "NaN";
        }
        return iv.lower() > iv.estimate() ? "ABOVE" : iv.upper() < iv.estimate() ? "BELOW" : "ok";
    }
}
