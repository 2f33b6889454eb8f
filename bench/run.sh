#!/usr/bin/env bash
# Whole-process benchmarks of handoff, each against a baseline measured in the same run.
#
#   bench/run.sh                 # 1 GB workloads (and 4 GB for peak memory), results in bench/results.md
#   SIZE=200000000 bench/run.sh  # a quicker pass
#   BASE=/path/to/old/handoff bench/run.sh   # also times an earlier build against this one, in
#                                # the same rounds (bench/compare.sh times more workloads so)
#
# Needs hyperfine and ripgrep (Debian: apt-get install hyperfine ripgrep), GNU time (/usr/bin/time,
# Debian package `time`) and python3. It installs nothing itself: it says what is missing and stops.
# Data is generated with the project's own generator (examples/generate.rs) into $DATA.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1000000000}          # bytes of the main JSONL and CSV workloads
BIG=${BIG:-4000000000}            # bytes of the peak-memory workload
DATA=${DATA:-/tmp/handoff-bench}
RUNS=${RUNS:-3}                   # runs of each command per round
ROUNDS=${ROUNDS:-3}               # rounds: the commands compared take turns round by round
OUT=${OUT:-bench/results.md}
MATRIX=rules/whatsapp-retail.yaml

missing=()
for tool in hyperfine rg python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x /usr/bin/time ] || missing+=("/usr/bin/time")
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/run.sh needs: ${missing[*]} (Debian: apt-get install hyperfine ripgrep time python3)" >&2
  exit 2
fi

. bench/data.sh

# Every keyword phrase of the matrix, one per line, for ripgrep.
python3 - "$MATRIX" > "$DATA/KEYWORDS" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
phrases = set()
for m in re.finditer(r"keywords:\s*\[([^\]]*)\]", text):
    phrases.update(p.strip().strip("'\"") for p in m.group(1).split(",") if p.strip())
print("\n".join(sorted(phrases)))
PY

# A matrix with 1,000 triggers, for lint.
python3 - > "$DATA/large-matrix.yaml" <<'PY'
print("version: 1\nlanes:")
for l in range(10):
    print(f"  lane{l}:\n    priority: {l + 1}\n    sla: {{first_response: 30m}}\n    requires: [intent]")
    print(f"    handoff: {{message: \"I'm bringing in {{agent}}, who will reply within {{eta}}.\", agent: Ana, eta: 5 minutes}}")
print("triggers:")
print("  - {id: explicit-human, lane: lane9, when: {keywords: [human, agent, real person, speak to someone, representative]}}")
print("  - {id: loop-breaker, lane: lane9, when: {fallbacks: 3}}")
print("  - {id: low-confidence, lane: lane9, when: {confidence_below: 0.6}}")
for t in range(997):
    print(f"  - {{id: topic-{t}, lane: lane{t % 10}, when: {{intents: [topic_{t}], keywords: [phrase number {t}]}}}}")
PY

bytes() { stat -c %s "$1"; }
mb_s() { python3 -c "print(f'{$1 / 1e6 / $2:.0f}')"; }
mb() { python3 -c "print(f'{$1 / 1e6:.0f}')"; }
per_byte() { python3 -c "print(f'{($1 / $2) / ($3 / $4):.2f}')"; } # bytes/s of one over another
R="$H replay --quiet --format json $MATRIX"
R_ML="$H replay --quiet --format json $DATA/multilingual/matrix.yaml"
hf jsonl "$R $DATA/grouped.jsonl" "rg -c -i -F -f $DATA/KEYWORDS $DATA/grouped.jsonl"
hf csv "$R --config $DATA/handoff.toml $DATA/export.csv" "rg -c -i -F -f $DATA/KEYWORDS $DATA/export.csv"
hf threads "$R --threads 1 $DATA/grouped.jsonl" "$R --threads 2 $DATA/grouped.jsonl"
hf growth "$R $DATA/grouped.jsonl" "$R $DATA/grouped-2x.jsonl"
# The same records ordered by time: held within --memory, spilled to $DATA past it.
hf timed "$R $DATA/grouped.jsonl" "$R --temp-dir $DATA $DATA/timed.jsonl" "$R --memory 64MiB --temp-dir $DATA $DATA/timed.jsonl"
hf diff "$H diff --quiet --format json $MATRIX samples/proposed-matrix.yaml $DATA/grouped.jsonl" "$R $DATA/grouped.jsonl"
hf lint "$H lint --quiet --format json $DATA/large-matrix.yaml"
# A matrix with 1,000 keyword phrases in four languages and 50 regex triggers, against ripgrep
# looking for the same phrases in the same file; and its lint.
ML=$DATA/multilingual
hf multilingual "$R_ML $DATA/grouped.jsonl" "rg -c -i -F -f $ML/phrases.txt $DATA/grouped.jsonl"
hf lint-multilingual "$H lint --quiet --format json $ML/matrix.yaml"
hf whatsapp "$R --config $DATA/handoff.toml $DATA/whatsapp" "rg -c -i -F -f $DATA/KEYWORDS $DATA/whatsapp"
# The profiles against canonical JSONL, per byte: a platform's layout spends bytes on structure.
hf profiles "$R --input-format intercom $DATA/intercom.jsonl" "$R --input-format cloudapi $DATA/cloudapi.jsonl" "$R $DATA/grouped.jsonl"
if [ -n "${BASE:-}" ]; then # before and after a change, in one run
  B="$BASE replay --quiet --format json $MATRIX"
  hf base "$B $DATA/grouped.jsonl" "$R $DATA/grouped.jsonl" "$B --input-format cloudapi $DATA/cloudapi.jsonl" "$R --input-format cloudapi $DATA/cloudapi.jsonl"
fi

j=$(median jsonl 0); jr=$(median jsonl 1)
c=$(median csv 0); cr=$(median csv 1)
t1=$(median threads 0); t2=$(median threads 1)
g1=$(median growth 0); g2=$(median growth 1)
tg=$(median timed 0); tt=$(median timed 1); t64=$(median timed 2)
mt=$(rss $R --temp-dir "$DATA" "$DATA/timed.jsonl")
mt64=$(rss $R --memory 64MiB --temp-dir "$DATA" "$DATA/timed.jsonl")
d=$(median diff 0); dr=$(median diff 1)
l=$(median lint 0)
ml=$(median multilingual 0); mlr=$(median multilingual 1)
lml=$(median lint-multilingual 0)
w=$(median whatsapp 0); wr=$(median whatsapp 1)
pi=$(median profiles 0); pc=$(median profiles 1); pj=$(median profiles 2)
mi=$(rss $H replay --quiet --format json --input-format intercom $MATRIX "$DATA/intercom.jsonl")
mc=$(rss $H replay --quiet --format json --input-format cloudapi $MATRIX "$DATA/cloudapi.jsonl")
wbytes=$(du -sb "$DATA/whatsapp" | cut -f1)
m1=$(rss $H replay --quiet --format json $MATRIX "$DATA/grouped.jsonl")
m4=$(rss $H replay --quiet --format json $MATRIX "$DATA/big.jsonl")
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
ms() { python3 -c "print(f'{$1 * 1000:.0f} ms')"; }
s() { python3 -c "print(f'{$1:.2f} s')"; }

{
  echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo
  echo "Workload: \`$MATRIX\` over $(python3 -c "print(f'{$SIZE/1e9:g}')") GB of generated data; medians of $((ROUNDS * RUNS)) runs: $ROUNDS rounds in which the commands compared take turns, $RUNS runs each after a warm-up (hyperfine)."
  echo
  echo "| workload | handoff | baseline | ratio or figure | target |"
  echo "|---|---:|---:|---:|---|"
  echo "| replay, grouped JSONL | $(s "$j") | rg: $(s "$jr") | $(ratio "$j" "$jr") × rg | ≤ 1.0 × |"
  echo "| replay, CSV | $(s "$c") | rg: $(s "$cr") | $(ratio "$c" "$cr") × rg | ≤ 1.0 × |"
  echo "| replay, grouped JSONL, multilingual matrix (1,000 phrases, 50 regexes) | $(s "$ml") | rg with its phrases: $(s "$mlr") | $(ratio "$ml" "$mlr") × rg | ≤ 1.0 × |"
  echo "| replay, WhatsApp exports ($(python3 -c "print(f'{$wbytes/1e6:.0f}')") MB in 20 files) | $(s "$w") | rg: $(s "$wr") | $(mb_s "$wbytes" "$w") MB/s | ≥ 200 MB/s |"
  jb=$(bytes "$DATA/grouped.jsonl"); ib=$(bytes "$DATA/intercom.jsonl"); cb=$(bytes "$DATA/cloudapi.jsonl")
  echo "| replay, Intercom conversation documents ($(mb "$ib") MB), peak $mi MB | $(s "$pi") | canonical JSONL: $(s "$pj") | $(mb_s "$ib" "$pi") vs $(mb_s "$jb" "$pj") MB/s: $(per_byte "$ib" "$pi" "$jb" "$pj") × | ≥ 0.5 × |"
  echo "| replay, Cloud API webhook log ($(mb "$cb") MB), peak $mc MB | $(s "$pc") | canonical JSONL: $(s "$pj") | $(mb_s "$cb" "$pc") vs $(mb_s "$jb" "$pj") MB/s: $(per_byte "$cb" "$pc" "$jb" "$pj") × | ≥ 0.5 × |"
  echo "| peak memory, 1 GB / 4 GB grouped JSONL | $m1 MB / $m4 MB | | | ≤ 100 MB |"
  echo "| 2 threads vs 1 | $(s "$t2") | 1 thread: $(s "$t1") | $(ratio "$t1" "$t2") × faster | ≥ 1.7 × |"
  echo "| replay, time-ordered JSONL (--memory 256MiB), peak $mt MB | $(s "$tt") | grouped: $(s "$tg") | $(ratio "$tt" "$tg") × grouped | ≤ 1.5 ×, peak ≤ 320 MB |"
  echo "| replay, time-ordered JSONL, --memory 64MiB, peak $mt64 MB | $(s "$t64") | grouped: $(s "$tg") | $(ratio "$t64" "$tg") × grouped | ≤ 1.5 ×, peak ≤ 128 MB |"
  echo "| growth: 2× the input | $(s "$g2") | 1×: $(s "$g1") | $(ratio "$g2" "$g1") × the time | ≤ 2.1 × |"
  echo "| diff (one pass, two matrices) | $(s "$d") | replay: $(s "$dr") | $(ratio "$d" "$dr") × replay | ≤ 1.3 × |"
  echo "| lint, 1,000-trigger matrix | $(ms "$l") | | | < 200 ms |"
  echo "| lint, multilingual matrix (1,000 phrases, 50 regexes) | $(ms "$lml") | | | < 200 ms |"
  if [ -n "${BASE:-}" ]; then
    echo "| replay, grouped JSONL, against BASE | $(s "$(median base 1)") | BASE: $(s "$(median base 0)") | $(ratio "$(median base 1)" "$(median base 0)") × BASE | ≤ 1.1 × |"
    echo "| replay, Cloud API webhook log, against BASE | $(s "$(median base 3)") | BASE: $(s "$(median base 2)") | $(ratio "$(median base 3)" "$(median base 2)") × BASE | ≤ 1.1 × |"
  fi
} > "$OUT"
cat "$OUT"
