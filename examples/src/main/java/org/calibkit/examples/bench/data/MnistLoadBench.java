package org.calibkit.examples.bench.data;

import java.nio.file.Path;
import java.util.Arrays;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.Checksums;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.Dataset;
import org.calibkit.core.data.IdxFiles;
import org.calibkit.core.data.ProgressListener;

/**
 * Warm load of the 60,000 MNIST training images from the cache into an {@link ImageSet}
 * (target: at most 1 s), with the time split into its parts. Run by {@code bench/data.sh}.
 * Arguments: [warm-up rounds, default 3] [measured rounds, default 10].
 */
public final class MnistLoadBench {
    private MnistLoadBench() {
    }

    public static void main(String[] args) {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        DataLocations loc = DataLocations.defaults();
        Dataset mnist = DataCatalog.get("mnist");
        mnist.fetch(loc, ProgressListener.silent());
        Path images = loc.cacheDir("mnist").resolve("train-images-idx3-ubyte");

        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] fullCpu = new double[rounds];
        double[] full = new double[rounds];
        double[] train = new double[rounds];
        double[] read = new double[rounds];
        double[] sha = new double[rounds];
        double[] convert = new double[rounds];
        long sink = 0;
        double first = Double.NaN;
        for (int i = -warm; i < rounds; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ImageSet s = mnist.load("train-full", loc);
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            ImageSet t = mnist.load("train", loc);
            long t2 = System.nanoTime();
            byte[] b = IdxFiles.readBytes(images);
            long t3 = System.nanoTime();
            String h = Checksums.sha256(b);
            long t4 = System.nanoTime();
            ImageSet c = IdxFiles.toImageSet(IdxFiles.parseImages(images, b), images, new int[60000], s.classNames(), s.origin());
            long t5 = System.nanoTime();
            sink += s.size() + t.size() + h.length() + c.size();
            if (i == -warm) {
                first = (t1 - t0) / 1e9;
            }
            if (i >= 0) {
                full[i] = (t1 - t0) / 1e9;
                fullCpu[i] = (c1 - c0) / 1e9;
                train[i] = (t2 - t1) / 1e9;
                read[i] = (t3 - t2) / 1e9;
                sha[i] = (t4 - t3) / 1e9;
                convert[i] = (t5 - t4) / 1e9;
            }
        }
        System.out.printf("MNIST warm load from %s (%d warm-up, %d measured rounds, %d cores, max heap %d MB)%n",
                loc.cacheDir("mnist"), warm, rounds, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%-44s %.3f s (cold JIT, fresh heap: what one 'calibkit' run pays)%n",
                "first load train-full in this JVM", first);
        row("load train-full (60,000 images, verified)", full);
        row("  same, CPU time of the loading thread", fullCpu);
        row("load train (55,000 images)", train);
        row("  part: read 47 MB file", read);
        row("  part: SHA-256 of 47 MB", sha);
        row("  part: parse + bytes -> float", convert);
        System.out.println("target: load train-full median <= 1.000 s (wall time; on a machine shared with other jobs "
                + "the CPU-time line shows the work itself); " + (sink > 0 ? "ok" : "?"));
    }

    private static void row(String what, double[] s) {
        double[] x = s.clone();
        Arrays.sort(x);
        double mean = Arrays.stream(x).average().orElse(Double.NaN);
        System.out.printf("%-44s median %.3f s  min %.3f s  max %.3f s  mean %.3f s%n", what, x[x.length / 2], x[0],
                x[x.length - 1], mean);
    }
}
