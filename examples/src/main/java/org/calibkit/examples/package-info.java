/** Small runnable programs that use calibkit as a user would, and benchmarks. */
package org.calibkit.examples;
