package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.ProgressListener;
import org.calibkit.core.data.SvhnFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


class DataCommandTest {
    @TempDir
    Path tmp;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asInt()));
        return l;
    }

    @Test
    void listNamesEveryDataSet() {
        CliRun r = run("data", "list", "--cache-dir", tmp.toString(), "--offline");
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("mnist", "fashion-mnist", "svhn", "usps", "notmnist")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), r.out());
        }
        // an empty cache: mnist is not here and says how to get it
        String mnist = r.out().lines().filter(l -> l.startsWith("mnist ")).findFirst().orElseThrow();
        assertTrue(mnist.contains(" no ") && mnist.contains("calibkit data fetch mnist"), mnist);
    }

    @Test
    void infoJsonOfMnistIsOneObjectWithThePublishedCounts() throws Exception {
        CliRun r = run("data", "info", "mnist", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("mnist", j.get("name").asText());
        assertEquals(10, j.get("classes").size());
        JsonNode test = j.get("splits").get("test");
        assertEquals(10000, test.get("count").asInt());
        assertEquals(List.of(1, 28, 28), ints(test.get("shape")));
        assertEquals(List.of(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009), ints(test.get("label_counts")));
        assertTrue(test.get("sha256_verified").asBoolean());
        assertTrue(test.get("source").asText().endsWith("t10k-images-idx3-ubyte"));
        assertEquals(55000, j.get("splits").get("train").get("count").asInt());
        assertEquals(List.of(489, 530, 493, 509, 499, 458, 482, 563, 494, 483),
                ints(j.get("splits").get("validation").get("label_counts")));
    }

    @Test
    void infoJsonOfSvhnFilesThatDoNotVerify() throws Exception {
        SvhnFiles.write(DataFixtures.randomSvhnLike(5003, 1), tmp.resolve("d/svhn/train_32x32.mat"));
        SvhnFiles.write(DataFixtures.randomSvhnLike(7, 2), tmp.resolve("d/svhn/test_32x32.mat"));
        CliRun r = run("data", "info", "svhn", "--json", "--data-dir", tmp.resolve("d").toString(), "--cache-dir",
                tmp.resolve("c").toString(), "--offline");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode test = j.get("splits").get("test");
        assertEquals(7, test.get("count").asInt());
        assertEquals(List.of(3, 32, 32), ints(test.get("shape")));
        // randomSvhnLike labels are i % 10: 0..6 once each
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 0, 0, 0), ints(test.get("label_counts")));
        assertFalse(test.get("sha256_verified").asBoolean());
        assertEquals(3, j.get("splits").get("train").get("count").asInt());
        assertEquals(5000, j.get("splits").get("validation").get("count").asInt());
        assertTrue(r.err().contains("warning:") && r.err().contains("NOT verified"), r.err());
    }

    @Test
    void infoOfASmallSvhnTrainingFileReportsWhatExistsAndWhyThereIsNoValidationSplit() throws Exception {
        SvhnFiles.write(DataFixtures.randomSvhnLike(30, 5), tmp.resolve("small/svhn/train_32x32.mat"));
        SvhnFiles.write(DataFixtures.randomSvhnLike(7, 6), tmp.resolve("small/svhn/test_32x32.mat"));
        String[] args = {"data", "info", "svhn", "--data-dir", tmp.resolve("small").toString(), "--cache-dir",
                tmp.resolve("c2").toString(), "--offline"};
        CliRun text = run(args);
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("train-full") && l.contains(" 30 images")), text.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("test") && l.contains(" 7 images")), text.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("validation none: the training file has 30 images, too few "
                + "to hold out 5000 for validation")), text.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("train      none: ")), text.out());

        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        CliRun r = run(withJson);
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(30, j.at("/splits/train-full/count").asInt());
        assertEquals(7, j.at("/splits/test/count").asInt());
        assertFalse(j.get("splits").has("validation"));
        assertFalse(j.get("splits").has("train"));
        assertTrue(j.at("/unavailable/validation").asText().startsWith("the training file has 30 images, too few to hold "
                + "out 5000 for validation"), j.toString());
        assertTrue(j.at("/unavailable/train").isTextual());
    }

    @Test
    void unknownNameIsOneLineAndExit1() {
        CliRun r = run("data", "fetch", "cifar");
        assertEquals(1, r.code());
        assertEquals("calibkit: error: unknown data set 'cifar'; known: mnist, fashion-mnist, svhn, usps, notmnist, synthetic-svhn, omniglot",
                r.err().strip());
    }

    @Test
    void missingSvhnSaysWhereToPutTheFiles() {
        CliRun r = run("data", "fetch", "svhn", "--cache-dir", tmp.toString(), "--offline");
        assertEquals(1, r.code());
        List<String> lines = r.err().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("calibkit: error: svhn: ") && last.contains("put them in " + tmp.resolve("svhn")), last);
    }

    @Test
    void damagedFileIsOneLineNamingTheFile() throws Exception {
        Path dir = tmp.resolve("d/notmnist");
        DataFixtures.write(dir.resolve("t10k-images-idx3-ubyte.gz"), DataFixtures.gzip(DataFixtures.idxImages(2, 2, 2, new byte[8])));
        DataFixtures.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), DataFixtures.gzip(DataFixtures.idxLabels(1, 2, 3)));
        CliRun r = run("data", "info", "notmnist", "--data-dir", tmp.resolve("d").toString());
        assertEquals(1, r.code());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("calibkit: error: " + dir.resolve("t10k-labels-idx1-ubyte.gz")
                + ": expected 2 labels, one for each image in " + dir.resolve("t10k-images-idx3-ubyte.gz")
                + ", found 3 (at byte offset 4)", last);
    }

    @Test
    void fetchFromADirectoryPrintsPlainLinesWithoutCarriageReturns() throws Exception {
        // the real MNIST through the ordinary chain (a no-op when it is cached already)
        DataLocations defaults = DataLocations.defaults(null).withUserDir(null);
        DataCatalog.get("mnist").fetch(defaults, ProgressListener.silent());
        Path cache = defaults.cacheDir("mnist");
        Path user = tmp.resolve("u/mnist");
        Files.createDirectories(user);
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.copy(cache.resolve(f), user.resolve(f));
        }
        CliRun r = run("data", "fetch", "mnist", "--data-dir", tmp.resolve("u").toString(), "--cache-dir",
                tmp.resolve("c").toString(), "--offline");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r"));
        assertEquals(4, r.err().lines().filter(l -> l.contains("SHA-256 verified")).count(), r.err());
        assertEquals("mnist: ready (" + user + " (data directory))", r.out().strip());
        assertTrue(Files.isRegularFile(tmp.resolve("c/mnist/t10k-images-idx3-ubyte")), "copied into the cache");
    }

    @Test
    void byteProgressIsAFewPlainLinesOffATerminal() {
        StringWriter sw = new StringWriter();
        ProgressListener p = DataCommand.progress(new PrintWriter(sw), false);
        for (long done = 0; done <= 10_000_000; done += 65_536) {
            p.bytes("train_32x32.mat", done, 10_000_000);
        }
        p.bytes("train_32x32.mat", 10_000_000, 10_000_000);
        p.message("svhn: train_32x32.mat ok");
        String out = sw.toString();
        assertFalse(out.contains("\r"), out);
        List<String> lines = out.lines().toList();
        assertEquals(List.of("calibkit:   train_32x32.mat 0.0 MB of 9.5 MB (0%)", "calibkit:   train_32x32.mat 2.4 MB of 9.5 MB (25%)",
                "calibkit:   train_32x32.mat 4.8 MB of 9.5 MB (50%)", "calibkit:   train_32x32.mat 7.2 MB of 9.5 MB (75%)",
                "calibkit:   train_32x32.mat 9.5 MB of 9.5 MB (100%)", "calibkit: svhn: train_32x32.mat ok"), lines);

        StringWriter tw = new StringWriter();
        ProgressListener t = DataCommand.progress(new PrintWriter(tw), true);
        t.bytes("x", 1, 2);
        t.bytes("x", 2, 2);
        t.message("done");
        assertEquals("\rcalibkit:   x 0.0 MB of 0.0 MB\rcalibkit:   x 0.0 MB of 0.0 MB" + System.lineSeparator() + "calibkit: done"
                + System.lineSeparator(), tw.toString());
    }
}
