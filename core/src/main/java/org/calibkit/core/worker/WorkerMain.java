package org.calibkit.core.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.calibkit.calibration.Logits;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The child side of {@link ModelWorker}: reads frames from standard input, opens one model,
 * answers logits requests, and exits at {@code BYE} or at the end of its input (the parent
 * went away). Standard output carries only frames: {@code System.out} is pointed at standard
 * error before anything else runs.
 */
public final class WorkerMain {
    /** The largest request accepted: 1 GiB (the parent sends images in smaller chunks). */
    static final long MAX_REQUEST = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerMain() {
    }

    /** Entry point of the worker JVM; not for users. */
    public static void main(String[] args) throws IOException {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        Frames.write(out, Frames.HELLO, new byte[0]);
        LogitSource source = null;
        AutoCloseable closer = null;
        try {
            while (true) {
                Frames.Frame f = Frames.read(in, MAX_REQUEST);
                if (f == null || f.type() == Frames.BYE) {
                    break;
                }
                try {
                    if (f.type() == Frames.OPEN && source == null) {
                        JsonNode req = JSON.readTree(f.payload());
                        WorkerOpener.Opened o = opener(req.path("opener").asText()).open(req.path("request"));
                        source = o.source();
                        closer = o.closer();
                        Frames.write(out, Frames.OPENED, JSON.writeValueAsBytes(o.description()));
                    } else if (f.type() == Frames.LOGITS && source != null) {
                        Frames.write(out, Frames.RESULT, logits(source, f.buffer()));
                    } else {
                        Frames.write(out, Frames.ERROR, "worker: unexpected frame of type " + f.type());
                    }
                } catch (OutOfMemoryError e) {
                    Frames.write(out, Frames.ERROR, "the model needed more memory than the worker's heap of "
                            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB (set CALIBKIT_WORKER_HEAP_MB)");
                } catch (org.calibkit.core.sources.AmbiguousOutputException e) {
                    com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
                    n.put("message", e.getMessage());
                    e.candidates().forEach(n.putArray("candidates")::add);
                    Frames.write(out, Frames.AMBIGUOUS_OUTPUT, JSON.writeValueAsBytes(n));
                } catch (RuntimeException | IOException | LinkageError e) {
                    Frames.write(out, Frames.ERROR, describe(e));
                }
            }
        } finally {
            if (closer != null) {
                try {
                    closer.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }
        }
        System.exit(0);
    }

    private static WorkerOpener opener(String name) {
        try {
            Class<?> c = Class.forName(name);
            if (!WorkerOpener.class.isAssignableFrom(c)) {
                throw new CalibkitException("worker: " + name + " is not a WorkerOpener");
            }
            return (WorkerOpener) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new CalibkitException("worker: cannot create opener " + name + ": " + e, e);
        }
    }

    private static byte[] logits(LogitSource source, ByteBuffer b) {
        int flags = b.getInt();
        int n = b.getInt();
        int c = b.getInt();
        int h = b.getInt();
        int w = b.getInt();
        String dataset = string(b);
        String split = string(b);
        long pixels = (long) n * c * h * w;
        if (n < 0 || c < 1 || h < 1 || w < 1 || pixels * 4 != b.remaining()) {
            throw new CalibkitException("worker: a logits request of " + n + "x" + c + "x" + h + "x" + w
                    + " does not match its " + b.remaining() + " bytes");
        }
        float[] px = new float[(int) pixels];
        b.asFloatBuffer().get(px);
        List<String> names = source.classNames();
        ImageSet images = new ImageSet(px, new int[n], c, h, w, names, new DataOrigin(dataset, split, "worker", null, false));
        LogitSource s = (flags & 1) != 0 ? source : source.withoutRangeCheck();
        Logits z = s.logits(images);
        ByteBuffer out = Frames.allocate(8L + 8L * z.n() * z.k());
        out.putInt(z.n()).putInt(z.k());
        for (int i = 0; i < z.n(); i++) {
            for (double v : z.row(i)) {
                out.putDouble(v);
            }
        }
        return out.array();
    }

    private static String string(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new CalibkitException("worker: bad string length " + len);
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** One line for an exception raised in the worker. */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof CalibkitException || e instanceof IllegalArgumentException) {
            return msg == null ? e.getClass().getSimpleName() : msg;
        }
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
