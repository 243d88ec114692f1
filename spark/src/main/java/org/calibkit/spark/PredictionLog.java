package org.calibkit.spark;

import java.util.List;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;

/**
 * A validated prediction log that folds mergeable state over its rows, partition by partition:
 * what the streamed audit ({@link org.calibkit.spark.audit.SparkAudit}) and the distributed fits
 * run on. Two engines: {@link SparkPredictionLog} (Apache Spark, the rows stay where they are) and
 * {@link DuckDbPredictionLog} (one machine, the rows read once through embedded DuckDB). Both hand
 * every fold the same validated rows, and the states come back in partition order; every
 * computation built on folds gives the same numbers for any partitioning (tested with 1, 2, 7
 * and 64 partitions), so both engines give the same audit of the same file.
 */
public interface PredictionLog {
    /** The number of classes (K). */
    int numClasses();

    /** The columns this log was read with. */
    PredictionLogSchema schema();

    /** The number of rows. */
    long count();

    /** The engine, as progress lines and the report name it ("Apache Spark", "DuckDB"). */
    String engine();

    /**
     * Runs {@code fold} over every partition and returns the partitions' states in partition
     * order (empty partitions give empty states). A bad row fails with a
     * {@link PredictionLogException} naming its file, id and column.
     *
     * @param type the state's class (Spark ships states back as Kryo bytes of it)
     */
    <S> List<S> fold(Fold<S> fold, Class<S> type);

    /**
     * The temperature map fitted with {@code settings}' range, tolerance and budget, on the logits
     * (probabilities are read as their logarithms, as {@link OutputKind#toLogits} does on one
     * machine): {@link DistributedTemperature}, one fold per iteration.
     */
    default TemperatureMap temperatureMap(TemperatureScaling settings) {
        int k = numClasses();
        OutputKind kind = schema().kind();
        return DistributedTemperature.fitMap(beta -> {
            TemperatureMoments all = new TemperatureMoments(beta);
            fold(new TemperatureFold(beta, k, kind), TemperatureMoments.class).forEach(all::merge);
            return all;
        }, settings);
    }

    /** The temperature fit's per-partition sums at one inverse temperature. */
    record TemperatureFold(double beta, int k, OutputKind kind) implements Fold<TemperatureMoments> {
        @Override
        public TemperatureMoments empty() {
            return new TemperatureMoments(beta);
        }

        @Override
        public void add(TemperatureMoments m, long id, double[] outputs, int label) {
            m.add(kind.toLogits(outputs, 1, k).raw(), label);
        }
    }

    /**
     * A computation over the validated rows of one partition whose states are merged by the
     * caller. Instances are shipped to Spark's executors, so they hold only serializable settings.
     *
     * @param <S> the per-partition state (shipped back as Kryo bytes on Spark)
     */
    interface Fold<S> extends java.io.Serializable {
        /** An empty state. */
        S empty();

        /**
         * Adds one validated row.
         *
         * @param id      the row's id as a number ({@link #rowId}), the key of its bootstrap weights
         * @param outputs its K outputs (logits or probabilities, as the schema says), finite; the
         *                array is the engine's and valid only during the call (copy what is kept)
         * @param label   its label in [0, K)
         */
        void add(S state, long id, double[] outputs, int label);

        /** Called once after the partition's last row, before the state is shipped (flush buffers). */
        default S finish(S state) {
            return state;
        }
    }

    /**
     * A row's id as the number its bootstrap weights are keyed by: an integer id as it is, any
     * other id (a string, a UUID) by {@link #rowIdOfUtf8} of its text's UTF-8 bytes, so the
     * weights depend on the id only, never on the partitioning or the engine. Rows with equal ids
     * share their weights.
     */
    static long rowId(Object id) {
        if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
            return ((Number) id).longValue();
        }
        return rowIdOfUtf8(String.valueOf(id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The key of a text id given as its UTF-8 bytes: a 64-bit hash, SplitMix64's finaliser over
     * the bytes (as unsigned values) from a fixed start. Both engines hash the bytes they read
     * (Spark's strings are UTF-8 inside, DuckDB hands them over as a blob), so no string is built.
     */
    static long rowIdOfUtf8(byte[] utf8) {
        long h = 0x632BE59BD9B4E019L;
        for (byte b : utf8) {
            h = PoissonWeights.mix(h ^ (b & 0xFF));
        }
        return h;
    }

    /**
     * Runs a job (a Spark job, or folds on this machine); a {@link PredictionLogException} thrown
     * in a task comes out as itself (one line naming file, id and column), other failures as they are.
     */
    static <T> T runJob(java.util.function.Supplier<T> job) {
        try {
            return job.get();
        } catch (PredictionLogException e) {
            throw e;
        } catch (Exception e) {   // Spark throws its checked SparkException from Scala code
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof PredictionLogException p) {
                    throw new PredictionLogException(p.getMessage(), e);
                }
            }
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf(PredictionLogException.class.getName() + ": ");
            if (at >= 0) {
                String rest = m.substring(at + PredictionLogException.class.getName().length() + 2);
                throw new PredictionLogException(rest.lines().findFirst().orElse(rest), e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("the job failed: " + first, e);
        }
    }

}
