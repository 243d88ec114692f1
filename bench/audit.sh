#!/usr/bin/env bash
# Audit benchmark (issue 7): the wall time of `calibkit audit` on an MNIST CNN bundle, 10,000 test
# images plus every probe at 1,000 images, HTML and JSON written, JVM start included; then where
# the time went (the report's own timings). Not a test: run it on an otherwise idle machine; the
# load average is printed before and after.
#
#   bench/audit.sh [MODEL.ckb]     # default: target/bench-audit/mnist-cnn.ckb, trained first if missing
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/bench-audit"
mkdir -p "$out"
model="${1:-$out/mnist-cnn.ckb}"
if [ ! -f "$model" ]; then
  echo "bench/audit.sh: training $model first (calibkit train --data mnist --model cnn)"
  "$root/calibkit" train --data mnist --model cnn --out "$model" >/dev/null
fi
# build outside the timed run
CALIBKIT_REBUILD=0 "$root/calibkit" --version >/dev/null

echo "bench/audit.sh: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
"$root/calibkit" audit --model "$model" --data mnist --out "$out/report.html" --json "$out/report.json" 2>"$out/progress.log"
end=$(date +%s.%N)
echo "wall time including JVM start: $(echo "$end - $start" | bc) s (target <= 60 s)"
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
