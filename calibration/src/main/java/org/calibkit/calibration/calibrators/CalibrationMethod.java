package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The calibration methods calibkit knows, registered once: each one's id (as written on the
 * command line and in saved maps), a factory of its calibrator with default hyper-parameters, and
 * the reader of the maps it saves. Adding a method is one constant here.
 */
public enum CalibrationMethod {
    /** Temperature scaling (Guo et al. 2017). */
    TEMPERATURE(TemperatureMap.METHOD, TemperatureScaling::new, (root, k) -> TemperatureMap.fromJson(root, k)),
    /** Vector scaling (Guo et al. 2017). */
    VECTOR(VectorScaling.METHOD, VectorScaling::new, (root, k) -> LinearMap.fromJson(root, VectorScaling.METHOD, k)),
    /** Matrix scaling (Guo et al. 2017). */
    MATRIX(MatrixScaling.METHOD, MatrixScaling::new, (root, k) -> LinearMap.fromJson(root, MatrixScaling.METHOD, k)),
    /** Dirichlet calibration (Kull et al. 2019). */
    DIRICHLET(DirichletCalibration.METHOD, DirichletCalibration::new,
            (root, k) -> LinearMap.fromJson(root, DirichletCalibration.METHOD, k)),
    /** Histogram binning (Zadrozny and Elkan 2001). */
    HISTOGRAM(HistogramBinning.METHOD, HistogramBinning::new, (root, k) -> HistogramMap.fromJson(root, k)),
    /** Isotonic regression (Zadrozny and Elkan 2002). */
    ISOTONIC(IsotonicCalibration.METHOD, IsotonicCalibration::new, (root, k) -> IsotonicMap.fromJson(root, k)),
    /** Platt scaling, one-vs-rest (Platt 1999). */
    PLATT(PlattScaling.METHOD, PlattScaling::new, (root, k) -> PlattMap.fromJson(root, k));

    /** Reads the parameters of a saved map whose header (format, version, method, K) is already checked. */
    @FunctionalInterface
    interface MapReader {
        CalibrationMap read(JsonNode root, int numClasses);
    }

    private final String id;
    private final Supplier<Calibrator> factory;
    private final MapReader reader;

    CalibrationMethod(String id, Supplier<Calibrator> factory, MapReader reader) {
        this.id = id;
        this.factory = factory;
        this.reader = reader;
    }

    /** The id, e.g. {@code "temperature"}: the command-line name and the {@code method} of a saved map. */
    public String id() {
        return id;
    }

    /** A new calibrator of this method with default hyper-parameters. */
    public Calibrator create() {
        return factory.get();
    }

    CalibrationMap readMap(JsonNode root, int numClasses) {
        return reader.read(root, numClasses);
    }

    /** Every id, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(CalibrationMethod::id).toList();
    }

    /**
     * The method with this id (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for an unknown id (the message lists the known ones)
     */
    public static CalibrationMethod byId(String id) {
        Objects.requireNonNull(id, "id");
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (CalibrationMethod m : values()) {
            if (m.id.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown calibration method '" + id + "'; known: " + String.join(", ", ids()));
    }
}
