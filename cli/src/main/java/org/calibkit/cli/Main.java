package org.calibkit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import org.calibkit.core.CalibkitException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code calibkit} command. Bad input never shows a stack trace: it is
 * printed as one line {@code calibkit: error: ...} on stderr with exit code 1 (2 for usage
 * errors). Set {@code CALIBKIT_DEBUG=1} to get the stack trace as well.
 */
@Command(name = "calibkit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Can this classifier's probabilities be trusted? Data, training, calibration and audits.",
        subcommands = {DemoCommand.class, AuditCommand.class, CompareCommand.class, CalibrateCommand.class,
                PredictCommand.class, DoctorCommand.class, MonitorCommand.class, DataCommand.class, TrainCommand.class,
                MetricsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input or a failed run. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a command line that could not be parsed. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with calibkit's error handling, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        System.clearProperty(org.calibkit.core.worker.WorkerOptions.IN_PROCESS_PROPERTY); // set again by --in-process
        cl.setSplitQuotedStrings(true); // a '"' in --class-names is a character, not an unbalanced quote
        cl.setExecutionStrategy(parsed -> {
            try {
                org.calibkit.cli.limits.OptionBounds.check(parsed); // before anything is loaded
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("calibkit: error: " + describe(ex));
            if (System.getenv("CALIBKIT_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("calibkit: error: " + org.calibkit.core.Messages.oneLine(ex.getMessage(), 2000));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /** One line for an exception: its message, with the kind for I/O problems. */
    static String describe(Throwable ex) {
        // one line whatever the message holds: native multi-line text folded, bytes from files escaped,
        // Jackson's second line (" at [Source: ...]") dropped
        String text = describeRaw(ex);
        return org.calibkit.core.Messages.oneLine(text.replaceAll("\\R\\s*at \\[Source: [^\\n]*", ""), 2000);
    }

    private static String describeRaw(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof NoSuchFileException) {
            return "no such file: " + t.getMessage();
        }
        String msg = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof CalibkitException || t instanceof IllegalArgumentException) {
            return msg;
        }
        if (t instanceof IOException) {
            return "I/O error: " + msg;
        }
        return t.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg);
    }

    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * Tribuo and OLCUT log every training run at INFO through java.util.logging, which reads
     * as noise between calibkit's own progress lines in a CI log. Keep their warnings; show
     * everything with {@code CALIBKIT_DEBUG=1}. (TensorFlow's native INFO lines are silenced
     * by the launcher through TF_CPP_MIN_LOG_LEVEL, which must be set before the process starts.)
     */
    static void quietLibraryLogging() {
        if (System.getenv("CALIBKIT_DEBUG") == null) {
            for (String name : new String[] {"org.tribuo", "com.oracle.labs.mlrg.olcut"}) {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
                logger.setLevel(java.util.logging.Level.WARNING);
                KEEP.add(logger); // loggers are weakly held: keep a reference or the level is lost
            }
        }
    }

    private static final java.util.List<java.util.logging.Logger> KEEP = new java.util.ArrayList<>();

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"calibkit " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
