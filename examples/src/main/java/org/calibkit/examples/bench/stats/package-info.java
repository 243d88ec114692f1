/**
 * JMH benchmarks of {@code org.calibkit.calibration.stats} against the targets of issue 10
 * (conformal fit and sets, AURC, every calibration p-value), run with {@code bench/stats.sh};
 * and {@link org.calibkit.examples.bench.stats.PeersBench}, calibkit's half of the side-by-side
 * comparison with the Python peers that {@code bench/peers.sh} runs.
 */
package org.calibkit.examples.bench.stats;
