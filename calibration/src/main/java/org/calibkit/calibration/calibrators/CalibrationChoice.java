package org.calibkit.calibration.calibrators;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How an audit calibrates: {@link Auto} (a model's stored map when it has one, else temperature
 * scaling fitted on the validation split), {@link Stored} (the stored map, required), {@link None},
 * or {@link Fit} (fit this configured calibrator on the validation split). Library users pass a
 * {@code Fit} with their own hyper-parameters; the command line's names go through {@link #parse}.
 */
public sealed interface CalibrationChoice {
    /** The name recorded in settings and accepted by {@link #parse}: auto, stored, none or the method id. */
    String id();

    /** Whether this choice calibrates at all (everything but {@link None}). */
    default boolean calibrates() {
        return !(this instanceof None);
    }

    /** A model's stored map when it has one, else temperature scaling fitted on the validation split. */
    record Auto() implements CalibrationChoice {
        /** The command-line name. */
        public static final String ID = "auto";

        @Override
        public String id() {
            return ID;
        }

        /** What is fitted when the model has no stored map. */
        public Calibrator fallback() {
            return CalibrationMethod.TEMPERATURE.create();
        }
    }

    /** The model's stored map, applied as it is (nothing fitted; an error when the model has none). */
    record Stored() implements CalibrationChoice {
        /** The command-line name. */
        public static final String ID = "stored";

        @Override
        public String id() {
            return ID;
        }
    }

    /** No calibration. */
    record None() implements CalibrationChoice {
        /** The command-line name. */
        public static final String ID = "none";

        @Override
        public String id() {
            return ID;
        }
    }

    /** Fit {@code calibrator} (with its hyper-parameters as configured) on the validation split. */
    record Fit(Calibrator calibrator) implements CalibrationChoice {
        /** @throws NullPointerException for a null calibrator */
        public Fit {
            Objects.requireNonNull(calibrator, "calibrator");
        }

        @Override
        public String id() {
            return calibrator.method();
        }
    }

    /** {@link Auto}. */
    static CalibrationChoice auto() {
        return new Auto();
    }

    /** {@link Stored}. */
    static CalibrationChoice stored() {
        return new Stored();
    }

    /** {@link None}. */
    static CalibrationChoice none() {
        return new None();
    }

    /** {@link Fit} of {@code calibrator}. */
    static CalibrationChoice fit(Calibrator calibrator) {
        return new Fit(calibrator);
    }

    /** Every name {@link #parse} accepts: auto, stored, none and the method ids. */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of(Auto.ID, Stored.ID, None.ID));
        names.addAll(CalibrationMethod.ids());
        return List.copyOf(names);
    }

    /**
     * The choice named {@code name} (case-insensitive): {@code auto}, {@code stored}, {@code none}, or a
     * method id of {@link CalibrationMethod} (fitted with default hyper-parameters).
     *
     * @throws IllegalArgumentException for any other name (the message lists the accepted ones)
     */
    static CalibrationChoice parse(String name) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case Auto.ID:
                return auto();
            case Stored.ID:
                return stored();
            case None.ID:
                return none();
            default:
                try {
                    return fit(CalibrationMethod.byId(name).create());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown calibration '" + name + "'; known: "
                            + String.join(", ", names()), e);
                }
        }
    }
}
