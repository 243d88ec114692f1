package org.calibkit.cli.audit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Work done on a thread of its own while the caller goes on: a model being opened (starting the
 * worker JVM and loading the engine take a second or more) while the data load and the probes
 * are generated. {@link #get()} waits for it
 * and throws what the work threw, the same exception; {@link #finish} waits too and hands a
 * result on (a model to close), so nothing outlives the audit.
 *
 * @param <T> what the work makes
 */
final class Background<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();

    private Background() {
    }

    /** Starts {@code work} on a new daemon thread named {@code name}. */
    static <T> Background<T> start(String name, Supplier<T> work) {
        Background<T> b = new Background<>();
        Thread t = new Thread(() -> {
            try {
                b.future.complete(work.get());
            } catch (Throwable e) {
                b.future.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return b;
    }

    /** The result, once it is there; what the work threw, as it was thrown. */
    T get() {
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

    /** Waits for the work to end and hands its result to {@code then}, if it made one (a failure was thrown by get() or gives way to the caller's). */
    void finish(Consumer<T> then) {
        T result;
        try {
            result = future.join();
        } catch (CompletionException e) {
            return;
        }
        then.accept(result);
    }
}
