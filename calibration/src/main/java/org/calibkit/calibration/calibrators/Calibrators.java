package org.calibkit.calibration.calibrators;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Calibrators by name, with default hyper-parameters. */
public final class Calibrators {
    /** The method names {@link #byName(String)} accepts. */
    public static final List<String> KNOWN = List.of(
            "temperature", "vector", "matrix", "dirichlet", "histogram", "isotonic", "platt");

    private Calibrators() {
    }

    /**
     * A calibrator with default hyper-parameters: {@code temperature}, {@code vector}, {@code matrix},
     * {@code dirichlet}, {@code histogram}, {@code isotonic} or {@code platt} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Calibrator byName(String name) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "temperature":
                return new TemperatureScaling();
            case "vector":
                return new VectorScaling();
            case "matrix":
                return new MatrixScaling();
            case "dirichlet":
                return new DirichletCalibration();
            case "histogram":
                return new HistogramBinning();
            case "isotonic":
                return new IsotonicCalibration();
            case "platt":
                return new PlattScaling();
            default:
                throw new IllegalArgumentException("Unknown calibration method '" + name + "'; known: "
                        + String.join(", ", KNOWN));
        }
    }
}
