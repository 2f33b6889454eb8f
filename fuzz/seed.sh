#!/usr/bin/env bash
# Makes the seed corpus of every fuzz target from the project's own fixtures and samples.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p seeds/matrix seeds/jsonl seeds/csv seeds/whatsapp seeds/json seeds/engine
find "$root/rules" "$root/samples" "$root/tests/fixtures/lint" "$root/tests/fixtures/replay" -name '*.yaml' | while read -r f; do
  cp "$f" "seeds/matrix/$(echo "$f" | tr '/' '_')"
done
for f in "$root"/tests/fixtures/logs/*.jsonl "$root/tests/fixtures/replay/log.jsonl" "$root/samples/handwritten.jsonl"; do
  cp "$f" "seeds/jsonl/$(basename "$f")"
done
head -c 60000 "$root/samples/retail-2026-10.jsonl" > seeds/jsonl/retail-head.jsonl
cp "$root"/tests/fixtures/logs/*.csv seeds/csv/
head -c 60000 "$root/samples/helpdesk-export.csv" > seeds/csv/helpdesk-head.csv
find "$root/tests/fixtures/json" "$root/tests/fixtures/fuzz/json" -name '*.json*' | while read -r f; do
  cp "$f" "seeds/json/$(echo "$f" | tr '/' '_')"
done
for f in "$root"/tests/fixtures/whatsapp/*.txt "$root"/samples/whatsapp/*.txt; do
  cp "$f" "seeds/whatsapp/$(basename "$f" | tr ' ' '_')"
done
# engine seeds: a two-byte length, the matrix, then the log.
python3 - "$root" <<'PY'
import struct, sys, os
root = sys.argv[1]
pairs = [("tests/fixtures/replay/matrix.yaml", "tests/fixtures/replay/log.jsonl"),
         ("rules/minimal.yaml", "samples/handwritten.jsonl"),
         ("rules/whatsapp-retail.yaml", "samples/handwritten.jsonl")]
for i, (m, l) in enumerate(pairs):
    mb = open(os.path.join(root, m), "rb").read()
    lb = open(os.path.join(root, l), "rb").read()[:30000]
    open(f"seeds/engine/pair-{i}", "wb").write(struct.pack("<H", len(mb)) + mb + lb)
PY
