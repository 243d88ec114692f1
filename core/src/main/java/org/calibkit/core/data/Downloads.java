package org.calibkit.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain HTTP(S) downloads with short connect timeouts, so that a machine without internet falls
 * through to the next source in seconds. A host (host:port) that could not be reached is not tried
 * again by this JVM.
 */
final class Downloads {
    /** Connect timeout: an offline machine must fall through quickly. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(4);

    private static final Set<String> DEAD_HOSTS = ConcurrentHashMap.newKeySet();
    private static volatile HttpClient client;

    private Downloads() {
    }

    /** Thrown when a host cannot be reached at all (as opposed to a bad response). */
    static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    /**
     * Downloads {@code url} into {@code target} (overwritten), reporting bytes to {@code progress}.
     *
     * @throws UnreachableException when the host cannot be reached
     * @throws IOException          for a non-200 answer or a broken transfer
     */
    static void download(String url, Path target, String what, ProgressListener progress) throws IOException {
        URI uri = URI.create(url);
        String host = uri.getAuthority();
        if (host != null && DEAD_HOSTS.contains(host)) {
            throw new UnreachableException(host + " was unreachable earlier in this run", null);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "calibkit").GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            markDead(host);
            throw new UnreachableException("cannot reach " + host + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException) {
                markDead(host);
                throw new UnreachableException("cannot reach " + host + ": " + e.getCause(), e);
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode() + " for " + url);
            }
            long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (OutputStream out = Files.newOutputStream(target)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                progress.bytes(what, 0, total);
                for (int r; (r = in.read(buf)) > 0; ) {
                    out.write(buf, 0, r);
                    done += r;
                    progress.bytes(what, done, total);
                }
                if (total >= 0 && done != total) {
                    throw new IOException("download of " + url + " ended after " + done + " of " + total + " bytes");
                }
            }
        }
    }

    private static void markDead(String host) {
        if (host != null) {
            DEAD_HOSTS.add(host);
        }
    }
}
