package org.calibkit.examples.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The target of a {@code @Benchmark} method, in milliseconds, next to the method it is for;
 * {@link JmhTargets} prints each measurement against it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TargetMs {
    /** Milliseconds per operation the benchmark should stay within. */
    double value();
}
