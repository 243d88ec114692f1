package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void knownNamesAndUnknownNameListsThem() {
        List<String> names = DataCatalog.all().stream().map(Dataset::name).toList();
        assertEquals(List.of("mnist", "fashion-mnist", "svhn", "usps", "notmnist", "synthetic-svhn", "omniglot"), names);
        CalibkitException e = assertThrows(CalibkitException.class, () -> DataCatalog.get("cifar"));
        assertEquals("unknown data set 'cifar'; known: mnist, fashion-mnist, svhn, usps, notmnist, synthetic-svhn, omniglot", e.getMessage());
    }

    @Test
    void splitConvention() {
        assertEquals(List.of("train", "validation", "test", "train-full"), DataCatalog.get("mnist").splits());
        assertEquals(List.of("test"), DataCatalog.get("usps").splits());
        assertEquals(List.of("test"), DataCatalog.get("notmnist").splits());
        DataLocations loc = DataLocations.defaults(null).withCacheDir(tmp);
        CalibkitException e = assertThrows(CalibkitException.class, () -> DataCatalog.get("usps").load("train", loc));
        assertEquals("data set 'usps' has no split 'train'; known splits: test", e.getMessage());
    }

    @Test
    void sharedDataIsFoundFromTheModuleDirectory() {
        // tests run with cwd = core/, the shared directory is ../../shared/data of the checkout
        Path shared = SharedData.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(shared != null, "no shared/data beside the checkout");
        assertTrue(shared != null && shared.endsWith(Path.of("shared", "data")), String.valueOf(shared));
        DataLocations loc = DataLocations.defaults(null).withCacheDir(tmp);
        assertTrue(DataCatalog.get("usps").availability(loc).available());
        assertTrue(DataCatalog.get("notmnist").availability(loc).available());
    }

    @Test
    void absentSharedDataSaysWhereToPutIt() {
        DataLocations loc = new DataLocations(null, tmp, null, false, false, ProgressListener.silent());
        Availability a = DataCatalog.get("usps").availability(loc);
        assertFalse(a.available());
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> DataCatalog.get("usps").load("test", loc));
        assertTrue(e.getMessage().contains("put zip.test in DIR/usps/ and pass --data-dir DIR"), e.getMessage());
    }

    @Test
    void svhnUnreachableSaysExactlyWhereToPutTheFiles() {
        DataLocations loc = new DataLocations(tmp.resolve("mine"), tmp.resolve("cache"), null, false, false,
                ProgressListener.silent());
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> DataCatalog.get("svhn").load("test", loc));
        assertTrue(e.getMessage().contains("download train_32x32.mat and test_32x32.mat from "
                + "http://ufldl.stanford.edu/housenumbers/ and put them in " + tmp.resolve("cache").resolve("svhn")),
                e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("mine").resolve("svhn").toString()), e.getMessage());
    }
}
