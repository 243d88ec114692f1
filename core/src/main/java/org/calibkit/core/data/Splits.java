package org.calibkit.core.data;

import java.util.List;
import java.util.function.Supplier;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;

/** The split convention shared by the data sets with a training file. */
public final class Splits {
    /** Number of training images held out as {@code validation}: the LAST ones of the file. */
    public static final int VALIDATION_SIZE = 5000;

    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
    public static final String TRAIN_FULL = "train-full";

    /** train, validation, test, train-full. */
    public static final List<String> STANDARD = List.of(TRAIN, VALIDATION, TEST, TRAIN_FULL);

    private Splits() {
    }

    /**
     * Picks {@code split} from the full training set and the test set: {@code train} is all but the
     * last {@value #VALIDATION_SIZE} training images, {@code validation} those last ones.
     */
    public static ImageSet select(String datasetName, String split, Supplier<ImageSet> trainFull,
                                  Supplier<ImageSet> test) {
        switch (split) {
            case TRAIN_FULL:
                return trainFull.get();
            case TEST:
                return test.get();
            case TRAIN:
            case VALIDATION: {
                ImageSet all = trainFull.get();
                int cut = all.size() - VALIDATION_SIZE;
                if (cut <= 0) {
                    throw new TooFewForValidation(datasetName, all.size());
                }
                return split.equals(TRAIN) ? all.slice(0, cut, TRAIN) : all.slice(cut, all.size(), VALIDATION);
            }
            default:
                throw unknown(datasetName, split, STANDARD);
        }
    }

    /**
     * Image range {from, to} of {@code split} ({@code train} or {@code validation}) in a training
     * file of {@code n} images.
     */
    public static int[] trainRange(String datasetName, String split, int n) {
        int cut = n - VALIDATION_SIZE;
        if (cut <= 0) {
            throw new TooFewForValidation(datasetName, n);
        }
        return split.equals(VALIDATION) ? new int[] {cut, n} : new int[] {0, cut};
    }

    /**
     * A training file too small to hold out {@value #VALIDATION_SIZE} validation images: neither
     * {@code train} nor {@code validation} exists for it (its {@code train-full} and {@code test} do).
     * Callers that report what a data set holds catch it and say why the splits are missing.
     */
    public static final class TooFewForValidation extends CalibkitException {
        private static final long serialVersionUID = 1L;
        private final int trainingCount;

        public TooFewForValidation(String datasetName, int trainingCount) {
            super(datasetName + ": the training file has " + trainingCount + " images, too few to hold out "
                    + VALIDATION_SIZE + " for validation");
            this.trainingCount = trainingCount;
        }

        /** Images in the training file. */
        public int trainingCount() {
            return trainingCount;
        }
    }

    /** The exception for a split a data set does not have. */
    public static CalibkitException unknown(String datasetName, String split, List<String> known) {
        return new CalibkitException("data set '" + datasetName + "' has no split '" + split
                + "'; known splits: " + String.join(", ", known));
    }
}
