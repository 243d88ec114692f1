#!/usr/bin/env bash
# Probe benchmark: wall time of generating every probe for an MNIST model, 1,000 images each:
# the first generation in a fresh JVM (it loads and hashes notMNIST, Fashion-MNIST, Omniglot and
# USPS) and the warm median per probe. Fetches MNIST first if the cache does not have it.
# Usage: bench/probes.sh [size] [warm-up rounds] [measured rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -o -pl examples -am package -DskipTests >/dev/null 2>&1 || mvn -q -B -pl examples -am package -DskipTests
cp="examples/target/classes:$(cat examples/target/classpath.txt)"
java -Dcalibkit.home="$root" -Xmx6g -XX:+UseParallelGC -cp "$cp" org.calibkit.examples.bench.probes.ProbeBench "$@"
