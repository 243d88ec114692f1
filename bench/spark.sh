#!/usr/bin/env bash
# Throughput of the prediction-log metrics (spark/): DuckDB streaming over JDBC and Spark local[2]
# on seeded synthetic Parquet logs of 1, 3 and 10 million rows x 10 classes (written once into
# ${CALIBKIT_BENCH_DIR:-/tmp/calibkit-spark-bench}). Prints wall time and rows/s per engine and the CPU.
# Usage: bench/spark.sh [ROWS...]   (default 1000000 3000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=("${@:-1000000 3000000 10000000}")
dir=${CALIBKIT_BENCH_DIR:-/tmp/calibkit-spark-bench}
mvn -B -o -q -pl spark -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp
opens=$(sed -n '/<spark.module.options>/,/<\/spark.module.options>/p' spark/pom.xml | sed 's/<[^>]*>//g' | tr '\n' ' ')
lscpu | grep 'Model name'
echo "cores: $(nproc)"
# shellcheck disable=SC2086
java -Xmx4g $opens -cp "spark/target/classes:spark/target/test-classes:calibration/target/classes:$(cat spark/target/bench.cp)" \
  org.calibkit.spark.bench.Throughput "$dir" ${rows[*]}
