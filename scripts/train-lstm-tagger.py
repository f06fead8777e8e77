#!/usr/bin/env python3
"""Train the accurate pipeline's tagger and add it to models/biaffine.bin.

A two-layer BiLSTM over word, GloVe, affix and word-shape embeddings predicts
the joint UPOS|XPOS tag of every word (softmax, no tag history). dyad runs it
with its own Rust code (crates/dyad-analyze/src/lstm_tagger.rs) in front of the
accurate parser; PyTorch is needed for training only.

    .venv-train/bin/python scripts/train-lstm-tagger.py \
        --ewt ../shared/data/ud-english-ewt --model models/biaffine.bin

It reads the word and GloVe vocabularies and the (int8) GloVe vectors from the
parser's model file, so both models look words up the same way and the file
holds one GloVe table, and writes the file back with the tagger's tensors
(`tag.*`) and metadata (`tagger_*`) added. Trained on EWT train; the epoch with
the best dev UPOS + XPOS accuracy is kept. Deterministic for a seed and thread
count (`--seed`, `--threads`).

Features, which crates/dyad-analyze/src/lstm_tagger.rs computes the same way:
- the lowercased word (the parser's vocabulary: train words seen twice);
- its GloVe 6B 50d vector (frozen);
- its 1- to 4-letter suffixes and 1- to 3-letter prefixes (lowercased, by
  characters; the whole word when shorter), from a vocabulary of the affixes
  seen three times in train;
- a shape class: no letters (with or without a digit), lowercase, capitalised,
  all capitals, mixed; whether it is the sentence's first word; whether it
  holds a hyphen.
"""
import argparse
import os
import random
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dyad_model  # noqa: E402
from conllu import read_conllu  # noqa: E402

KIND = "biaffine"
PAD, UNK, FIRST_WORD = 0, 1, 3  # word and GloVe rows (2 is the parser's root)
AFFIX_UNK, FIRST_AFFIX = 1, 2
N_SHAPES = 32
AFFIX_MIN = 3


def affixes(word):
    low = word.lower()
    return [low[-k:] for k in (1, 2, 3, 4)] + [low[:k] for k in (1, 2, 3)]


def shape(word, first):
    letters = sum(c.isalpha() for c in word)
    upper = sum(c.isupper() for c in word)
    if letters == 0:
        k = 1 if any(c in "0123456789" for c in word) else 2
    elif upper == 0:
        k = 3
    elif upper == 1 and word[0].isupper():
        k = 4
    elif upper == letters:
        k = 5
    else:
        k = 6
    return 2 * k + int(first) + (16 if "-" in word else 0)


class Tagger(nn.Module):
    def __init__(s, n_words, glove, n_affixes, n_classes, a):
        super().__init__()
        s.wemb = nn.Embedding(n_words, a.wdim)
        nn.init.zeros_(s.wemb.weight)
        s.gemb = nn.Embedding.from_pretrained(torch.tensor(glove), freeze=True)
        s.aemb = nn.Embedding(n_affixes, a.adim)
        s.semb = nn.Embedding(N_SHAPES, a.sdim)
        d_in = a.wdim + glove.shape[1] + 7 * a.adim + a.sdim
        s.lstm = nn.LSTM(d_in, a.hidden, a.layers, batch_first=True, bidirectional=True, dropout=a.drop)
        s.out = nn.Linear(2 * a.hidden, n_classes)
        s.drop = a.drop

    def forward(s, W, G, A, S, lens):
        x = torch.cat([s.wemb(W), s.gemb(G), s.aemb(A).flatten(2), s.semb(S)], -1)
        if s.training:
            x = F.dropout(x, s.drop)
        pk = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        o, _ = s.lstm(pk)
        o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=x.shape[1])
        if s.training:
            o = F.dropout(o, s.drop)
        return s.out(o)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ewt", required=True, help="folder with en_ewt-ud-{train,dev}.conllu")
    ap.add_argument("--model", default="models/biaffine.bin", help="the parser's model file (read)")
    ap.add_argument("--out", help="where to write the parser + tagger (default: --model)")
    ap.add_argument("--checkpoint", default="lstm-tagger.pt", help="best epoch's weights")
    ap.add_argument("--export-only", action="store_true", help="export --checkpoint without training")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=150)
    ap.add_argument("--wdim", type=int, default=100)
    ap.add_argument("--adim", type=int, default=25)
    ap.add_argument("--sdim", type=int, default=16)
    ap.add_argument("--drop", type=float, default=0.33)
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--batch", type=int, default=32, help="sentences per batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    out_path = a.out or a.model
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    tensors, meta = dyad_model.read(a.model, KIND)
    words = meta["words"].split("\n")
    word_index = {w: i + FIRST_WORD for i, w in enumerate(words)}
    glove_index = {w: i + FIRST_WORD for i, w in enumerate(meta["glove_words"].split("\n"))}
    glove = dyad_model.dequantise(tensors, "gemb.weight")
    train = read_conllu(os.path.join(a.ewt, "en_ewt-ud-train.conllu"))
    dev = read_conllu(os.path.join(a.ewt, "en_ewt-ud-dev.conllu"))
    counts = Counter(w.lower() for s in train for (w, *_) in s)
    affix_counts = Counter(x for s in train for (w, *_) in s for x in affixes(w))
    affix_list = sorted(x for x, c in affix_counts.items() if c >= AFFIX_MIN)
    affix_index = {x: i + FIRST_AFFIX for i, x in enumerate(affix_list)}
    classes = sorted({(u, x) for s in train for (_, u, x, *_) in s})
    class_index = {c: i for i, c in enumerate(classes)}

    def encode(sent):
        return (
            [word_index.get(w.lower(), UNK) for (w, *_) in sent],
            [glove_index.get(w.lower(), UNK) for (w, *_) in sent],
            [[affix_index.get(x, AFFIX_UNK) for x in affixes(w)] for (w, *_) in sent],
            [shape(w, i == 0) for i, (w, *_) in enumerate(sent)],
            [class_index.get((u, x), 0) for (_, u, x, *_) in sent],
        )

    def batchify(items, dropout=False):
        n, B = max(len(x[0]) for x in items), len(items)
        W, G, S, Y = (torch.zeros(B, n, dtype=torch.long) for _ in range(4))
        A = torch.zeros(B, n, 7, dtype=torch.long)
        lens = torch.tensor([len(x[0]) for x in items])
        for b, (w, g, af, sh, y) in enumerate(items):
            if dropout:
                # Rare words become unknown a quarter of the time, so that the
                # unknown word (with GloVe, affixes, shape) learns to stand in
                # for words never seen in training. One draw per word.
                w = [UNK if rng.random() < 0.25 * (x < FIRST_WORD or counts[words[x - FIRST_WORD]] < 3) else x
                     for x in w]
            L = len(w)
            W[b, :L], G[b, :L], A[b, :L] = torch.tensor(w), torch.tensor(g), torch.tensor(af)
            S[b, :L], Y[b, :L] = torch.tensor(sh), torch.tensor(y)
        return W, G, A, S, Y, lens

    model = Tagger(len(words) + FIRST_WORD, glove, len(affix_list) + FIRST_AFFIX, len(classes), a)

    def evaluate(data):
        model.eval()
        upos = xpos = n = 0
        with torch.no_grad():
            for i in range(0, len(data), 64):
                W, G, A, S, Y, lens = batchify(data[i : i + 64])
                pred = model(W, G, A, S, lens).argmax(-1)
                for b, L in enumerate(lens.tolist()):
                    for p, g in zip(pred[b, :L].tolist(), Y[b, :L].tolist()):
                        upos += classes[p][0] == classes[g][0]
                        xpos += classes[p][1] == classes[g][1]
                        n += 1
        return 100 * upos / n, 100 * xpos / n

    if not a.export_only:
        tr, dv = [encode(s) for s in train], [encode(s) for s in dev]
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.Adam(params, lr=a.lr, betas=(0.9, 0.9))
        print(f"{sum(p.numel() for p in params)} parameters; {len(words)} words, "
              f"{len(affix_list)} affixes, {len(classes)} classes", flush=True)
        best = -1.0
        for epoch in range(a.epochs):
            model.train()
            # Batches of sentences of similar length, in random order.
            order = sorted(range(len(tr)), key=lambda i: len(tr[i][0]) + rng.random() * 4)
            batches = [order[i : i + a.batch] for i in range(0, len(order), a.batch)]
            rng.shuffle(batches)
            t0, total = time.time(), 0.0
            for bt in batches:
                W, G, A, S, Y, lens = batchify([tr[i] for i in bt], dropout=True)
                logits = model(W, G, A, S, lens)
                mask = torch.arange(W.shape[1])[None] < lens[:, None]
                loss = F.cross_entropy(logits[mask], Y[mask])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(params, 5.0)
                opt.step()
                total += loss.item()
            upos, xpos = evaluate(dv)
            note = ""
            if upos + xpos > best:
                best = upos + xpos
                torch.save(model.state_dict(), a.checkpoint)
                note = " (kept)"
            print(f"epoch {epoch + 1}: loss {total / len(batches):.3f}, dev UPOS {upos:.2f} XPOS {xpos:.2f}, "
                  f"{time.time() - t0:.0f} s{note}", flush=True)
    model.load_state_dict(torch.load(a.checkpoint))

    # Replace any earlier tagger in the file; keep the parser as it is.
    tensors = {k: v for k, v in tensors.items() if not k.startswith("tag.")}
    meta = {k: v for k, v in meta.items() if not k.startswith("tagger_")}
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items() if k != "gemb.weight"}
    for layer in range(a.layers):
        for sfx in ("", "_reverse"):
            k = f"l{layer}{sfx}"
            sd[f"lstm.bias_{k}"] = sd.pop(f"lstm.bias_ih_{k}") + sd.pop(f"lstm.bias_hh_{k}")
    for name, x in sd.items():
        dyad_model.quantise(tensors, "tag." + name, x)
    meta.update({
        "tagger_layers": str(a.layers),
        "tagger_hidden": str(a.hidden),
        "tagger_affixes": "\n".join(affix_list),
        "tagger_classes": "\n".join(f"{u}\t{x}" for u, x in classes),
    })
    dyad_model.write(out_path, KIND, tensors, meta)


if __name__ == "__main__":
    main()
