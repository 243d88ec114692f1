package org.calibkit.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * The tests' synthetic image data: class k is a bright horizontal bar at rows 4k+1..4k+2 of a
 * 12x12 grey PNG over uniform noise 0..99 (a logistic model learns it in a second).
 */
final class BarImages {
    static final int SIDE = 12;

    private BarImages() {
    }

    /**
     * Writes one image: the bar of class {@code bar} (values 150..255), or noise alone for
     * {@code bar} -1. Draws from {@code rnd} row by row, one value per pixel and one more per bar
     * pixel, so a seeded run always writes the same files.
     */
    static void write(Path file, int bar, java.util.Random rnd) throws IOException {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int v = rnd.nextInt(100);
                if (bar >= 0 && (y == 4 * bar + 1 || y == 4 * bar + 2)) {
                    v = 150 + rnd.nextInt(106);
                }
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /**
     * Trains the tests' logistic regression (2 epochs, batch 1, learning rate 0.05, seed 7) on the
     * class folders of {@code data/train} and saves it as {@code dir/bars.ckb}; returns that file.
     */
    static Path trainBundle(Path dir, Path data) throws IOException {
        org.calibkit.core.ImageSet train = org.calibkit.core.data.images.ImageFolders.readFolders(data.resolve("train"),
                "train", org.calibkit.core.data.images.ImageFolders.Options.defaults());
        Path model = dir.resolve("bars.ckb");
        try (org.calibkit.core.model.ModelBundle b = new org.calibkit.core.train.LogisticTrainer(2, 1, 0.05, 7)
                .train(train, null, s -> { })) {
            b.save(model);
        }
        return model;
    }
}
