#!/usr/bin/env bash
# PETRARCH-compatible coding speed from given parses (not a test): the records' own parses
# (CoNLL-U in the GSR file, Penn Treebank in the unit tests) are read, repaired, turned into
# phrase trees and coded with the Phoenix/CAMEO dictionaries, as `dyad eval petrarch
# --route given` does. Dictionary loading is excluded.
#
#   bench/petrarch.sh          # R=200 passes over each file
#   R=50 bench/petrarch.sh
#   BASE=/path/to/other/dyad bench/petrarch.sh   # also that build (it needs --repeat), with the ratio
#
# Sentences per CPU-second: the CPU time of a run with R+1 passes minus that of a run with
# one pass (the same start-up and dictionary load), divided by R × records. CPU time, unlike
# wall time, is what one core delivers whatever else the machine runs. Each measurement is
# taken 3 times; all are printed with the median. PETRARCH2 itself needs Python 2 and
# cannot run here: its figure (about 2,300 sentences/s median, coding only, on 75 Gigaword
# sentences) is the one measured in ../shared/eval/README.md.
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
python3 - target/release/dyad "$shared" "$R" "${BASE:-}" <<'PY'
import re, resource, statistics, subprocess, sys
binary, shared, repeats, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def cpu(binary, path, passes):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([binary, "eval", "petrarch", path, "--route", "given",
                          "--repeat", str(passes)],
                         capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    records = int(re.search(r"(\d+) records", out).group(1))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), records

def rate(binary, path):
    one, records = cpu(binary, path, 1)
    many, _ = cpu(binary, path, repeats + 1)
    return records, repeats * records / max(many - one, 1e-9)

for name in ("PETR2_GSR_validation.xml", "PETR.UnitTest.records.xml"):
    path = f"{shared}/{name}"
    rates, base_rates = [], []
    for _ in range(3):
        records, r = rate(binary, path)
        rates.append(r)
        if base:
            base_rates.append(rate(base, path)[1])
    med = statistics.median(rates)
    print(f"{name}: {records} records × {repeats} passes; sentences per CPU-second "
          + " / ".join(f"{r:,.0f}" for r in rates)
          + f"; median {med:,.0f} = {med / 2300:.1f}× PETRARCH2's 2,300/s")
    if base:
        bmed = statistics.median(base_rates)
        print(f"  {base}: " + " / ".join(f"{r:,.0f}" for r in base_rates)
              + f"; median {bmed:,.0f}; this build {med / bmed:.2f}× as fast")
PY
