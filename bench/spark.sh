#!/usr/bin/env bash
# Throughput of the prediction-log sum metrics (spark/, 15 bins) on seeded synthetic Parquet logs of
# 1, 3 and 10 million rows x 10 classes (written once by DuckDB into ${CALIBKIT_BENCH_DIR:-/tmp/calibkit-spark-bench},
# with the same rows as .npy files): DuckDB streaming over JDBC, DuckDB's SQL aggregation, Spark
# local[2] and calibration's single-machine metrics on the .npy files. One JVM per engine and size;
# prints the CPU, the load, wall and CPU time of the metrics (JVM start not included), rows/s and the JVM's
# peak resident memory (/usr/bin/time -v).
# Part 2 (below) times the full audit through the calibkit command on both engines.
# Usage: bench/spark.sh [ROWS...]   (default 1000000 3000000 10000000)
#   CALIBKIT_BENCH_SUMS=0 skips part 1 (the sum metrics), CALIBKIT_BENCH_AUDIT=0 part 2 (the full audit)
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
if [ "${CALIBKIT_BENCH_SUMS:-1}" = 1 ]; then
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
fi

# The full streamed audit (bench part 2): `calibkit audit --predictions LOG.parquet` as a user runs it,
# JVM start included, on a log with text ids and the logits as an array column, with a validation log
# for temperature scaling: every sum metric before and after calibration, 200 Poisson-bootstrap
# replicates of the ECE family, the exact order statistics. DuckDB and Spark local[2] for every size;
# the single-machine in-memory audit (--stream-above above the row count) for up to 1M rows only (it
# took 129 s at 1M). Prints wall time, rows/s, peak RSS and the audit's own split (from the JSON).
[ "${CALIBKIT_BENCH_AUDIT:-1}" = 1 ] || exit 0
echo "full audit (calibkit audit --predictions, 3 GB heap):"
./calibkit --help > /dev/null 2>&1   # builds the command first if the sources changed, so no run times a build
for n in "${rows[@]}"; do
  # shellcheck disable=SC2086
  java -Xmx2g $opens -cp "$cp" org.calibkit.spark.bench.Throughput generate-audit "$dir" "$n"
  engines=(duckdb spark)
  [ "$n" -le 1000000 ] && engines+=(memory)
  for engine in "${engines[@]}"; do
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    out="$dir/audit-$engine-$n"
    rm -rf "$out"; mkdir -p "$out"
    extra=(--engine "$engine")
    [ "$engine" = memory ] && extra=(--engine duckdb --stream-above $((n + 1)))
    if ! CALIBKIT_HEAP=3g /usr/bin/time -v -o "$out/time.txt" ./calibkit audit --predictions "$dir/audit-$n.parquet" \
        --val-predictions "$dir/audit-val.parquet" "${extra[@]}" --out "$out/report.html" --json "$out/report.json" \
        > "$out/log.txt" 2>&1; then
      echo "  $engine $n rows: FAILED (see $out/log.txt)"; tail -3 "$out/log.txt"; continue
    fi
    /usr/bin/python3 - "$out" "$n" "$engine" <<'PY'
import json, re, sys
out, n, engine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = open(out + "/time.txt").read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
split = json.load(open(out + "/report.json"))["provenance"].get("timings", {})
parts = ", ".join(f"{k} {v:.1f} s" for k, v in split.items())
print(f"  {engine:7s} {n:>9,d} rows: wall {wall:6.1f} s  {n / wall:>9,.0f} rows/s  peak RSS {rss:5.0f} MB  ({parts})")
PY
  done
  # the same numbers on every engine at this size: every number of the test section and the
  # statistics (bootstrap intervals and what depends on them only between the two streamed engines:
  # the in-memory audit's bootstrap is the multinomial one; randomised conformal sets (APS, RAPS) are drawn
  # otherwise), largest relative difference printed
  for other in spark memory; do
    [ -f "$dir/audit-$other-$n/report.json" ] && [ -f "$dir/audit-duckdb-$n/report.json" ] || continue
    /usr/bin/python3 - "$dir/audit-duckdb-$n/report.json" "$dir/audit-$other-$n/report.json" "$other" <<'PY'
import json, sys
a, b, other = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
worst, count = (0.0, ""), 0
def walk(x, y, path):
    global worst, count
    if other == "memory" and path.startswith("statistics/conformal/sets/") and not path.startswith("statistics/conformal/sets/0"):
        return   # APS and RAPS: a row's u from its id when streamed, in row order in memory (docs/scale.md); LAC is compared
    if isinstance(x, dict) and isinstance(y, dict):
        for key in x:
            if key in y and not (other == "memory" and key in ("ci", "bin_intervals", "lower", "upper", "significant", "gradient", "iterations")):
                walk(x[key], y[key], path + "/" + key)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, path + "/" + str(i))
    elif isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        count += 1
        d = abs(x - y) / max(abs(x), abs(y), 1e-300)
        if d > worst[0]:
            worst = (d, path)
for section in ("test", "statistics"):
    walk(a[section], b[section], section)
print(f"  duckdb vs {other:6s}: {count} numbers of the test section and statistics compared, largest relative difference {worst[0]:.1e}" + (f" ({worst[1]})" if worst[1] else ""))
PY
  done
done
