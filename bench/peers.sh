#!/usr/bin/env bash
# calibkit next to the Python peers on the same .npy inputs (issue 10): temperature scaling on
# 10k x 10 logits (PyTorch L-BFGS, scipy Brent), 15-bin ECE from 1M x 10 logits (numpy), AUROC on
# 1M scores (scikit-learn), equal-mass ECE from 1M x 10 logits (numpy argsort), the split-conformal
# LAC and APS thresholds on 10k x 10 (numpy quantile). Prints median/min ms per implementation and the ratio peer / calibkit.
# Inputs are seeded synthetic logits written once by bench/peers.py into examples/target/peers.
# Needs Debian's python3-numpy, python3-scipy, python3-sklearn, python3-torch (/usr/bin/python3).
# Usage: bench/peers.sh        (about a minute; numbers depend on the load shown at the end)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py=/usr/bin/python3
data="$root/examples/target/peers"
echo "building examples ..." >&2
mvn -q -B -o -pl examples -am package -DskipTests
if [ ! -f "$data/scores_1m.npy" ]; then
  "$py" bench/peers.py make "$data"
fi
cp="$root/examples/target/classes:$(cat examples/target/classpath.txt)"
java -Xmx3g -XX:+UseParallelGC -cp "$cp" org.calibkit.examples.bench.stats.PeersBench "$data" > "$data/calibkit.txt"
echo "$(lscpu | grep 'Model name' | sed 's/  */ /g')"
"$py" bench/peers.py run "$data" "$data/calibkit.txt"
echo "cores $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
