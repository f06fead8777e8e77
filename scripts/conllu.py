"""Reading CoNLL-U treebanks (shared by the training scripts)."""


def read_conllu(path):
    """Sentences as lists of (form, upos, xpos, head, deprel) for the syntactic
    words (multiword-token lines and empty nodes are skipped)."""
    sents, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                sents.append(cur)
            cur = []
            continue
        if line.startswith("#"):
            continue
        c = line.split("\t")
        if "-" in c[0] or "." in c[0]:
            continue
        cur.append((c[1], c[3], c[4], int(c[6]), c[7]))
    if cur:
        sents.append(cur)
    return sents
