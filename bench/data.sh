# Builds handoff and the generator (release) and generates the benchmark workloads into $DATA,
# each only when it is not there yet; defines the timing helpers (`hf`, `median`). Sourced by
# bench/run.sh, bench/compare.sh and bench/reports.sh, which set SIZE, BIG, DATA, RUNS and ROUNDS;
# H is the handoff binary to measure and G the generator (this checkout's release builds unless
# set); REPORTS_ONLY leaves out the workloads that only bench/run.sh times.
if [ -z "${H:-}" ]; then
  cargo build --release --quiet
  H=target/release/handoff
fi
if [ -z "${G:-}" ]; then
  cargo build --release --quiet --example generate
  G=target/release/examples/generate
fi
mkdir -p "$DATA"

gen() { # file, then generator arguments
  local file=$1; shift
  [ -s "$file" ] || "$G" "$@" --out "$file"
}
gen "$DATA/grouped.jsonl" --bytes "$SIZE"
if [ -z "${REPORTS_ONLY:-}" ]; then # the growth and peak-memory workloads are timed only
  gen "$DATA/grouped-2x.jsonl" --bytes "$((SIZE * 2))" --seed 2027
  gen "$DATA/big.jsonl" --bytes "$BIG" --seed 2028
  # The grouped records ordered by time, as webhook logs and most platform exports come: a stable
  # sort on the timestamp, which the generator writes in RFC 3339 UTC, so text order is time order.
  if [ ! -s "$DATA/timed.jsonl" ]; then
    sed -E 's/^(.*"timestamp":"([^"]*)".*)$/\2\t\1/' "$DATA/grouped.jsonl" |
      LC_ALL=C sort -s -t "$(printf '\t')" -k1,1 -S 25% -T "$DATA" | cut -f2- > "$DATA/timed.jsonl.part"
    mv "$DATA/timed.jsonl.part" "$DATA/timed.jsonl"
  fi
fi
gen "$DATA/export.csv" --format csv --bytes "$SIZE"
# Intercom conversations with their parts, one a line (read with --input-format intercom).
gen "$DATA/intercom.jsonl" --format intercom --bytes "$SIZE"
# A WhatsApp Cloud API webhook log of about SIZE bytes: generated conversations reshaped into
# webhook bodies, the business's sent messages and their delivery statuses (bench/reshape.py;
# a body is some 2.4 times the canonical record it carries).
if [ ! -s "$DATA/cloudapi.jsonl" ]; then
  gen "$DATA/cloudapi-source.jsonl" --bytes "$((SIZE * 2 / 5))" --seed 2029
  python3 bench/reshape.py cloudapi "$DATA/cloudapi-source.jsonl" "$DATA/cloudapi.jsonl"
fi
if [ ! -d "$DATA/whatsapp" ]; then
  # 20,000 generated exports joined into 20 long ones (a year of chat each): the parser's
  # throughput, not 20,000 file opens, is what this measures.
  "$G" --format whatsapp --conversations 20000 --seed 5 --out "$DATA/whatsapp-small"
  python3 - "$DATA/whatsapp-small" "$DATA/whatsapp" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
names = sorted(os.listdir(src))
for k in range(0, len(names), 1000):
    with open(os.path.join(dst, f"export-{k // 1000:02}.txt"), "wb") as out:
        for n in names[k:k + 1000]:
            with open(os.path.join(src, n), "rb") as f:
                out.write(f.read())
PY
fi
cp samples/handoff.toml "$DATA/handoff.toml"
# The multilingual matrix of the keyword workload (1,000 phrases in four languages, 50 regexes) and
# its phrases for ripgrep, from its generator (tests/fixtures/multilingual holds the same output).
python3 bench/multilingual.py "$DATA/multilingual" >&2

median() { # comparison name, command index: the median of its runs in every round
  python3 - "$DATA" "$1" "$2" "$ROUNDS" <<'PY'
import json, statistics, sys
data, name, i, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
print(statistics.median(
    t for k in range(1, rounds + 1)
    for t in json.load(open(f"{data}/{name}-{k}.json"))["results"][i]["times"]))
PY
}
rss() { # peak memory in MB of a command
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | python3 -c "import sys; print(f'{int(sys.stdin.read()) / 1024:.0f}')"
}
hf() { # name, commands…: ROUNDS rounds of hyperfine over the commands, so that a slow spell of
        # a shared machine falls on the commands compared alike rather than on one of them
  local name=$1; shift
  for k in $(seq "$ROUNDS"); do
    hyperfine --style basic --warmup 1 --runs "$RUNS" -N --export-json "$DATA/$name-$k.json" "$@" >&2
  done
}
