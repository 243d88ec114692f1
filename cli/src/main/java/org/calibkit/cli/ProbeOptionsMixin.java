package org.calibkit.cli;

import org.calibkit.cli.audit.AuditJob;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.probes.ProbeContext;

import picocli.CommandLine.Option;

/** The probe and interval options every audit-like command takes ({@code audit}, {@code compare}). */
final class ProbeOptionsMixin {
    @Option(names = "--probes", paramLabel = "all|LIST", defaultValue = "all",
            description = "probes to run: all, or a comma-separated list of names (default: ${DEFAULT-VALUE})")
    String probes;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.9",
            description = "confidence counted as overconfident on probes (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--probe-size", paramLabel = "N", defaultValue = "" + ProbeContext.DEFAULT_SIZE,
            description = "images per probe (default: ${DEFAULT-VALUE})")
    int probeSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of probes and bootstrap (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resamples", paramLabel = "R", defaultValue = "" + Audit.DEFAULT_RESAMPLES,
            description = "bootstrap resamples for the intervals (default: ${DEFAULT-VALUE})")
    int resamples;

    /** The audit options with this calibration and these probe and interval settings. */
    AuditJob.Options options(String calibration) {
        return AuditJob.Options.defaults().withCalibration(calibration).withProbes(probes).withThreshold(threshold)
                .withProbeSize(probeSize).withSeed(seed).withResamples(resamples);
    }
}
