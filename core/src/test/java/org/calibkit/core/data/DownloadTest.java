package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The download path against a real HTTP server on localhost serving real (or wrong) files. */
class DownloadTest extends RealMnistTest {
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            synchronized (requests) {
                requests.add(name);
            }
            byte[] body = served.get(name);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        server.start();
        loc = new DataLocations(null, tmp.resolve("cache"), null, true, false, progress.listener);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private IdxDataset mnistFrom(String... mirrors) {
        return new IdxDataset("mnist", "test", ClassNames.DIGITS, Mnist.create().files(), List.of(mirrors), null, null, null);
    }

    private List<String> cacheFiles(String set) throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("cache").resolve(set))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted().toList();
        }
    }

    @Test
    void gzipFromAMirrorAfterAnUnreachableOne() throws IOException {
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            served.put(f.name() + ".gz", DataFixtures.gzip(Files.readAllBytes(realCache.resolve(f.name()))));
        }
        // port 1 on localhost refuses connections: the chain must move on to the next mirror
        mnistFrom("http://127.0.0.1:1/", base()).fetch(loc, loc.progress());
        assertEquals(List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte"), cacheFiles("mnist"));
        assertTrue(progress.messages.stream().anyMatch(m -> m.contains("cannot reach 127.0.0.1:1")), progress.messages.toString());
        assertEquals(4, progress.messages.stream().filter(m -> m.contains("ok (from " + base())).count(), progress.messages.toString());
        assertTrue(progress.warnings.isEmpty(), progress.warnings.toString());
    }

    @Test
    void aDownloadThatDoesNotVerifyIsRefusedAndTheNextMirrorUsed() throws IOException {
        String other = "/other";
        server.createContext(other + "/", ex -> {
            String name = ex.getRequestURI().getPath().substring(other.length() + 1);
            byte[] body = DataFixtures.gzip(Files.readAllBytes(realCache.resolve(name.replace(".gz", ""))));
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
            ex.close();
        });
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            byte[] raw = Files.readAllBytes(realCache.resolve(f.name()));
            raw[raw.length - 1] ^= 1; // a valid file with one wrong byte
            served.put(f.name() + ".gz", DataFixtures.gzip(raw));
        }
        mnistFrom(base(), base() + "other/").fetch(loc, loc.progress());
        assertEquals(4, progress.warnings.stream().filter(w -> w.contains("refused") && w.contains("is not the pinned")).count(),
                progress.warnings.toString());
        assertEquals(4, cacheFiles("mnist").size());
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            assertEquals(f.sha256(), Checksums.sha256(tmp.resolve("cache/mnist").resolve(f.name())));
        }
    }

    @Test
    void missingEverywhereListsWhatWasTried() {
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> mnistFrom(base()).fetch(loc, loc.progress()));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("Put the files (raw or .gz) in " + tmp.resolve("cache/mnist")), e.getMessage());
    }

    @Test
    void svhnDownloadWithTheWrongMd5IsRefused() throws IOException {
        Path small = tmp.resolve("small.mat");
        SvhnFiles.write(DataFixtures.randomSvhnLike(4, 3), small);
        served.put("train_32x32.mat", Files.readAllBytes(small));
        served.put("test_32x32.mat", Files.readAllBytes(small));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new SvhnDataset(base()).fetch(loc, loc.progress()));
        assertTrue(e.getMessage().contains("refused download of " + base() + "train_32x32.mat"), e.getMessage());
        assertTrue(e.getMessage().contains("is not the published e26dedcc434d2e4c54c9b2d4a06d8373"), e.getMessage());
        assertEquals(List.of(), cacheFiles("svhn"), "nothing kept, not even a partial file");
        assertFalse(Files.exists(tmp.resolve("cache/svhn/train_32x32.mat")));
    }
}
