package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.Availability;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.Dataset;
import org.calibkit.core.data.ProgressListener;
import org.calibkit.core.data.Splits;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code calibkit data}: list the known data sets, fetch one into the cache (verified), show what
 * a data set holds ({@code info}, with {@code --json} for machines).
 */
@Command(name = "data", mixinStandardHelpOptions = true, description = "List, fetch and inspect data sets (see docs/data.md).",
        subcommands = {DataCommand.ListCmd.class, DataCommand.FetchCmd.class, DataCommand.InfoCmd.class})
public final class DataCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Options every data subcommand takes. */
    static final class Where {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Directory with data files (DIR/NAME/FILE or DIR/FILE); default: env CALIBKIT_DATA_DIR.")
        Path dataDir;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Cache root; default: $XDG_CACHE_HOME/calibkit or ~/.cache/calibkit.")
        Path cacheDir;

        @Option(names = "--offline", description = "Do not try the official mirrors (as env CALIBKIT_OFFLINE=1).")
        boolean offline;

        DataLocations locations(ProgressListener progress) {
            DataLocations loc = DataLocations.defaults(dataDir).withProgress(progress);
            if (cacheDir != null) {
                loc = loc.withCacheDir(cacheDir);
            }
            if (offline) {
                loc = loc.withNetwork(false, loc.npm());
            }
            return loc;
        }
    }

    /** Progress as plain lines on stderr; byte counts redrawn in place only on a terminal. */
    static ProgressListener progress(PrintWriter err, boolean terminal) {
        return new ProgressListener() {
            private String current;
            private int lastQuarter = -1;
            private boolean inPlace;

            @Override
            public void message(String line) {
                endInPlace();
                err.println("calibkit: " + line);
                err.flush();
            }

            @Override
            public void warning(String line) {
                endInPlace();
                err.println("calibkit: warning: " + line);
                err.flush();
            }

            @Override
            public void bytes(String what, long done, long total) {
                if (!what.equals(current)) {
                    current = what;
                    lastQuarter = -1;
                }
                if (terminal) {
                    err.print("\rcalibkit:   " + what + " " + mb(done) + (total > 0 ? " of " + mb(total) : ""));
                    inPlace = true;
                    err.flush();
                    return;
                }
                // not a terminal: one line per quarter (or per 10 MB when the size is unknown)
                int q = total > 0 ? (int) (4 * done / total) : (int) (done / (10L << 20));
                if (q != lastQuarter) {
                    lastQuarter = q;
                    err.println("calibkit:   " + what + " " + mb(done) + (total > 0 ? " of " + mb(total) + " (" + (25 * q) + "%)" : ""));
                    err.flush();
                }
            }

            private void endInPlace() {
                if (inPlace) {
                    err.println();
                    inPlace = false;
                }
            }
        };
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }

    /** {@code calibkit data list}. */
    @Command(name = "list", description = "Known data sets: whether each is here and from where.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Where where = new Where();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DataLocations loc = where.locations(progress(spec.commandLine().getErr(), false));
            out.printf("%-14s %-5s %-38s %s%n", "NAME", "HERE", "SPLITS", "FROM / HOW TO GET IT");
            for (Dataset d : DataCatalog.all()) {
                Availability a = d.availability(loc);
                out.printf("%-14s %-5s %-38s %s%n", d.name(), a.available() ? "yes" : "no", String.join(",", d.splits()),
                        a.available() ? a.source() : a.source() + " (" + a.hint() + ")");
            }
            out.flush();
            return 0;
        }
    }

    /** What {@code data fetch} and {@code data info} share: the data set's name, where data lives, the streams. */
    abstract static class OnOneDataset implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Data set name (see 'calibkit data list').")
        String name;
        @CommandLine.Mixin
        Where where = new Where();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
    }

    /** {@code calibkit data fetch NAME}. */
    @Command(name = "fetch", description = "Acquire a data set into the cache and verify its checksums.")
    static final class FetchCmd extends OnOneDataset {

        @Override
        public Integer call() {
            Dataset d = DataCatalog.get(name);
            ProgressListener p = progress(spec.commandLine().getErr(), System.console() != null);
            DataLocations loc = where.locations(p);
            d.fetch(loc, p);
            Availability a = d.availability(loc);
            spec.commandLine().getOut().println(d.name() + ": ready (" + a.source() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code calibkit data info NAME}. */
    @Command(name = "info", description = "Counts, shape, label counts and verification of each split.")
    static final class InfoCmd extends OnOneDataset {
        @Option(names = "--json", description = "Print one JSON object on stdout.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Dataset d = DataCatalog.get(name);
            DataLocations loc = where.locations(progress(spec.commandLine().getErr(), System.console() != null));
            Map<String, ImageSet> splits = new LinkedHashMap<>();
            Map<String, String> missing = new LinkedHashMap<>();
            for (String s : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
                if (d.splits().contains(s)) {
                    try {
                        splits.put(s, d.load(s, loc));
                    } catch (Splits.TooFewForValidation e) {
                        // a user's small training file: report what it holds instead of refusing
                        missing.put(s, "the training file has " + e.trainingCount() + " images, too few to hold out "
                                + Splits.VALIDATION_SIZE + " for validation (calibkit's validation split is the last "
                                + Splits.VALIDATION_SIZE + " training images" + (s.equals(Splits.TRAIN)
                                ? "; train is the rest)" : "); calibration needs a validation split: use more "
                                + "training images, or audit with --calibration none"));
                    }
                }
            }
            if (!missing.isEmpty() && d.splits().contains(Splits.TRAIN_FULL)) {
                Map<String, ImageSet> withFull = new LinkedHashMap<>();
                withFull.put(Splits.TRAIN_FULL, d.load(Splits.TRAIN_FULL, loc));
                withFull.putAll(splits);
                splits = withFull;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(d, splits, missing));
            } else {
                out.println(d.name() + ": " + d.description());
                out.println("classes: " + String.join(", ", d.classNames()));
                for (Map.Entry<String, ImageSet> e : splits.entrySet()) {
                    ImageSet s = e.getValue();
                    List<String> counts = new ArrayList<>();
                    for (int c : s.labelCounts()) {
                        counts.add(Integer.toString(c));
                    }
                    out.printf("%-10s %6d images, %dx%dx%d, %s, label counts %s%n    from %s%n", e.getKey(), s.size(),
                            s.channels(), s.height(), s.width(), s.origin().verified() ? "checksum verified" : "NOT verified",
                            String.join(" ", counts), s.origin().location());
                }
                for (Map.Entry<String, String> e : missing.entrySet()) {
                    out.printf("%-10s none: %s%n", e.getKey(), e.getValue());
                }
            }
            out.flush();
            return 0;
        }
    }

    /** The JSON object of {@code data info --json}. */
    static String toJson(Dataset d, Map<String, ImageSet> splits) throws Exception {
        return toJson(d, splits, Map.of());
    }

    /** The JSON object of {@code data info --json}; {@code unavailable} names each missing split's reason. */
    static String toJson(Dataset d, Map<String, ImageSet> splits, Map<String, String> missing) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("name", d.name());
        ArrayNode classes = root.putArray("classes");
        d.classNames().forEach(classes::add);
        ObjectNode sp = root.putObject("splits");
        for (Map.Entry<String, ImageSet> e : splits.entrySet()) {
            ImageSet s = e.getValue();
            ObjectNode o = sp.putObject(e.getKey());
            o.put("count", s.size());
            ArrayNode shape = o.putArray("shape");
            for (int v : s.shape()) {
                shape.add(v);
            }
            ArrayNode lc = o.putArray("label_counts");
            for (int v : s.labelCounts()) {
                lc.add(v);
            }
            o.put("sha256_verified", s.origin().verified());
            o.put("source", s.origin().location());
        }
        if (!missing.isEmpty()) {
            ObjectNode un = root.putObject("unavailable");
            missing.forEach(un::put);
        }
        return m.writeValueAsString(root);
    }
}
