package org.calibkit.cli;

import java.nio.file.Path;

import org.calibkit.cli.audit.AuditJob;

import picocli.CommandLine.Option;

/** {@code --out} and {@code --json}: the HTML page a command writes and its JSON twin (audit, compare, monitor). */
final class ReportFilesMixin {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the HTML page to write")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the JSON twin here")
    Path json;

    /** The two files as the jobs take them. */
    AuditJob.Outputs outputs() {
        return new AuditJob.Outputs(out, json);
    }
}
