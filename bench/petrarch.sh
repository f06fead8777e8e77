#!/usr/bin/env bash
# PETRARCH-compatible coding speed from given parses (not a test): the records' own parses
# (CoNLL-U in the GSR file, Penn Treebank in the unit tests) are read, repaired, turned into
# phrase trees and coded with the Phoenix/CAMEO dictionaries, as `dyad eval petrarch
# --route given` does. Dictionary loading is excluded.
#
#   bench/petrarch.sh          # R=200 passes over each file
#   R=50 N=9 bench/petrarch.sh
#   BASE=/path/to/other/dyad bench/petrarch.sh   # also that build (it needs --repeat), with the ratio
#
# Two measures per run, both with start-up and dictionary load left out:
# - sentences per CPU-second: the CPU time of a run with R+1 passes minus that of a run with one
#   pass, divided by R × records (CPU time, unlike wall time, is what one core delivers
#   whatever else the machine runs);
# - the binary's own median wall-clock rate per pass (`--repeat`), which has no subtraction
#   and so none of the load's noise.
# CPU speed on this VM drifts by up to 2× within a minute (it flips between a fast and a slow
# state), so N runs (default 5) are taken, alternating with BASE when given, and every run is
# printed with the median and the best; with BASE, the ratio of each pair of back-to-back runs
# too, which cancels the drift.
# PETRARCH2 itself needs Python 2 and cannot run here: its figures (about 2,300 sentences/s
# median, 2,800 best, coding only, on 75 Gigaword sentences) are those measured in
# ../shared/eval/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${R:-200}
shared=../shared/eval/petrarch
if [ ! -d "$shared" ]; then
    echo "skipping: $shared is absent" >&2
    exit 0
fi
cargo build --release -q -p dyad-cli
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${CARGO_TARGET_DIR:-target}/release/dyad" "$shared" "$R" "${BASE:-}" "${N:-5}" <<'PY'
import re, resource, statistics, subprocess, sys
binary, shared, repeats, base, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])

def run(binary, path, passes):
    """CPU seconds, records, and the binary's median per-pass rate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([binary, "eval", "petrarch", path, "--route", "given",
                        "--repeat", str(passes)],
                       capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    records = int(re.search(r"(\d+) records", p.stdout).group(1))
    m = re.search(r"median (\d+)", p.stderr)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            records, int(m.group(1)) if m else None)

def rate(binary, path):
    one, records, _ = run(binary, path, 1)
    many, _, per_pass = run(binary, path, repeats + 1)
    return records, repeats * records / max(many - one, 1e-9), per_pass

def line(label, rates):
    med = statistics.median(rates)
    return (f"  {label}: " + " / ".join(f"{r:,.0f}" for r in rates)
            + f"; median {med:,.0f} ({med / 2300:.1f}x), best {max(rates):,.0f} ({max(rates) / 2800:.1f}x the best 2,800)")

for name in ("PETR2_GSR_validation.xml", "PETR.UnitTest.records.xml"):
    path = f"{shared}/{name}"
    cpu, wall, base_cpu, base_wall = [], [], [], []
    for _ in range(runs):
        records, c, w = rate(binary, path)
        cpu.append(c)
        wall.append(w)
        if base:
            _, c, w = rate(base, path)
            base_cpu.append(c)
            base_wall.append(w)
    print(f"{name}: {records} records x {repeats} passes, {runs} runs; sentences per second, "
          "x PETRARCH2's median 2,300")
    print(line("per CPU-second", cpu))
    print(line("per pass, in-process median", wall))
    if base:
        print(f"  {base}:")
        print(line("per CPU-second", base_cpu))
        print(line("per pass, in-process median", base_wall))
        # Runs taken back to back see the same machine state: their ratios cancel the drift.
        paired = [w / bw for w, bw in zip(wall, base_wall)]
        geo = statistics.geometric_mean(paired)
        print("  this build / base, run by run (per pass): "
              + " / ".join(f"{r:.2f}" for r in paired) + f"; geometric mean {geo:.2f}x")
PY
