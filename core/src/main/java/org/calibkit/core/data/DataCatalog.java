package org.calibkit.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;

/** The data sets calibkit knows, by name. Adding one is one line in {@link #ALL}. */
public final class DataCatalog {
    private static final List<Dataset> ALL = List.of(
            Mnist.create(),
            FashionMnist.create(),
            new SvhnDataset(),
            new UspsDataset(),
            new NotMnistDataset(),
            new org.calibkit.core.data.synth.SyntheticSvhnDataset(),
            new org.calibkit.core.data.images.OmniglotDataset());

    private DataCatalog() {
    }

    /** Every known data set, in a stable order. */
    public static List<Dataset> all() {
        return ALL;
    }

    /**
     * The data set called {@code name}.
     *
     * @throws CalibkitException for an unknown name, listing the known ones
     */
    public static Dataset get(String name) {
        for (Dataset d : ALL) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new CalibkitException("unknown data set '" + name + "'; known: "
                + ALL.stream().map(Dataset::name).collect(Collectors.joining(", ")));
    }

    /**
     * Loads split {@code split} of data set {@code name}, acquiring it first when needed, with the
     * locations from the environment and {@code dataDirOrNull} as the user directory.
     */
    public static ImageSet load(String name, String split, Path dataDirOrNull) {
        return get(name).load(split, DataLocations.defaults(dataDirOrNull));
    }
}
