#!/usr/bin/env python3
"""Write benchmark text: the `# text` lines of a CoNLL-U file, one sentence per
line, paragraphs separated by blank lines, repeated until at least MIN_BYTES.
Usage: analyze_text.py CONLLU OUT [MIN_BYTES]"""
import sys

src, out = sys.argv[1], sys.argv[2]
min_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else 0
lines = [l[len("# text = "):].strip() for l in open(src, encoding="utf-8") if l.startswith("# text = ")]
block = "\n\n".join(lines) + "\n\n"
reps = max(1, -(-min_bytes // max(1, len(block.encode("utf-8")))))
with open(out, "w", encoding="utf-8") as f:
    f.write(block * reps)
print(f"{out}: {len(lines) * reps} sentences, {len(block.encode('utf-8')) * reps} bytes", file=sys.stderr)
