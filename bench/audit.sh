#!/usr/bin/env bash
# Audit benchmark (issue 7): the wall time of `calibkit audit` on an MNIST CNN bundle, 10,000 test
# images plus every probe at 1,000 images, HTML and JSON written, JVM start included; then where
# the time went (the report's own timings). Not a test: run it on an otherwise idle machine; the
# load average is printed before and after.
#
#   bench/audit.sh [MODEL.ckb]     # default: target/bench-audit/mnist-cnn.ckb, trained first if missing
#   bench/audit.sh --bootstrap [R]    # the paired bootstrap alone: the copy path vs the fused pass
#   bench/audit.sh --bootstrap-ab REF # the same, the calibration module at git REF (e.g. main)
#                                     # against the working tree's, alternating, two rounds
#   bench/audit.sh --inference-batch [MODEL]   # test inference at batch 64..1024
#   bench/audit.sh --predictions-1m   # the audit of 1M x 10 prediction files (seeded, written by
#                                     # numpy) in a 1 GiB heap: prints the wall time and peak RSS
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/bench-audit"
mkdir -p "$out"
if [ "${1:-}" = "--bootstrap" ]; then
  # the paired bootstrap alone: per-metric split of one resample, the old copy path vs the fused pass
  echo "bench/audit.sh --bootstrap: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$root" && mvn -q -B -o -pl examples -am package -DskipTests)
  java -Xmx2g -XX:+UseParallelGC -cp "$root/examples/target/classes:$(cat "$root/examples/target/classpath.txt")" \
      org.calibkit.examples.bench.audit.BootstrapSplit "${2:-200}"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
if [ "${1:-}" = "--bootstrap-ab" ]; then
  # A/B under the same load: calibration compiled at REF, put ahead of this tree's on the class path
  ref="${2:?usage: bench/audit.sh --bootstrap-ab REF}"
  echo "bench/audit.sh --bootstrap-ab $ref: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores"
  (cd "$root" && mvn -q -B -o -pl examples -am package -DskipTests)
  cp="$root/examples/target/classes:$(cat "$root/examples/target/classpath.txt")"
  rm -rf "$out/ab" && mkdir -p "$out/ab/classes"
  (cd "$root" && git archive "$ref" calibration/src/main/java | tar -x -C "$out/ab")
  javac -nowarn -d "$out/ab/classes" -cp "$cp" $(find "$out/ab/calibration" -name '*.java')
  for round in 1 2; do
    for side in "$ref" working-tree; do
      pre="$root/calibration/target/classes"
      [ "$side" = "$ref" ] && pre="$out/ab/classes"
      echo "== $side, round $round, load average $(cut -d' ' -f1 /proc/loadavg)"
      java -Xmx2g -XX:+UseParallelGC -cp "$pre:$cp" org.calibkit.examples.bench.audit.BootstrapSplit 200 | grep '^fused'
    done
  done
  exit 0
fi
if [ "${1:-}" = "--inference-batch" ]; then
  # the CNN bundle's test-split inference at several batch sizes, one JVM each, side by side
  echo "bench/audit.sh --inference-batch: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$root" && mvn -q -B -o -pl examples -am package -DskipTests)
  for b in 64 128 256 512 1024; do
    TF_CPP_MIN_LOG_LEVEL=2 java -Xmx2g -XX:+UseParallelGC -Dcalibkit.inference.batch=$b \
        -cp "$root/examples/target/classes:$(cat "$root/examples/target/classpath.txt")" \
        org.calibkit.examples.bench.audit.InferenceBatch "${2:-$out/mnist-cnn.ckb}"
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
if [ "${1:-}" = "--predictions-1m" ]; then
  d="$out/predictions-1m"
  mkdir -p "$d"
  if [ ! -f "$d/test_logits.npy" ]; then
    /usr/bin/python3 - "$d" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(16)
for name, n in (("test", 1_000_000), ("val", 100_000)):
    y = rng.integers(0, 10, n)
    z = rng.normal(0.0, 2.0, (n, 10))
    z[np.arange(n), y] += 7.0
    np.save(f"{d}/{name}_logits.npy", z)
    np.save(f"{d}/{name}_labels.npy", y.astype(np.int64))
PY
  fi
  CALIBKIT_REBUILD=0 "$root/calibkit" --version >/dev/null
  echo "bench/audit.sh --predictions-1m: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "target: the audit of 1,000,000 x 10 test predictions (100,000 validation) fits in -Xmx1g"
  start=$(date +%s.%N)
  rc=0
  CALIBKIT_HEAP=1g /usr/bin/time -v -o "$d/time.txt" "$root/calibkit" audit --predictions "$d/test_logits.npy" --labels "$d/test_labels.npy" \
      --val-predictions "$d/val_logits.npy" --val-labels "$d/val_labels.npy" --out "$d/report.html" --json "$d/report.json" \
      2>"$d/progress.log" || rc=$?
  end=$(date +%s.%N)
  echo "wall time including JVM start: $(echo "$end - $start" | bc) s, exit code $rc"
  echo "peak RSS: $(awk -F': ' '/Maximum resident/{printf "%.0f MiB", $2/1024}' "$d/time.txt")"
  if [ "$rc" = 0 ] && ! grep -q OutOfMemoryError "$d/progress.log"; then
    echo "[PASS] the audit of 1M x 10 predictions ran in -Xmx1g"
  else
    echo "[MISS] the audit of 1M x 10 predictions in -Xmx1g: see $d/progress.log"; tail -3 "$d/progress.log"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
model="${1:-$out/mnist-cnn.ckb}"
if [ ! -f "$model" ]; then
  echo "bench/audit.sh: training $model first (calibkit train --data mnist --model cnn)"
  "$root/calibkit" train --data mnist --model cnn --out "$model" >/dev/null
fi
# build outside the timed run
CALIBKIT_REBUILD=0 "$root/calibkit" --version >/dev/null

echo "bench/audit.sh: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
/usr/bin/time -v -o "$out/time.txt" "$root/calibkit" audit --model "$model" --data mnist --out "$out/report.html" --json "$out/report.json" 2>"$out/progress.log"
end=$(date +%s.%N)
echo "wall time including JVM start: $(echo "$end - $start" | bc) s (target <= 8 s, issue 16)"
echo "peak RSS (JVM heap + TensorFlow + ONNX): $(awk -F': ' '/Maximum resident/{printf "%.0f MiB", $2/1024}' "$out/time.txt")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report: $(du -k "$out/report.html" | cut -f1) KiB HTML (target < 3 MB), $(du -k "$out/report.json" | cut -f1) KiB JSON"
grep "audit: wrote" "$out/progress.log" || true
echo "where the time went (seconds, from the report's provenance):"
/usr/bin/python3 - "$out/report.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["provenance"]["timings"]
for k, v in t.items():
    print(f"  {k:<16} {v:7.2f}")
PY
