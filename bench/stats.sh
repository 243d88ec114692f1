#!/usr/bin/env bash
# Builds the examples module and runs the stats JMH benchmarks (issue 10 targets), then
# prints: benchmark, measured mean in ms (+- JMH's 99.9% error), target, PASS/FAIL.
# Usage: bench/stats.sh [warmupIterations] [measurementIterations] [benchmarkRegex]
#   defaults 3 warm-up x 1 s and 5 measured x 2 s per benchmark: about 2 minutes in all.
# Numbers depend on load: the last line reports the machine's load average.
#
#   bench/stats.sh --bootstrap-ab REF [N] [RESAMPLES] [THREADS] [RUNS]
#     the audit's paired bootstrap alone (bench/BootstrapBench.java, every metric before and after
#     temperature scaling) on seeded N x 10 logits (default 100,000, 200 resamples, 2 threads,
#     2 runs), with the calibration module compiled at git REF (e.g. main) and with this tree's,
#     alternating, in a 1 GiB heap; the same checksum on both sides means the same intervals.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--bootstrap-ab" ]; then
  ref="${2:?usage: bench/stats.sh --bootstrap-ab REF [N] [RESAMPLES] [THREADS] [RUNS]}"
  n="${3:-100000}"; r="${4:-200}"; t="${5:-2}"; runs="${6:-2}"
  echo "bench/stats.sh --bootstrap-ab $ref: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  mvn -q -B -o -pl calibration -am package -DskipTests
  ab="$root/calibration/target/bench-ab"
  rm -rf "$ab" && mkdir -p "$ab/classes"
  (cd calibration && mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$ab/deps.txt" >/dev/null)
  deps="$(cat "$ab/deps.txt")"
  git archive "$ref" calibration/src/main | tar -x -C "$ab"
  javac -nowarn -d "$ab/classes" -cp "$deps" $(find "$ab/calibration/src/main/java" -name '*.java')
  [ -d "$ab/calibration/src/main/resources" ] && cp -r "$ab/calibration/src/main/resources/." "$ab/classes/"
  for round in 1 2; do
    for side in "$ref" working-tree; do
      classes="$root/calibration/target/classes"
      [ "$side" = "$ref" ] && classes="$ab/classes"
      echo "== $side, round $round, load average $(cut -d' ' -f1 /proc/loadavg)"
      java -Xmx1g -cp "$classes:$deps" bench/BootstrapBench.java "$n" "$r" "$t" "$runs"
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
echo "building examples ..." >&2
mvn -q -B -pl examples -am package -DskipTests
cp="$root/examples/target/classes:$(cat examples/target/classpath.txt)"
cd examples   # the runner writes target/bench-stats.txt here
exec java -Xmx1g -cp "$cp" org.calibkit.examples.bench.stats.StatsBenchRunner "$@"
