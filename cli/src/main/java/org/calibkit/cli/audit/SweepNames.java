package org.calibkit.cli.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.report.shift.Sweep;

/**
 * The command line's names of shift sweeps: {@code rotation} (0-180 degrees by 15),
 * {@code translation} (0-14 pixels), a corruption family ({@code mnist-c}: all 15 at 5 severities;
 * {@code cifar-c}) or one corruption ({@code mnist-c/fog}), separated by commas.
 */
public final class SweepNames {
    private SweepNames() {
    }

    /**
     * The sweeps named in {@code names} (empty or blank: none), in the order given.
     *
     * @throws CalibkitException naming the unknown name and the known ones
     */
    public static List<Sweep> parse(String names) {
        List<Sweep> out = new ArrayList<>();
        if (names == null || names.isBlank()) {
            return out;
        }
        for (String raw : names.split(",")) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            if (n.equals("rotation")) {
                out.add(Sweep.rotation());
            } else if (n.equals("translation")) {
                out.add(Sweep.translation());
            } else if (Corruptions.FAMILIES.contains(n)) {
                Corruptions.family(n).forEach(c -> out.add(Sweep.corruption(c)));
            } else {
                Corruption c = Corruptions.byKey(n).orElseThrow(() -> new CalibkitException("--sweeps: unknown sweep '"
                        + raw.trim() + "'; known: rotation, translation, " + String.join(", ", Corruptions.FAMILIES)
                        + ", or one corruption such as " + Corruptions.all().get(0).key()));
                out.add(Sweep.corruption(c));
            }
        }
        return out;
    }
}
