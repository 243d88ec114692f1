package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parts a DuckDB read is cut into ({@link DuckDbScan#split}): laid end to end they are the
 * files' rows in order, each row once; their sizes differ by at most one row. Checked against a
 * row-by-row walk of the same files, for seeded random file sizes (empty files included).
 */
class DuckDbScanTest {
    @Test
    void partsCoverEveryRowOnceInOrderAndAreEqualToOneRow() {
        Random r = new Random(20261207L);
        for (int trial = 0; trial < 500; trial++) {
            List<DuckDbScan.Segment> files = new ArrayList<>();
            int nf = 1 + r.nextInt(6);
            for (int f = 0; f < nf; f++) {
                files.add(new DuckDbScan.Segment("f" + f, 0, r.nextInt(4) == 0 ? 0 : r.nextInt(50)));
            }
            int parts = 1 + r.nextInt(8);
            List<String> expected = new ArrayList<>();   // every row, walked file by file
            for (DuckDbScan.Segment f : files) {
                for (long i = 0; i < f.rows(); i++) {
                    expected.add(f.file() + ":" + i);
                }
            }
            List<List<DuckDbScan.Segment>> split = DuckDbScan.split(files, parts);
            List<String> got = new ArrayList<>();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (List<DuckDbScan.Segment> part : split) {
                long rows = 0;
                for (DuckDbScan.Segment s : part) {
                    assertTrue(s.from() < s.to(), "an empty segment " + s);
                    for (long i = s.from(); i < s.to(); i++) {
                        got.add(s.file() + ":" + i);
                    }
                    rows += s.rows();
                }
                min = Math.min(min, rows);
                max = Math.max(max, rows);
            }
            assertEquals(expected, got, "files " + files + " in " + parts + " parts");
            assertEquals(Math.min(parts, expected.size()), split.size(), "non-empty parts");
            assertTrue(split.isEmpty() || max - min <= 1, "part sizes " + min + " to " + max);
        }
    }

    @Test
    void aTextIdIsKeyedByItsUtf8Bytes() {
        // the same key whichever way the text arrives: as a string (Spark's external rows) or as bytes
        for (String id : new String[] {"p0", "prédiction-€17", "", "null"}) {
            assertEquals(PredictionLog.rowIdOfUtf8(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    PredictionLog.rowId(id));
        }
        assertEquals(PredictionLog.rowId("null"), PredictionLog.rowId(null));
        assertEquals(42L, PredictionLog.rowId(42));
    }
}
