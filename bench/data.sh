#!/usr/bin/env bash
# Data-layer benchmark: warm load of the 60,000 MNIST training images from the cache into an
# ImageSet (target <= 1 s). Fetches MNIST first if the cache does not have it.
# Runs three JVMs: with the launcher's flags; with transparent huge pages; with a pre-touched heap
# (-Xms3g -XX:+AlwaysPreTouch). The last two take most first-touch page faults of fresh heap
# memory out of the numbers (they dominate on a machine whose cores are shared with other jobs).
# Usage: bench/data.sh [warm-up rounds] [measured rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -o -pl examples -am package -DskipTests >/dev/null 2>&1 || mvn -q -B -pl examples -am package -DskipTests
cp="examples/target/classes:$(cat examples/target/classpath.txt)"
main=org.calibkit.examples.bench.data.MnistLoadBench
echo "== JVM flags as the calibkit launcher: -Xmx6g -XX:+UseParallelGC"
java -Dcalibkit.home="$root" -Xmx6g -XX:+UseParallelGC -cp "$cp" "$main" "$@"
echo
echo "== launcher flags + -XX:+UseTransparentHugePages (2 MB pages: far fewer first-touch page faults)"
java -Dcalibkit.home="$root" -Xmx6g -XX:+UseParallelGC -XX:+UseTransparentHugePages -cp "$cp" "$main" "$@"
echo
echo "== pre-touched heap: -Xms3g -Xmx3g -XX:+AlwaysPreTouch -XX:+UseParallelGC"
java -Dcalibkit.home="$root" -Xms3g -Xmx3g -XX:+AlwaysPreTouch -XX:+UseParallelGC -cp "$cp" "$main" "$@"
