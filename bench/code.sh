#!/usr/bin/env bash
# Whole-pipeline benchmark (not a test): raw text → read, clean, segment, tag, parse, code,
# store in SQLite, write JSON Lines. Sentences/s with one worker thread and with two, on
# N (default 100,000) sentences of news-like text generated from dyad's own templates.
#
#   bench/code.sh             # N=100000, each configuration run R=3 times
#   N=20000 R=1 bench/code.sh
#
# CPU time on a shared VM varies between identical runs (±20% seen here), so each
# configuration runs R times and the script prints every run, the median and the best.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
R=${R:-3}
cargo build --release -q -p dyad-cli
bin="${CARGO_TARGET_DIR:-target}/release/dyad"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/newsgen.py "$work/corpus" "$N"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Per core = sentences per CPU-second (user + system time of the dyad process), which is
# what a core delivers whatever else the machine is doing; wall-clock rates are shown too.
python3 - "$bin" "$work" "$R" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
binary, work, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])

def run(threads):
    for f in ("bench.db", "bench.db-wal", "bench.db-shm"):
        try:
            os.remove(f"{work}/{f}")
        except FileNotFoundError:
            pass
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
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
    return stats["sentences"], stats["events"], wall, cpu

for threads in (1, 2):
    walls, cpus = [], []
    for i in range(repeats):
        n, ev, wall, cpu = run(threads)
        walls.append(wall)
        cpus.append(cpu)
        print(f"{threads} thread(s), run {i + 1}: {n} sentences, {ev} events stored; "
              f"wall {wall:.1f} s = {n / wall:,.0f} sentences/s; "
              f"CPU {cpu:.1f} s = {n / cpu:,.0f} sentences per CPU-second")
    print(f"{threads} thread(s) over {repeats} runs: sentences per CPU-second median "
          f"{n / statistics.median(cpus):,.0f}, best {n / min(cpus):,.0f}; wall sentences/s "
          f"median {n / statistics.median(walls):,.0f}, best {n / min(walls):,.0f}")
PY
