package org.calibkit.report.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * For random small prediction sets (2 to 5 classes, 20 to 90 test rows, with or without a
 * validation split and an unlabelled probe, weak to strong signal), the audit's JSON read back
 * with {@link AuditJson#readResult} writes the same JSON again, character for character.
 */
class AuditJsonRoundTripProperties {

    @Property(tries = 40)
    void writeReadWriteIsTheSameJson(@ForAll @IntRange(min = 2, max = 5) int classes,
                                     @ForAll @IntRange(min = 20, max = 90) int rows,
                                     @ForAll boolean validation, @ForAll boolean probe,
                                     @ForAll @DoubleRange(min = 0, max = 1.5) double signal, @ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
        }
        Optional<SavedPredictions.Split> val = validation
                ? Optional.of(AuditJsonReadTest.split(rnd, rows, classes, signal)) : Optional.empty();
        Map<String, Logits> probes = new LinkedHashMap<>();
        if (probe) {
            probes.put("noise", AuditJsonReadTest.unlabelled(rnd, 15, classes));
        }
        SavedPredictions p = new SavedPredictions(names, OutputKind.LOGITS, Head.SOFTMAX,
                AuditJsonReadTest.split(rnd, rows, classes, signal), val, probes);
        AuditResult r = Audit.ofPredictions(p, AuditOptions.defaults().withResamples(10).withSeed(seed));
        String json = AuditJson.toJson(r);
        AuditResult back = AuditJson.readResult(new StringReader(json), "property.json");
        assertEquals(json, AuditJson.toJson(back));
    }
}
