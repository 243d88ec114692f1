package org.calibkit.cli.hostile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes issue 17's crafted files into a directory, to try them by hand:
 * {@code java -cp <test class path> org.calibkit.cli.hostile.WriteCraftedFiles DIR}.
 */
public final class WriteCraftedFiles {
    private WriteCraftedFiles() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.write(dir.resolve("ok.onnx"), CraftedModels.conv(1, 1));
        Files.write(dir.resolve("stride0.onnx"), CraftedModels.conv(0, 0));
        Files.write(dir.resolve("passwd.onnx"), CraftedModels.externalWeights("../../../../etc/passwd"));
        Files.write(dir.resolve("hungry.onnx"), CraftedModels.hungry(150_000_000L));
        Files.write(dir.resolve("digits.npy"), HostileCli.npy(4));
        CraftedGraphs.savedModel(dir.resolve("float-ksize"), false);
        CraftedGraphs.savedModel(dir.resolve("honest-ksize"), true);
    }
}
