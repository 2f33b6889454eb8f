#!/usr/bin/env bash
# The Spark example end to end, in local mode on generated data: JSONL (sharded by conversation
# and by customer), the helpdesk CSV export and Parquet, each replayed on Spark through
# `handoff replay --partial -` and reduced with `handoff merge`, and each merged report compared
# byte for byte with one `handoff replay` of the same data. Not part of `cargo test`: it installs
# pyspark from PyPI and a JDK from Debian's packages when they are missing, builds handoff in
# release mode and takes minutes.
#
#   examples/spark/run.sh [CONVERSATIONS]      # default 20000; PARTITIONS=8, KEEP=1 keeps the data
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000}
PARTITIONS=${PARTITIONS:-8}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/handoff-spark.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends default-jre-headless
fi
python3 -c 'import pyspark' 2>/dev/null || python3 -m pip install --quiet pyspark
cargo build --quiet --release --bin handoff --example generate
H=$PWD/target/release/handoff
G=$PWD/target/release/examples/generate
MATRIX=$PWD/rules/whatsapp-retail.yaml
JOB=$PWD/examples/spark/handoff_spark.py
export PYSPARK_PYTHON=${PYSPARK_PYTHON:-$(command -v python3)}
# Local mode talks to itself only: bind the driver to the loopback address.
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

# Generated conversations, each given one of N/3 customers at random on its first record only (so
# some customers come back within 48 hours, and --by customer must find the id where it is).
"$G" --conversations "$N" --seed 17 --out "$WORK/raw.jsonl" 2>>"$WORK/generate.log"
awk -v m=$((N / 3 + 1)) -F'"' 'BEGIN { srand(17) } {
  if ($4 != last) printf "{\"customer_id\":\"k%d\",%s\n", int(rand() * m), substr($0, 2)
  else print
  last = $4 }' "$WORK/raw.jsonl" > "$WORK/logs.jsonl"
"$G" --format csv --conversations $((N / 5)) --seed 7 --out "$WORK/helpdesk.csv" 2>>"$WORK/generate.log"
python3 - "$WORK/logs.jsonl" "$WORK/logs.parquet" 2>>"$WORK/spark.log" <<'PY'
import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[2]").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
# One file, in the order of the JSONL, so records with the same timestamp keep their order.
spark.read.json(sys.argv[1]).coalesce(1).write.mode("overwrite").parquet(sys.argv[2])
spark.stop()
PY

seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" || { echo "failed: $* (see $SPARK_LOG)" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
SPARK_LOG=$WORK/spark.log
spark_job() { python3 "$JOB" --master "local[2]" --partitions "$PARTITIONS" --handoff "$H" "$@" 2>>"$SPARK_LOG"; }
check() {
  if cmp -s "$1" "$2"; then echo "byte-identical"; else echo "DIFFERENT: diff $1 $2" >&2; diff "$1" "$2" | head -20 >&2; exit 1; fi
}

size=$(du -m "$WORK/logs.jsonl" | cut -f1)
echo "data: $N conversations, $(wc -l < "$WORK/logs.jsonl") records, $size MB of JSONL; $PARTITIONS partitions, local[2]"
t=$(seconds "$H" replay --quiet --format json "$MATRIX" "$WORK/logs.jsonl" -o "$WORK/one.json")
echo "handoff replay (one process):           $t s"
t=$(seconds spark_job --keep-partials "$WORK/partials" "$MATRIX" "$WORK/logs.jsonl" -- --format json -o "$WORK/spark.json")
echo "Spark, JSONL by conversation:           $t s, $(check "$WORK/one.json" "$WORK/spark.json")"
echo "  partials: $(du -k "$WORK/partials" | cut -f1) KB for $(ls "$WORK/partials" | wc -l) shards"
t=$(seconds "$H" merge --quiet --format json "$WORK"/partials/*.json -o "$WORK/again.json")
echo "  handoff merge of the partials alone:  $t s, $(check "$WORK/one.json" "$WORK/again.json")"
t=$(seconds spark_job --by customer "$MATRIX" "$WORK/logs.jsonl" -- --format json -o "$WORK/customer.json")
echo "Spark, JSONL by customer:               $t s, $(check "$WORK/one.json" "$WORK/customer.json")"
"$H" replay --quiet --format table "$MATRIX" "$WORK/logs.jsonl" > "$WORK/one.txt"
"$H" merge --quiet --format table "$WORK"/partials/*.json -o "$WORK/spark.txt"
echo "  the same partials as a table report:  $(check "$WORK/one.txt" "$WORK/spark.txt")"
t=$(seconds spark_job "$MATRIX" "$WORK/logs.parquet" -- --format json -o "$WORK/parquet.json")
echo "Spark, Parquet by conversation:         $t s, $(check "$WORK/one.json" "$WORK/parquet.json")"
"$H" replay --quiet --config samples/handoff.toml --format json "$MATRIX" "$WORK/helpdesk.csv" -o "$WORK/one-csv.json"
t=$(seconds spark_job --conversation-field ticket_id --config "$PWD/samples/handoff.toml" "$MATRIX" "$WORK/helpdesk.csv" -- --format json -o "$WORK/spark-csv.json")
echo "Spark, helpdesk CSV ($((N / 5)) tickets):     $t s, $(check "$WORK/one-csv.json" "$WORK/spark-csv.json")"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["metrics"]; print("recontact_48h_rate:", m["recontact_48h_rate"], "conversations:", m["conversations"])' "$WORK/one.json"
