package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.calibkit.calibration.OutputKind;
import org.junit.jupiter.api.Test;

/**
 * The branch-free lookup of the query holding a key ({@link SelectFold#find}) equals a linear
 * scan of the queries (key in [lo, hi)) for seeded random sorted, disjoint queries, adjacent ones
 * and single-key ones included, on keys at, just below and just above every bound and at random.
 */
class SelectFoldFindTest {
    @Test
    void findEqualsALinearScanOfTheQueries() {
        Random r = new Random(20261207L);
        for (int trial = 0; trial < 2000; trial++) {
            int nq = 1 + r.nextInt(40);
            List<SelectFold.Query> qs = new ArrayList<>();
            long lo = r.nextInt(1000);
            for (int q = 0; q < nq; q++) {
                int shift = r.nextInt(4);
                int subs = 1 + r.nextInt(8);
                qs.add(new SelectFold.Query(lo, shift, subs, r.nextBoolean(), r.nextBoolean()));
                lo = qs.get(q).hi() + (r.nextInt(3) == 0 ? 0 : r.nextInt(50));   // a third are adjacent
            }
            SelectFold.Query[] arr = qs.toArray(SelectFold.Query[]::new);
            SelectFold fold = new SelectFold(2, OutputKind.LOGITS, RowMap.none(2), new SelectFold.Query[][] {arr});
            List<Long> keys = new ArrayList<>();
            for (SelectFold.Query q : arr) {
                for (long d = -1; d <= 1; d++) {
                    keys.add(q.lo() + d);
                    keys.add(q.hi() + d);
                }
            }
            for (int i = 0; i < 50; i++) {
                keys.add((long) r.nextInt((int) lo + 100));
            }
            for (long key : keys) {
                int expected = -1;
                for (int q = 0; q < arr.length; q++) {
                    if (key >= arr[q].lo() && key < arr[q].hi()) {
                        expected = q;
                    }
                }
                assertEquals(expected, fold.find(0, key), "key " + key + " in " + qs);
            }
        }
    }
}
