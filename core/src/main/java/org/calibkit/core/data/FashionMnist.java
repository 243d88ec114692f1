package org.calibkit.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747): Zalando article images in MNIST's
 * layout, 60,000 training and 10,000 test images, 28x28 grey, light object on black.
 *
 * <p>Checks: the uncompressed files are pinned by SHA-256 (computed from the files of the Debian
 * package {@code dataset-fashion-mnist}, whose .gz files are recompressed and so have other MD5s
 * than the published ones); a download of a .gz file from the official location is also checked
 * against the MD5 published by the authors before it is decompressed.
 */
public final class FashionMnist {
    /** Name in the catalog. */
    public static final String NAME = "fashion-mnist";
    /** Where the Debian package {@code dataset-fashion-mnist} installs the .gz files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** The data set. */
    public static IdxDataset create() {
        return new IdxDataset(NAME, "Fashion-MNIST clothing images, 28x28 grey (Xiao et al. 2017)", CLASS_NAMES,
                List.of(new IdxDataset.FileSpec("train-images-idx3-ubyte",
                                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                                "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                        new IdxDataset.FileSpec("train-labels-idx1-ubyte",
                                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                                "25c81989df183df01b3e8a0aad5dffbe"),
                        new IdxDataset.FileSpec("t10k-images-idx3-ubyte",
                                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                                "bef4ecab320f06d8554ea6380940ec79"),
                        new IdxDataset.FileSpec("t10k-labels-idx1-ubyte",
                                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
                                "bb300cfdad3c16e7a12a480ee83cd310")),
                List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                SYSTEM_DIR, null, null);
    }
}
