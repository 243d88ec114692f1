package org.calibkit.core.data;

import java.nio.file.Path;

/** Test helper run as a separate JVM: fetches MNIST from a user directory into a cache, offline. */
public final class FetchMain {
    private FetchMain() {
    }

    /** args: cacheDir userDir. */
    public static void main(String[] args) {
        DataLocations loc = new DataLocations(Path.of(args[1]), Path.of(args[0]), null, false, false,
                ProgressListener.lines(System.out));
        Mnist.create().fetch(loc, loc.progress());
        System.out.println("done");
    }
}
