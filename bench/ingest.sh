#!/usr/bin/env bash
# Ingest benchmark (not a test): documents/s and MB/s for `dyad ingest` of a directory of
# N (default 10,000) HTML and text files generated from dyad's own fixtures, with one and two
# worker threads, plus an idempotent re-run over the same directory.
#
#   bench/ingest.sh            # N=10000
#   N=50000 bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
cargo build --release -q -p dyad-cli
bin="${CARGO_TARGET_DIR:-target}/release/dyad"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/corpus" "$N" <<'PY'
import os, sys, random
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
story = open("examples/wire-story.txt", encoding="utf-8").read()
html = open("crates/dyad-ingest/tests/fixtures/article.html", encoding="utf-8").read()
rng = random.Random(7)
places = ["Baghdad", "Ankara", "Beirut", "Cairo", "Kyiv", "Nairobi", "Caracas", "Manila"]
for i in range(n):
    sub = os.path.join(out, f"{i % 100:02d}")
    os.makedirs(sub, exist_ok=True)
    # A unique sentence per file, so every file is a distinct document.
    extra = f"Officials in {rng.choice(places)} said talks number {i} would resume on Friday."
    if i % 2 == 0:
        body = story.replace("Kurdish authorities", extra + "\nKurdish authorities")
        open(os.path.join(sub, f"story-{i}.txt"), "w", encoding="utf-8").write(body)
    else:
        # After the story's first paragraph, so that the extractor keeps it.
        body = html.replace("</p>", f"</p>\n    <p>{extra}</p>", 1)
        open(os.path.join(sub, f"page-{i}.html"), "w", encoding="utf-8").write(body)
PY
bytes=$(du -sb "$work/corpus" | cut -f1)
echo "corpus: $N files, $(python3 -c "print(round($bytes/1e6,2))") MB (du), $(nproc) cores"

run() {
    local label=$1 threads=$2 db=$3
    local t0 t1
    t0=$(date +%s.%N)
    RAYON_NUM_THREADS=$threads "$bin" ingest --quiet --db "$db" "$work/corpus"
    t1=$(date +%s.%N)
    python3 - "$label" "$t0" "$t1" "$N" "$bytes" <<'PY'
import sys
label, t0, t1, n, b = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = t1 - t0
print(f"{label:<28} {s:7.2f} s  {n/s:9.0f} docs/s  {b/1e6/s:7.2f} MB/s")
PY
}
run "1 thread, new db" 1 "$work/one.db"
run "2 threads, new db" 2 "$work/two.db"
run "2 threads, re-ingest (same)" 2 "$work/two.db"
"$bin" stats --db "$work/two.db" | sed -n '3,7p'
