package org.calibkit.core.data;

import java.util.List;

import org.calibkit.core.ImageSet;

/**
 * A named labelled image data set that calibkit knows how to find, acquire, verify and load.
 *
 * <p>Split convention: {@code train} is the training images minus the validation split,
 * {@code validation} is the last {@value Splits#VALIDATION_SIZE} training images (used to fit
 * calibration, never the test set), {@code test} is the published test set and
 * {@code train-full} is all training images. Sets without a training file expose only the
 * splits that exist (see {@link #splits()}).
 */
public interface Dataset {
    /** Name as the command line knows it, e.g. {@code mnist}. */
    String name();

    /** One line: what it is and where it comes from. */
    String description();

    /** Class names indexed by label. */
    List<String> classNames();

    /** Split names this data set has, e.g. {@code train, validation, test, train-full}. */
    List<String> splits();

    /** Whether it can be loaded here without the network, and from where. Cheap: no hashing. */
    Availability availability(DataLocations loc);

    /**
     * Acquires every file into the cache (or checks the files already there) and verifies their
     * checksums. Never leaves a partial or unverified file in the cache.
     *
     * @throws DataUnavailableException when no source has the data, saying where to put it
     * @throws DataFormatException      when an acquired file does not match its checksum or format
     */
    void fetch(DataLocations loc, ProgressListener progress);

    /**
     * Loads one split, acquiring the data first if needed.
     *
     * @throws org.calibkit.core.CalibkitException for an unknown split, listing the known ones
     * @throws DataUnavailableException when the data is not here and cannot be acquired
     * @throws DataFormatException      when a file is damaged
     */
    ImageSet load(String split, DataLocations loc);
}
