package org.calibkit.core.preflight;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.Messages;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;

/**
 * Class names stated next to a model (a bundle's manifest) checked against the model's own
 * labels: a name the model lacks would get a logit of 0 and turn every prediction into noise
 * without a word, so unknown names, a wrong count, duplicates and control characters are refused.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /**
     * @param where how messages name the model ("model bundle m.ckb")
     * @throws CalibkitException naming the first problem
     */
    public static void check(String where, List<String> names, ImmutableOutputInfo<Label> model) {
        checkNames(where, names);
        Set<String> own = new TreeSet<>();
        for (Label l : model.getDomain()) {
            own.add(l.getLabel());
        }
        if (names.size() != own.size()) {
            throw new CalibkitException(where + " names " + names.size() + " classes, but its model has " + own.size()
                    + " outputs " + Messages.printable(own.toString()) + "; the file is damaged or was edited");
        }
        for (String n : names) {
            if (!own.contains(n)) {
                throw new CalibkitException(where + " names class '" + Messages.printable(n) + "', which its model does not "
                        + "have (its labels are " + Messages.printable(own.toString()) + "); the file is damaged or was edited");
            }
        }
    }

    /**
     * Refuses duplicate, empty and control-character names.
     *
     * @throws CalibkitException naming the name and its position
     */
    public static void checkNames(String where, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isEmpty()) {
                throw new CalibkitException(where + ": class name " + (i + 1) + " is empty");
            }
            if (!Messages.printable(n).equals(n)) {
                throw new CalibkitException(where + ": class name " + (i + 1) + " '" + Messages.printable(n)
                        + "' contains control characters");
            }
            if (!seen.add(n)) {
                throw new CalibkitException(where + ": class name '" + n + "' appears twice (at " + (names.indexOf(n) + 1)
                        + " and " + (i + 1) + ")");
            }
        }
    }
}
