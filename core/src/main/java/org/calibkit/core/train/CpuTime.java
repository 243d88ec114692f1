package org.calibkit.core.train;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time used by this process (all threads, including TensorFlow's native ones), so training
 * reports can show how much work a run took independently of how busy the machine was.
 */
final class CpuTime {
    private CpuTime() {
    }

    /** Process CPU time in nanoseconds, or -1 when the JVM cannot tell. */
    static long processNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
