#!/usr/bin/env bash
# Fuzzes handoff with cargo-fuzz (libFuzzer).
#
#   fuzz/run.sh                  # every target for 15 minutes each, two at a time
#   fuzz/run.sh jsonl 600        # one target for 10 minutes
#
# Needs cargo-fuzz (cargo install cargo-fuzz). cargo-fuzz builds with sanitizer flags that stable
# Rust only accepts with RUSTC_BOOTSTRAP=1, which this script sets; no nightly toolchain is fetched.
# The seed corpus is made from the project's fixtures (fuzz/seed.sh); findings land in
# fuzz/artifacts/TARGET/ and are kept as regression tests in tests/fixtures/fuzz/.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2; exit 2; }
./seed.sh
TARGETS=(matrix jsonl csv whatsapp json engine)
SECONDS_EACH=${2:-900}
run() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  cargo fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | tail -n 25 > "artifacts/$t.log"
  echo "== $t"; grep -E "stat::number_of_executed_units|Done [0-9]+ runs|SUMMARY|crash-|timeout-|oom-" "artifacts/$t.log" || true
}
if [ $# -ge 1 ]; then
  run "$1"
  exit 0
fi
cargo fuzz build --sanitizer none
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
  run "${TARGETS[$i]}" &
  if [ $((i + 1)) -lt ${#TARGETS[@]} ]; then run "${TARGETS[$((i + 1))]}" & fi
  wait
done
