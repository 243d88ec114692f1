#!/usr/bin/env bash
# Builds the examples module and runs the stats JMH benchmarks (issue 10 targets), then
# prints: benchmark, measured mean in ms (+- JMH's 99.9% error), target, PASS/FAIL.
# Usage: bench/stats.sh [warmupIterations] [measurementIterations] [benchmarkRegex]
#   defaults 3 warm-up x 1 s and 5 measured x 2 s per benchmark: about 2 minutes in all.
# Numbers depend on load: the last line reports the machine's load average.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo "building examples ..." >&2
mvn -q -B -pl examples -am package -DskipTests
cp="$root/examples/target/classes:$(cat examples/target/classpath.txt)"
cd examples   # the runner writes target/bench-stats.txt here
exec java -Xmx1g -cp "$cp" org.calibkit.examples.bench.stats.StatsBenchRunner "$@"
