package org.calibkit.core.data;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * USPS handwritten digits, test split only (2,007 images, Hull 1994), converted to MNIST's
 * convention by {@link UspsFiles#read}: a digit source other than MNIST (a data-set shift).
 */
public final class UspsDataset extends SharedFileDataset {
    /** Name in the catalog. */
    public static final String NAME = "usps";
    static final Pinned FILE = new Pinned("zip.test", "6bde17b4f1cd68e0630cd2751d6495b5795d9165ab2dc4a0be8b7002b732f4cc");

    /** The catalog entry. */
    public UspsDataset() {
        super(NAME, "USPS handwritten digits, test split, 16x16 resized to MNIST's 28x28 convention (Hull 1994)",
                ClassNames.DIGITS, "usps", List.of(FILE));
    }

    @Override
    public ImageSet load(String split, DataLocations loc) {
        if (!split.equals(Splits.TEST)) {
            throw Splits.unknown(NAME, split, splits());
        }
        Path file = require(loc).resolve(FILE.name());
        String sha = checksum(file, FILE, loc.progress());
        return UspsFiles.read(file, new DataOrigin(NAME, split, file.toString(), sha, sha.equals(FILE.sha256())));
    }
}
