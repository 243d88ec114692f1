#!/usr/bin/env bash
# Monitor benchmark (issue 14): `calibkit monitor` over a seeded synthetic log of N rows x 10
# classes (.npy, written by numpy), windows of 10,000 rows; prints rows per second, the wall time
# and the peak RSS, with the CPU, in a 256 MB heap (CALIBKIT_HEAP overrides it): the log is
# streamed. Not a test: run it on an otherwise idle machine.
#
#   bench/monitor.sh [ROWS]     # default 2,000,000
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-2000000}"
out="target/bench-monitor"
mkdir -p "$out"
echo "bench/monitor.sh: $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$rows" "$out" <<'PY'
import sys, numpy as np
n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(1)
def draw(m, margin):
    y = rng.integers(0, 10, m)
    z = rng.normal(size=(m, 10)); z[np.arange(m), y] += margin
    return z, y
zr, yr = draw(20000, 3.0)
np.save(f"{out}/reference.npy", zr); np.save(f"{out}/reference-labels.npy", yr.astype(np.int64))
chunks = []
with open(f"{out}/log.npy", "wb") as f:
    # header for n x 10 float64, then the rows in chunks (the second half drifts: a weaker margin)
    np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": (n, 10)})
    step = 1_000_000
    for s in range(0, n, step):
        m = min(step, n - s)
        z, _ = draw(m, 3.0 if s < n // 2 else 1.5)
        f.write(z.astype("<f8").tobytes())
print(f"wrote {out}/log.npy: {n} rows x 10")
PY
start=$(date +%s.%N)
CALIBKIT_HEAP="${CALIBKIT_HEAP:-256m}" /usr/bin/time -f "%M" -o "$out/rss" ./calibkit monitor --reference-predictions "$out/reference.npy" \
    --reference-labels "$out/reference-labels.npy" --predictions "$out/log.npy" --window 10000 \
    --out "$out/monitor.html" --json "$out/monitor.json" 2>/dev/null | head -2
end=$(date +%s.%N)
wall=$(echo "$end - $start" | bc)
echo "wall time including JVM start: $wall s; rows per second: $(echo "$rows / $wall" | bc)"
echo "peak RSS: $(( $(cat "$out/rss") / 1024 )) MiB (heap ${CALIBKIT_HEAP:-256m}: an .npy log is read window by window, never whole)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
