package org.calibkit.core.worker;

import org.calibkit.core.Messages;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Timer;
import java.util.TimerTask;

import org.calibkit.calibration.Logits;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A child JVM that runs one model (the parent side of {@link WorkerMain}). Started with this
 * JVM's own {@code java} binary and class path, a heap of {@link WorkerOptions#heapMegabytes()},
 * its working directory, {@code java.io.tmpdir} and {@code -XX:ErrorFile} all in a fresh
 * temporary directory that {@link #close()} deletes (so no {@code hs_err_pid*.log}, core file
 * or {@code onnxruntime-java*} directory is left behind). Its standard error is kept (the last
 * 64 KiB) to explain a crash, and shown only with {@code CALIBKIT_DEBUG=1}.
 *
 * <p>When the child dies, the request in flight fails with one {@link CalibkitException}:
 * "the model crashed ONNX Runtime while computing logits ... (signal SIGFPE); the file is
 * unusable"; when a request takes longer than {@link WorkerOptions#timeout()}, the child is
 * killed and the message says so; when its resident memory (Java heap plus what the native engine
 * allocates, read from {@code /proc/PID/status} every {@value #MEMORY_POLL_MS} ms) passes
 * {@link WorkerOptions#memoryMegabytes()}, it is killed before it takes the machine with it, and
 * the message says that. Not thread-safe: one request at a time.
 */
public final class ModelWorker implements AutoCloseable {
    /** Pixels per logits frame, at most (about 32 MB): larger sets go in several requests. */
    static final int CHUNK_FLOATS = 8 << 20;
    /** How often the worker's resident memory is read. */
    static final int MEMORY_POLL_MS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final OutputStream toChild;
    private final InputStream fromChild;
    private final StderrTail stderr;
    private final WorkerOptions options;
    private final String engine;
    private final Thread cleanup;
    private final Timer timer = new Timer("calibkit-worker-watchdog", true);
    private volatile boolean timedOut;
    private volatile long memoryExceededKb;
    private boolean dead;

    private ModelWorker(Process process, Path dir, StderrTail stderr, WorkerOptions options, String engine, Thread cleanup) {
        this.process = process;
        this.dir = dir;
        this.toChild = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.fromChild = new BufferedInputStream(process.getInputStream(), 1 << 16);
        this.stderr = stderr;
        this.options = options;
        this.engine = engine;
        this.cleanup = cleanup;
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (Files.isReadable(status)) {
            timer.scheduleAtFixedRate(new TimerTask() {
                @Override
                public void run() {
                    long kb = residentKb(status);
                    if (kb > (long) options.memoryMegabytes() << 10) {
                        memoryExceededKb = kb;
                        process.destroyForcibly();
                        cancel();
                    } else if (kb < 0) {
                        cancel(); // gone
                    }
                }
            }, 0, MEMORY_POLL_MS);
        }
    }

    /** VmRSS of a {@code /proc/PID/status} file in kB, or -1 when it cannot be read (the process has gone). */
    static long residentKb(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            return 0; // a zombie has no VmRSS line
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Starts a worker and waits for its greeting.
     *
     * @param engine the native engine the model will run on, for messages ("ONNX Runtime", "TensorFlow")
     * @throws CalibkitException when the child JVM cannot be started
     */
    public static ModelWorker start(WorkerOptions options, String engine) {
        Path dir;
        try {
            dir = Files.createTempDirectory("calibkit-worker-");
        } catch (IOException e) {
            throw new CalibkitException("cannot create a temporary directory for the model worker: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + options.heapMegabytes() + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:+DisplayVMOutputToStderr"); // the crash banner, which goes to stdout by default
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(absoluteClassPath()); // the child runs in another working directory
        cmd.add(WorkerMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteTree(dir);
            throw new CalibkitException("cannot start the model worker (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
        StderrTail tail = new StderrTail(p.getErrorStream());
        Thread cleanup = new Thread(() -> {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dir);
        }, "calibkit-worker-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ModelWorker w = new ModelWorker(p, dir, tail, options, engine, cleanup);
        try {
            Frames.Frame hello = w.receive("starting");
            if (hello.type() != Frames.HELLO) {
                throw w.protocol("starting", "expected a greeting, got frame type " + hello.type());
            }
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private static String absoluteClassPath() {
        StringBuilder b = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                b.append(b.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(e).toAbsolutePath());
            }
        }
        return b.toString();
    }

    /**
     * Asks the worker to open a model through {@code opener} (a {@link WorkerOpener} class).
     *
     * @param doing what this is, for messages ("loading /m/x.onnx")
     * @return the opener's description of the model
     * @throws CalibkitException with the worker's message, or describing its crash
     */
    public JsonNode open(Class<? extends WorkerOpener> opener, JsonNode request, String doing) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("opener", opener.getName());
        msg.set("request", request);
        try {
            send(Frames.OPEN, JSON.writeValueAsBytes(msg), doing);
            Frames.Frame f = receive(doing);
            if (f.type() != Frames.OPENED) {
                throw protocol(doing, "expected OPENED, got frame type " + f.type());
            }
            return JSON.readTree(f.payload());
        } catch (IOException e) {
            throw protocol(doing, e.getMessage());
        }
    }

    /**
     * Logits of {@code images} from the opened model, sent in chunks of at most about 32 MB.
     *
     * @param checkRange whether the model's pixel-range guard applies
     * @param k          the number of classes the model declared when it was opened
     * @param doing      what this is, for messages ("computing logits of x.onnx")
     */
    public Logits logits(ImageSet images, boolean checkRange, int k, String doing) {
        int n = images.size();
        int ppi = images.pixelsPerImage();
        if (n == 0) {
            return request(images, 0, 0, checkRange, k, doing + " for 0 images");
        }
        int per = Math.max(1, CHUNK_FLOATS / ppi);
        if (n <= per) {
            return request(images, 0, n, checkRange, k, doing + " for " + n + " images");
        }
        double[] all = new double[Math.multiplyExact(n, k)];
        for (int from = 0; from < n; from += per) {
            int to = Math.min(n, from + per);
            Logits z = request(images, from, to, checkRange, k,
                    String.format(Locale.ROOT, "%s for images %d..%d of %d", doing, from + 1, to, n));
            for (int i = 0; i < z.n(); i++) {
                System.arraycopy(z.row(i), 0, all, (from + i) * k, k);
            }
        }
        return Logits.of(all, n, k);
    }

    private Logits request(ImageSet images, int from, int to, boolean checkRange, int k, String doing) {
        int n = to - from;
        int ppi = images.pixelsPerImage();
        byte[] ds = images.origin().dataset().getBytes(StandardCharsets.UTF_8);
        byte[] sp = images.origin().split().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = Frames.allocate(4L * 7 + ds.length + sp.length + 4L * n * ppi);
        b.putInt(checkRange ? 1 : 0).putInt(n).putInt(images.channels()).putInt(images.height()).putInt(images.width());
        b.putInt(ds.length).put(ds).putInt(sp.length).put(sp);
        b.asFloatBuffer().put(images.rawPixels(), from * ppi, n * ppi);
        send(Frames.LOGITS, b.array(), doing);
        Frames.Frame f = receive(doing, 8L + 8L * n * k);
        if (f.type() != Frames.RESULT) {
            throw protocol(doing, "expected RESULT, got frame type " + f.type());
        }
        ByteBuffer r = f.buffer();
        int rn = r.getInt();
        int rk = r.getInt();
        if (rn != n || rk != k || r.remaining() != 8L * n * k) {
            throw protocol(doing, "the worker answered " + rn + " x " + rk + " logits for " + n + " images of " + k + " classes");
        }
        double[] v = new double[n * k];
        r.asDoubleBuffer().get(v);
        return Logits.of(v, n, k);
    }

    private void send(int type, byte[] payload, String doing) {
        if (dead) {
            throw new CalibkitException("the model worker has stopped; cannot go on " + doing);
        }
        try {
            Frames.write(toChild, type, payload);
        } catch (IOException e) {
            throw failure(doing);
        }
    }

    private Frames.Frame receive(String doing) {
        return receive(doing, 64L << 20);
    }

    private Frames.Frame receive(String doing, long max) {
        TimerTask watchdog = new TimerTask() {
            @Override
            public void run() {
                timedOut = true;
                process.destroyForcibly();
            }
        };
        timer.schedule(watchdog, options.timeout().toMillis());
        Frames.Frame f;
        try {
            f = Frames.read(fromChild, Math.max(max, 1L << 20));
        } catch (IOException e) {
            watchdog.cancel();
            if (timedOut || exits()) {
                throw failure(doing);
            }
            throw protocol(doing, e.getMessage());
        }
        watchdog.cancel();
        if (f == null) {
            throw failure(doing);
        }
        if (f.type() == Frames.ERROR) {
            throw new CalibkitException(Messages.printable(f.text()));
        }
        if (f.type() == Frames.AMBIGUOUS_OUTPUT) {
            throw ambiguous(f, doing);
        }
        return f;
    }

    /** The worker's typed "several outputs could hold the scores", read back (a damaged payload is a protocol error). */
    private CalibkitException ambiguous(Frames.Frame f, String doing) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.payload());
            List<String> candidates = new java.util.ArrayList<>();
            n.path("candidates").forEach(c -> candidates.add(Messages.printable(c.asText())));
            return new org.calibkit.core.sources.AmbiguousOutputException(Messages.printable(n.path("message").asText()),
                    candidates);
        } catch (IOException e) {
            return protocol(doing, "an unreadable ambiguous-output frame");
        }
    }

    /** Whether the child is dying (a crash handler may write before the process ends). */
    private boolean exits() {
        try {
            return process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() != 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private CalibkitException protocol(String doing, String what) {
        dead = true;
        process.destroyForcibly();
        return new CalibkitException("the model worker broke its protocol while " + doing + " (" + Messages.printable(what)
                + "); did native code write to standard output?");
    }

    /** The child has died (or was killed by the watchdog): say why, in one line. */
    private CalibkitException failure(String doing) {
        dead = true;
        int code;
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            code = -1;
        }
        stderr.await();
        String err = stderr.text();
        if (memoryExceededKb > 0) {
            return new CalibkitException(String.format(Locale.ROOT, "the model took more than %d MB of memory while %s "
                    + "(%d MB resident when it was stopped; the worker's limit, CALIBKIT_WORKER_MEMORY_MB, raises it)",
                    options.memoryMegabytes(), doing, memoryExceededKb >> 10));
        }
        if (timedOut) {
            return new CalibkitException(String.format(Locale.ROOT, "the model did not finish %s within %d s, the worker's "
                    + "time limit (CALIBKIT_WORKER_TIMEOUT_S raises it); stopped it", doing, options.timeout().toSeconds()));
        }
        if (err.contains("java.lang.OutOfMemoryError") || code == 3) {
            return new CalibkitException("the model needed more memory than the worker's heap of " + options.heapMegabytes()
                    + " MB while " + doing + " (CALIBKIT_WORKER_HEAP_MB raises it)");
        }
        return Crash.explain(code, err, dir, engine, doing);
    }

    /** Asks the child to exit, kills it if it does not, and deletes its temporary directory. */
    @Override
    public void close() {
        timer.cancel();
        if (process.isAlive() && !dead) {
            try {
                Frames.write(toChild, Frames.BYE, new byte[0]);
                toChild.close();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (IOException e) {
                // it is going away anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stderr.await();
        deleteTree(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
    }

    /** The worker's temporary directory (its working directory), for tests. */
    Path directory() {
        return dir;
    }

    static void deleteTree(Path dir) {
        org.calibkit.calibration.io.AtomicWrite.deleteTree(dir);
    }
}
