package org.calibkit.cli;

import java.nio.file.Path;

import org.calibkit.cli.audit.AuditJob;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A required {@code --data} (a data set name or a folder of class folders) and its {@code --data-dir} (compare, doctor). */
final class LabelledDataMixin {
    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist, svhn, synthetic-svhn, or a directory with test/ (and validation/) class folders")
    String data;

    @Mixin
    DataDirOption where = new DataDirOption();

    Path dataDir() {
        return where.dataDir;
    }

    /** The test and validation splits, as the audit reads them. */
    AuditJob.Splits load() {
        return AuditJob.Splits.load(data, dataDir());
    }
}
