#!/usr/bin/env bash
# Whole-pipeline benchmark (not a test): raw text → read, clean, segment, tag, parse, code,
# store in SQLite, write JSON Lines. Sentences/s with one worker thread and with two, on
# N (default 100,000) sentences of news-like text generated from dyad's own templates.
#
#   bench/code.sh             # N=100000
#   N=20000 bench/code.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
cargo build --release -q -p dyad-cli
bin=target/release/dyad
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/newsgen.py "$work/corpus" "$N"
echo "machine: $(nproc) cores"
for threads in 1 2; do
    rm -f "$work/bench.db"
    t0=$(date +%s.%N)
    RAYON_NUM_THREADS=$threads "$bin" code --quiet --db "$work/bench.db" "$work/corpus" > "$work/events.jsonl"
    t1=$(date +%s.%N)
    events=$(wc -l < "$work/events.jsonl")
    sentences=$("$bin" stats --db "$work/bench.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sentences"])')
    python3 - "$threads" "$t0" "$t1" "$sentences" "$events" <<'PY'
import sys
th, t0, t1, n, ev = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = t1 - t0
print(f"{th} thread(s): {n} sentences, {ev} events stored in {s:.1f} s = {n / s:,.0f} sentences/s")
PY
done
