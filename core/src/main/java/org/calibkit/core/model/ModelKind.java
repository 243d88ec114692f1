package org.calibkit.core.model;

/** The trainer family behind a bundle; decides which Tribuo model class it must hold. */
public enum ModelKind {
    /** Multinomial logistic regression, Tribuo {@code LinearSGDModel}. */
    LOGISTIC("logistic", "org.tribuo.classification.sgd.linear.LinearSGDModel"),
    /** Convolutional network, Tribuo {@code TensorFlowNativeModel}. */
    CNN("cnn", "org.tribuo.interop.tensorflow.TensorFlowNativeModel");

    private final String id;
    private final String tribuoClass;

    ModelKind(String id, String tribuoClass) {
        this.id = id;
        this.tribuoClass = tribuoClass;
    }

    /** Name used on the command line and in bundle manifests. */
    public String id() { return id; }

    /** The only Tribuo model class a bundle of this kind may contain. */
    public String tribuoClass() { return tribuoClass; }

    /** Parses {@code logistic} / {@code cnn}. */
    public static ModelKind parse(String s) {
        for (ModelKind k : values()) {
            if (k.id.equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("model must be logistic or cnn, but got '" + s + "'");
    }
}
