package org.calibkit.core.data.images;

import java.util.List;
import java.util.Objects;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.Messages;

/**
 * Image folders carry their labels as folder names, so two sets (train and test, or a test set
 * and a model) are matched by name, never by position: {@code test/} with {@code two/, zero/}
 * against {@code train/} with {@code one/, seven/, zero/} must not pair "two" with "one".
 */
public final class ClassAlignment {
    private ClassAlignment() {
    }

    /**
     * {@code set} relabelled onto {@code classes} by name (a set may lack some of the classes).
     *
     * @param what   how messages name the set ("test folders of data/")
     * @param against how messages name the class list ("the training folders", "the model's classes")
     * @throws CalibkitException naming the first folder whose name is not one of {@code classes}
     */
    public static ImageSet align(ImageSet set, List<String> classes, String what, String against) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(classes, "classes");
        List<String> own = set.classNames();
        if (own.equals(classes)) {
            return set;
        }
        int[] map = new int[own.size()];
        for (int i = 0; i < own.size(); i++) {
            map[i] = classes.indexOf(own.get(i));
            if (map[i] < 0) {
                throw new CalibkitException(what + ": class folder '" + Messages.printable(own.get(i)) + "' is not one of "
                        + against + " " + Messages.printable(classes.toString())
                        + "; labels are matched by folder name, so rename the folder (or give the model's class names)");
            }
        }
        int[] labels = set.labels();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[labels[i]];
        }
        return new ImageSet(set.rawPixels(), labels, set.channels(), set.height(), set.width(), classes, set.origin());
    }
}
