package org.calibkit.core.preflight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ClassAlignment;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.SyntheticImages;
import org.calibkit.core.train.LogisticTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 17, section 4: class names that do not match the model are refused, never turned into
 * silently wrong predictions. A bundle's manifest is edited as an attacker would (the manifest
 * carries no hash of itself, so the entries' hashes still match).
 */
class HostileBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path bundleWithNames(List<String> names) throws IOException {
        ImageSet train = SyntheticImages.bars(200, 10, 1, 28, 1, "train");
        ModelBundle b = new LogisticTrainer(1, 1, 0.1, 1).train(train, null, s -> { });
        Path good = dir.resolve("good.ckb");
        b.save(good);
        if (names == null) {
            return good;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(good)));
             ZipOutputStream w = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                byte[] bytes = z.readAllBytes();
                if (e.getName().equals("manifest.json")) {
                    ObjectNode m = (ObjectNode) JSON.readTree(bytes);
                    ArrayNode a = m.putArray("class_names");
                    names.forEach(a::add);
                    bytes = JSON.writeValueAsBytes(m);
                }
                w.putNextEntry(new ZipEntry(e.getName()));
                w.write(bytes);
                w.closeEntry();
            }
        }
        return Files.write(dir.resolve("edited.ckb"), out.toByteArray());
    }

    private String refused(List<String> names) throws IOException {
        Path f = bundleWithNames(names);
        return assertThrows(CalibkitException.class, () -> ModelBundle.load(f)).getMessage();
    }

    @Test
    void renamedWrongCountAndDuplicateClassNamesAreRefused() throws IOException {
        List<String> words = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
        String m = refused(words);
        assertTrue(m.contains("names class 'zero', which its model does not have"), m);
        m = refused(List.of("bar0", "bar1", "bar2", "bar3", "bar4"));
        assertTrue(m.contains("names 5 classes, but its model has 10 outputs"), m);
        m = refused(Collections.nCopies(10, "bar7"));
        assertTrue(m.contains("class name 'bar7' appears twice (at 1 and 2)"), m);
        m = refused(List.of("bar0", "bar1", "bar2", "bar3", "bar4", "bar5", "bar6", "bar7", "bar8", "bar9\u001b[31m"));
        assertTrue(m.contains("contains control characters") && !m.contains("\u001b"), m);
    }

    @Test
    void theTrainedNamesInAnotherOrderStillLoad() throws IOException {
        // a permutation of the model's own labels is legitimate: columns follow the manifest's order
        try (ModelBundle b = ModelBundle.load(bundleWithNames(List.of("bar9", "bar8", "bar7", "bar6", "bar5", "bar4", "bar3", "bar2", "bar1", "bar0")))) {
            assertEquals("bar9", b.classNames().get(0));
        }
    }

    @Test
    void foldersAreMatchedByNameNotPosition() {
        DataOrigin o = new DataOrigin("image-folder", "test", "t", null, false);
        // test/ holds two/ and zero/ (labels 0 and 1 by position); train/ holds one/, seven/, zero/
        ImageSet test = new ImageSet(new float[3 * 4], new int[] {0, 1, 1}, 1, 2, 2, List.of("two", "zero"), o);
        String m = assertThrows(CalibkitException.class,
                () -> ClassAlignment.align(test, List.of("one", "seven", "zero"), "test folders", "the training folders"))
                .getMessage();
        assertTrue(m.contains("class folder 'two' is not one of the training folders [one, seven, zero]"), m);
        ImageSet zeros = new ImageSet(new float[2 * 4], new int[] {0, 0}, 1, 2, 2, List.of("zero"), o);
        ImageSet aligned = ClassAlignment.align(zeros, List.of("one", "seven", "zero"), "test folders", "train");
        assertArrayEquals(new int[] {2, 2}, aligned.labels()); // "zero" is the third training class, not the first
        assertEquals(List.of("one", "seven", "zero"), aligned.classNames());
    }

}
