package org.calibkit.examples.bench.probes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.report.probes.Probe;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;

/**
 * Wall time of generating every probe for an MNIST model ({@code size} images each, default
 * 1,000): the first generation in this JVM (loads and hashes the other data sets: what one audit
 * pays) and the median of warm rounds per probe (other data sets already loaded). Run by
 * {@code bench/probes.sh}. Arguments: [size, default 1000] [warm-up rounds, default 3]
 * [measured rounds, default 10].
 */
public final class ProbeBench {
    private ProbeBench() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : ProbeContext.DEFAULT_SIZE;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ImageSet test = DataCatalog.load("mnist", "test", null);
        ProbeContext ctx = ProbeContext.of(test, "mnist").withSize(size).withSeed(1);
        List<Probe> probes = Probes.all();

        long t0 = System.nanoTime();
        List<String> firstLines = new ArrayList<>();
        List<ProbeOutcome> first = Probes.generate(probes, ctx, firstLines::add);
        double firstSeconds = (System.nanoTime() - t0) / 1e9;

        double[][] ms = new double[probes.size()][rounds];
        double[] totals = new double[rounds];
        long sink = 0;
        for (int r = -warm; r < rounds; r++) {
            long start = System.nanoTime();
            for (int p = 0; p < probes.size(); p++) {
                long a = System.nanoTime();
                List<ProbeOutcome> o = Probes.generate(List.of(probes.get(p)), ctx, line -> { });
                long b = System.nanoTime();
                sink += o.get(0).skipped() ? 1 : o.get(0).images().images().size();
                if (r >= 0) {
                    ms[p][r] = (b - a) / 1e6;
                }
            }
            if (r >= 0) {
                totals[r] = (System.nanoTime() - start) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "probes for an MNIST model, %d images each (%d cores, max heap %d MB)%n", size,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%-44s %.3f s%n", "first generation of all probes in this JVM", firstSeconds);
        for (String line : firstLines) {
            System.out.println("  " + line);
        }
        System.out.printf(Locale.ROOT, "warm, median of %d rounds after %d warm-up rounds:%n", rounds, warm);
        for (int p = 0; p < probes.size(); p++) {
            ProbeOutcome o = first.get(p);
            System.out.printf(Locale.ROOT, "  %-16s %8.2f ms%s%n", probes.get(p).name(), median(ms[p]),
                    o.skipped() ? "  (skipped)" : "");
        }
        System.out.printf(Locale.ROOT, "  %-16s %8.2f ms (%d)%n", "all", median(totals), sink);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
