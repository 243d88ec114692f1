package org.calibkit.core.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The last 64 KiB of a stream, read on a daemon thread (echoed with CALIBKIT_DEBUG=1). */
final class StderrTail {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;

    StderrTail(InputStream in) {
        boolean echo = System.getenv("CALIBKIT_DEBUG") != null;
        thread = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int r;
                while ((r = in.read(buf)) > 0) {
                    if (echo) {
                        System.err.write(buf, 0, r);
                    }
                    synchronized (kept) {
                        kept.write(buf, 0, r);
                        if (kept.size() > (128 << 10)) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - (64 << 10), 64 << 10);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "calibkit-worker-stderr");
        thread.setDaemon(true);
        thread.start();
    }

    void await() {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String text() {
        synchronized (kept) {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
