package org.calibkit.core.data;

import java.util.List;

/** Class-name lists shared by several data sets. */
public final class ClassNames {
    /** "0".."9": MNIST, SVHN, USPS. */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private ClassNames() {
    }
}
