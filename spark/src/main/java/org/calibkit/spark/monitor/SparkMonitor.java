package org.calibkit.spark.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.calibkit.calibration.OutputKind;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;
import org.calibkit.report.monitor.WindowState;
import org.calibkit.spark.MonitorLog;
import org.calibkit.spark.PredictionLogException;

/**
 * The monitor of a prediction log on Spark: rows are cut into tumbling windows of a duration by
 * their timestamp (a window is named by its start, ISO-8601, as on one machine) and, optionally,
 * grouped by a model or segment column; each partition sums one {@link WindowState} per (group,
 * window), the states come back through Spark's Kryo encoder and are merged on the driver in
 * partition order, and {@link Monitor#ofStates} measures each group's windows against the
 * reference, so every number comes from the single-machine arithmetic. The reference travels to
 * the executors as its versioned JSON ({@link Reference#toJson}), read back once per partition.
 *
 * <p>A window's {@code firstRow} is the number of the group's rows in earlier windows: the first
 * row of the window in a log written in time order, as the single-machine monitor reports it.
 */
public final class SparkMonitor {
    private static final int CHUNK = 2048;

    private SparkMonitor() {
    }

    /**
     * Monitors {@code log} in windows of {@code seconds}, one result per group (sorted by group;
     * the one key {@code ""} without grouping).
     *
     * @param windowing how the windows are described ({@code 1h})
     * @throws PredictionLogException for a bad row (naming file, id and column) or classes that differ from the reference's
     */
    public static Map<String, MonitorResult> run(Reference ref, MonitorLog log, long seconds, String source,
                                                 String windowing, MonitorOptions o, Consumer<String> progress) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("Expected a window of at least one second, but got " + seconds);
        }
        int k = ref.classShares().length;
        if (log.numClasses() != k) {
            throw new PredictionLogException("the log has " + log.numClasses() + " output columns, but the reference has "
                    + k + " classes");
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("c" + c);
        }
        String refJson = ref.toJson(names, "logits", o.unfamiliarTpr()).toString();
        MonitorLog.Decoder d = log.decoder();
        int bins = o.bins();
        MapPartitionsFunction<Row, Keyed> f = it -> partition(it, d, refJson, bins, seconds);
        Map<String, TreeMap<Long, WindowState>> groups = MonitorLog.run(() -> {
            Map<String, TreeMap<Long, WindowState>> all = new TreeMap<>();
            for (Keyed s : log.rows().mapPartitions(f, Encoders.kryo(Keyed.class)).collectAsList()) {
                all.computeIfAbsent(s.group, g -> new TreeMap<>()).merge(s.bucket, s.state, WindowState::merge);
            }
            return all;
        });
        if (groups.isEmpty()) {
            throw new PredictionLogException("the prediction log " + source + " holds no rows");
        }
        Map<String, MonitorResult> out = new LinkedHashMap<>();
        groups.forEach((g, windows) -> {
            List<Monitor.NamedState> states = new ArrayList<>();
            long first = 0;
            for (Map.Entry<Long, WindowState> e : windows.entrySet()) {
                states.add(new Monitor.NamedState(Instant.ofEpochSecond(e.getKey() * seconds).toString(), first,
                        e.getValue()));
                first += e.getValue().rows();
            }
            Consumer<String> p = g.isEmpty() ? progress : line -> progress.accept(line.replaceFirst("^monitor: ",
                    "monitor: " + g + ": "));
            out.put(g, Monitor.ofStates(ref, states, g.isEmpty() ? source : source + " (" + g + ")", windowing, o, p));
        });
        return out;
    }

    /** One partition: a state per (group, window), rows added in chunks through {@link WindowState#add}. */
    private static java.util.Iterator<Keyed> partition(java.util.Iterator<Row> it, MonitorLog.Decoder d, String refJson,
                                                       int bins, long seconds) throws Exception {
        Reference ref = Reference.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(refJson),
                "the monitor's reference").reference();
        int k = d.numClasses();
        Map<String, Map<Long, Buffer>> open = new HashMap<>();
        while (it.hasNext()) {
            Row r = it.next();
            double[] v = d.outputs(r);
            int label = d.label(r);
            long bucket = Math.floorDiv(d.seconds(r), seconds);
            String g = d.group(r);
            Buffer b = open.computeIfAbsent(g == null ? "" : g, x -> new HashMap<>())
                    .computeIfAbsent(bucket, x -> new Buffer(new WindowState(ref, bins), k));
            b.add(v, label, ref, d.kind());
        }
        List<Keyed> out = new ArrayList<>();
        open.forEach((g, ws) -> ws.forEach((bucket, b) -> out.add(new Keyed(g, bucket, b.flush(ref, d.kind())))));
        return out.iterator();
    }

    /** Rows of one (group, window) waiting to be added to its state a chunk at a time. */
    private static final class Buffer {
        private final WindowState state;
        private final int k;
        private double[] values;
        private int[] labels;
        private int rows;

        Buffer(WindowState state, int k) {
            this.state = state;
            this.k = k;
            this.values = new double[CHUNK * k];
            this.labels = new int[CHUNK];
        }

        void add(double[] v, int label, Reference ref, OutputKind kind) {
            System.arraycopy(v, 0, values, rows * k, k);
            labels[rows++] = label;
            if (rows == CHUNK) {
                flush(ref, kind);
            }
        }

        WindowState flush(Reference ref, OutputKind kind) {
            if (rows > 0) {
                double[] v = rows == CHUNK ? values : java.util.Arrays.copyOf(values, rows * k);
                state.add(ref, kind.toLogits(v, rows, k), java.util.Arrays.copyOf(labels, rows), 0);
                values = new double[CHUNK * k];   // toLogits may keep the array
                rows = 0;
            }
            return state;
        }
    }

    /** A partition's state of one (group, window), shipped to the driver through Kryo (public: Spark's encoder needs it). */
    public static final class Keyed {
        private final String group;
        private final long bucket;
        private final WindowState state;

        private Keyed(String group, long bucket, WindowState state) {
            this.group = group;
            this.bucket = bucket;
            this.state = state;
        }
    }
}
