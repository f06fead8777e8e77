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
# Per core = sentences per CPU-second (user + system time of the dyad process), which is
# what a core delivers whatever else the machine is doing; wall-clock rates are shown too.
for threads in 1 2; do
    rm -f "$work/bench.db"*
    python3 - "$bin" "$threads" "$work" <<'PY'
import json, os, resource, subprocess, sys, time
binary, threads, work = sys.argv[1], sys.argv[2], sys.argv[3]
env = dict(os.environ, RAYON_NUM_THREADS=threads)
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
with open(f"{work}/events.jsonl", "wb") as out:
    subprocess.run([binary, "code", "--quiet", "--db", f"{work}/bench.db", f"{work}/corpus"],
                   env=env, stdout=out, check=True)
wall = time.monotonic() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
stats = json.loads(subprocess.run([binary, "stats", "--db", f"{work}/bench.db", "--json"],
                                  capture_output=True, check=True).stdout)
n, ev = stats["sentences"], stats["events"]
print(f"{threads} thread(s): {n} sentences, {ev} events stored; wall {wall:.1f} s = "
      f"{n / wall:,.0f} sentences/s; CPU {cpu:.1f} s = {n / cpu:,.0f} sentences per CPU-second")
PY
done
