package org.calibkit.cli.audit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.calibkit.core.open.OpenedModel;

/**
 * A model being opened on a thread of its own (starting the worker JVM and loading the engine
 * take a second or more), while the caller loads the data and generates the probes.
 * {@link #get()} waits for it and throws what opening threw, the same exception; {@link #close()}
 * waits too and closes the model if it opened, so no worker outlives the audit.
 */
final class BackgroundOpen implements AutoCloseable {
    private final CompletableFuture<OpenedModel> future = new CompletableFuture<>();

    private BackgroundOpen() {
    }

    /** Starts {@code open} on a new daemon thread. */
    static BackgroundOpen start(Supplier<OpenedModel> open) {
        BackgroundOpen b = new BackgroundOpen();
        Thread t = new Thread(() -> {
            try {
                b.future.complete(open.get());
            } catch (Throwable e) {
                b.future.completeExceptionally(e);
            }
        }, "calibkit-model-open");
        t.setDaemon(true);
        t.start();
        return b;
    }

    /** The opened model, once it is open; what opening threw, as it was thrown. */
    OpenedModel get() {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** Waits for the opening to end and closes the model if it opened. */
    @Override
    public void close() {
        OpenedModel m;
        try {
            m = future.join();
        } catch (CompletionException e) {
            return; // nothing was opened; the failure was thrown by get() or gives way to the caller's
        }
        m.close();
    }
}
