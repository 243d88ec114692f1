package org.calibkit.core.worker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The worker protocol, version {@value #VERSION}: every message is one frame
 * <pre>
 *   'C' 'K' 'W' version(1 byte) | type (1 byte) | payload length (int32, big-endian) | payload
 * </pre>
 * Types: {@link #HELLO} (child, empty), {@link #OPEN} (parent, UTF-8 JSON), {@link #OPENED}
 * (child, UTF-8 JSON), {@link #LOGITS} (parent: int32 flags, n, channels, height, width, then
 * n*c*h*w float32), {@link #RESULT} (child: int32 n, k, then n*k float64), {@link #ERROR}
 * (child, UTF-8 message), {@link #BYE} (parent, empty). Numbers are little-endian inside
 * payloads. A reader names the largest payload it accepts, so a damaged or hostile stream
 * can never make it allocate more; anything else (bad magic, unknown version) is an
 * {@link IOException}.
 */
public final class Frames {
    /** Protocol version written in every frame; a frame of another version is refused. */
    public static final int VERSION = 1;
    public static final int HELLO = 0;
    public static final int OPEN = 1;
    public static final int OPENED = 2;
    public static final int LOGITS = 3;
    public static final int RESULT = 4;
    public static final int ERROR = 5;
    public static final int BYE = 6;
    /** Child: the model has several outputs that could hold the scores (JSON: message, candidates). */
    public static final int AMBIGUOUS_OUTPUT = 7;

    private Frames() {
    }

    /** One frame read back. */
    public record Frame(int type, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The payload as little-endian numbers. */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Writes one frame and flushes. */
    public static void write(OutputStream out, int type, byte[] payload) throws IOException {
        byte[] head = {'C', 'K', 'W', (byte) VERSION, (byte) type, 0, 0, 0, 0};
        ByteBuffer.wrap(head, 5, 4).putInt(payload.length);
        out.write(head);
        out.write(payload);
        out.flush();
    }

    /** Writes a text frame. */
    public static void write(OutputStream out, int type, String text) throws IOException {
        write(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads one frame.
     *
     * @param maxPayload the largest payload accepted
     * @return the frame, or null at a clean end of stream before its first byte
     * @throws IOException on a truncated frame, bad magic, another version or a payload over the limit
     */
    public static Frame read(InputStream in, long maxPayload) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            return null;
        }
        byte[] head = new byte[8];
        d.readFully(head);
        if (first != 'C' || head[0] != 'K' || head[1] != 'W') {
            throw new IOException("not a worker frame (bad magic)");
        }
        if (head[2] != VERSION) {
            throw new IOException("worker protocol version " + head[2] + ", but this calibkit speaks " + VERSION);
        }
        int type = head[3];
        int len = ByteBuffer.wrap(head, 4, 4).getInt();
        if (len < 0 || len > maxPayload) {
            throw new IOException("worker frame of type " + type + " declares " + len + " bytes, more than the "
                    + maxPayload + " it may hold");
        }
        byte[] payload = new byte[len];
        try {
            d.readFully(payload);
        } catch (EOFException e) {
            throw new EOFException("worker frame truncated");
        }
        return new Frame(type, payload);
    }

    /** A little-endian buffer of {@code bytes} bytes for building a payload. */
    public static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a worker frame holds at most 2 GiB, but " + bytes + " bytes were asked");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
