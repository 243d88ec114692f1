package org.calibkit.core.data;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * notMNIST letters A-J (Bulatov 2011), a 10,000-image test sample in MNIST's IDX layout (28x28,
 * white glyph on black), classes "A".."J": out-of-distribution input for a digit classifier.
 */
public final class NotMnistDataset extends SharedFileDataset {
    /** Name in the catalog. */
    public static final String NAME = "notmnist";
    /** Class names A..J. */
    public static final List<String> CLASS_NAMES = List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
    static final Pinned IMAGES = new Pinned("t10k-images-idx3-ubyte.gz",
            "70ae9e06201f2827e5b0a3781a3169d735dd2efc69996b9eeaee7f10ed4044d7");
    static final Pinned LABELS = new Pinned("t10k-labels-idx1-ubyte.gz",
            "1fa03836e01c862542f8eb83463bb951bebec6fcb3efa28dad748c6b38a9021b");

    /** The catalog entry. */
    public NotMnistDataset() {
        super(NAME, "notMNIST letters A-J, test sample, 28x28 grey (Bulatov 2011)", CLASS_NAMES, "notmnist",
                List.of(IMAGES, LABELS));
    }

    @Override
    public ImageSet load(String split, DataLocations loc) {
        if (!split.equals(Splits.TEST)) {
            throw Splits.unknown(NAME, split, splits());
        }
        Path dir = require(loc);
        Path images = dir.resolve(IMAGES.name());
        Path labels = dir.resolve(LABELS.name());
        String sha = checksum(images, IMAGES, loc.progress()); // hashed once, for the check and the origin
        boolean ok = sha.equals(IMAGES.sha256()) & verify(labels, LABELS, loc.progress());
        DataOrigin origin = new DataOrigin(NAME, split, images.toString(), sha, ok);
        return IdxFiles.read(images, labels, CLASS_NAMES, origin);
    }
}
