#!/usr/bin/env bash
# Times two builds of handoff against each other on bench/run.sh's workloads: a change that should
# cost nothing (a refactoring) shows ratios within the machine's noise.
#
#   BASE=/path/to/the/old/handoff bench/compare.sh   # against this checkout's release build
#
# The two builds take turns in ROUNDS rounds of RUNS runs each (hyperfine), as in bench/run.sh, and
# each figure is the median of all its runs. Needs hyperfine and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1000000000}
DATA=${DATA:-/tmp/handoff-bench}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-3}
MATRIX=rules/whatsapp-retail.yaml
[ -x "${BASE:-}" ] || { echo "bench/compare.sh: set BASE to the handoff binary to compare with" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench/compare.sh needs hyperfine (Debian: apt-get install hyperfine)" >&2; exit 2; }

REPORTS_ONLY=1
. bench/data.sh

replay() { echo "$1 replay --quiet --format json $MATRIX"; }
hf cmp-jsonl "$(replay "$BASE") $DATA/grouped.jsonl" "$(replay "$H") $DATA/grouped.jsonl"
hf cmp-csv "$(replay "$BASE") --config $DATA/handoff.toml $DATA/export.csv" "$(replay "$H") --config $DATA/handoff.toml $DATA/export.csv"
hf cmp-whatsapp "$(replay "$BASE") --config $DATA/handoff.toml $DATA/whatsapp" "$(replay "$H") --config $DATA/handoff.toml $DATA/whatsapp"
hf cmp-diff "$BASE diff --quiet --format json $MATRIX samples/proposed-matrix.yaml $DATA/grouped.jsonl" "$H diff --quiet --format json $MATRIX samples/proposed-matrix.yaml $DATA/grouped.jsonl"
hf cmp-threads1 "$(replay "$BASE") --threads 1 $DATA/grouped.jsonl" "$(replay "$H") --threads 1 $DATA/grouped.jsonl"
# Every conversation of the webhook log has a customer (its wa_id): the per-customer state of
# recontact_48h_rate is exercised here, not in the canonical workloads, which carry no customer_id.
hf cmp-cloudapi "$(replay "$BASE") --input-format cloudapi $DATA/cloudapi.jsonl" "$(replay "$H") --input-format cloudapi $DATA/cloudapi.jsonl"

echo "| workload | base | this build | ratio |"
echo "|---|---:|---:|---:|"
for w in jsonl csv whatsapp diff threads1 cloudapi; do
  b=$(median "cmp-$w" 0); n=$(median "cmp-$w" 1)
  python3 -c "print(f'| $w | {$b:.2f} s | {$n:.2f} s | {$n / $b:.2f} × |')"
done
