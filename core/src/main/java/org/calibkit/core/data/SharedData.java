package org.calibkit.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared data directory ({@code shared/data} beside the checkout) that holds USPS and
 * notMNIST: system property {@code calibkit.home} + {@code /../shared/data} (the launcher sets it
 * to the repository root), then env {@code CALIBKIT_SHARED_DATA}, then a sibling
 * {@code shared/data} of the working directory or any of its parents.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The directory, or {@code null} when none of the places has it. */
    public static Path find() {
        String home = System.getProperty("calibkit.home");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).toAbsolutePath().resolve("../shared/data").normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        String env = System.getenv("CALIBKIT_SHARED_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("data");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where the lookup was done, for messages. */
    static String searched() {
        return "system property calibkit.home + /../shared/data, env CALIBKIT_SHARED_DATA, "
                + "or a shared/data directory beside the working directory or one of its parents";
    }
}
