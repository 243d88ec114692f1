#!/usr/bin/env bash
# Throughput of the prediction-log sum metrics (spark/, 15 bins) on seeded synthetic Parquet logs of
# 1, 3 and 10 million rows x 10 classes (written once by DuckDB into ${CALIBKIT_BENCH_DIR:-/tmp/calibkit-spark-bench},
# with the same rows as .npy files): DuckDB streaming over JDBC, DuckDB's SQL aggregation, Spark
# local[2] and calibration's single-machine metrics on the .npy files. One JVM per engine and size;
# prints the CPU, the load, wall and CPU time of the metrics (JVM start not included), rows/s and the JVM's
# peak resident memory (/usr/bin/time -v).
# Usage: bench/spark.sh [ROWS...]   (default 1000000 3000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then rows=("$@"); else rows=(1000000 3000000 10000000); fi
dir=${CALIBKIT_BENCH_DIR:-/tmp/calibkit-spark-bench}
mvn -B -o -q -pl spark -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp
opens=$(sed -n '/<spark.module.options>/,/<\/spark.module.options>/p' pom.xml | sed 's/<[^>]*>//g' | tr '\n' ' ')
cp="spark/target/classes:spark/target/test-classes:calibration/target/classes:$(cat spark/target/bench.cp)"
lscpu | grep 'Model name'
echo "cores: $(nproc)"
for n in "${rows[@]}"; do
  # shellcheck disable=SC2086
  java -Xmx6g $opens -cp "$cp" org.calibkit.spark.bench.Throughput generate "$dir" "$n"
  for engine in duckdb-stream duckdb-sql spark npy; do
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    out=$(mktemp)
    # shellcheck disable=SC2086
    # a 1 GB heap for the streaming engines, so the peak shows what they need and not how far the
    # JVM lets an idle heap grow; the .npy path holds the whole log (8 bytes x 10 per row)
    heap=1g
    [ "$engine" = npy ] && heap=6g
    /usr/bin/time -v -o "$out" java -Xmx$heap -XX:+UseParallelGC $opens -cp "$cp" org.calibkit.spark.bench.Throughput "$engine" "$dir" "$n" \
      2> >(grep -v -e 'incubator' -e '^WARNING' -e ' INFO ' -e '^Using Spark' >&2)
    awk '/Maximum resident set size/ {printf "  peak RSS %.0f MB\n", $6 / 1024}' "$out"
    rm -f "$out"
  done
done
