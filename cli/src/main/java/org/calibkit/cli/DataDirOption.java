package org.calibkit.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --data-dir}: where a named data set's files are (audit, compare, calibrate, doctor, demo, monitor). */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory holding the data set's files")
    Path dataDir;
}
