#!/usr/bin/env python3
"""Checks `gloss agree --json` against an independent computation (issue 6).

Usage: check_agreement.py REPORT.json A.jsonl B.jsonl [C.jsonl ...]

The JSONL files are `gloss export --format jsonl` of the same projects, in the same order as given
to `gloss agree`. From them, independently of Gloss's Rust code, this script:

- pairs documents by identical text (ids may differ) and keeps those in every file;
- computes exact-match precision, recall and F1 in plain Python from the span sets
  {(start, end, label)}, micro over documents; with two annotators the first is the reference,
  with three or more the mean over pairs (i < j) of F1, and of precision and recall over both
  directions;
- tokenises each text into words with `re.finditer(r"\\w+")` (the test data are plain ASCII words,
  where this equals Unicode word segmentation), labels each token with the longest overlapping
  span (ties: earliest start, then label name), "O" for none;
- computes Cohen's kappa with sklearn.metrics.cohen_kappa_score (two annotators) and Fleiss' kappa
  with statsmodels.stats.inter_rater.fleiss_kappa (and a hand formula, which must agree);
- for each document-level label, over the shared documents where every file's `doc_labels` sets
  it: the count compared and left out, the count where all values are equal, Cohen's kappa with
  sklearn (two annotators; with more, the mean over pairs) and Fleiss' kappa with statsmodels.

Exit 0 when every figure agrees to 1e-9, 1 on a mismatch, 77 when a package is missing and CI is
not set (with CI set, a missing package is a failure).
"""

import json
import os
import re
import sys
from itertools import combinations


def missing(name, err):
    msg = f"python package {name} is missing ({err}); pip install scikit-learn statsmodels"
    if os.environ.get("CI"):
        print(f"FAIL: {msg}", file=sys.stderr)
        sys.exit(1)
    print(f"SKIP: {msg}", file=sys.stderr)
    sys.exit(77)


try:
    from sklearn.metrics import cohen_kappa_score
except ImportError as e:
    missing("scikit-learn", e)
try:
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
except ImportError as e:
    missing("statsmodels", e)

FAILURES = []


def check(name, expected, found):
    if expected is None or found is None:
        ok = expected is None and found is None
    else:
        ok = abs(expected - found) < 1e-9
    print(f"{'ok  ' if ok else 'FAIL'} {name}: independent {expected}, gloss {found}")
    if not ok:
        FAILURES.append(name)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shared(projects):
    by_text = [{} for _ in projects]
    for k, docs in enumerate(projects):
        for d in docs:
            by_text[k].setdefault(d["text"], d)
    texts = []
    for d in projects[0]:
        t = d["text"]
        if t not in texts and all(t in ix for ix in by_text):
            texts.append(t)
    return [[ix[t] for ix in by_text] for t in texts]


def ratio(n, d):
    return n / d if d else None


def exact_counts(rows, i, j):
    matched = ref = other = 0
    for row in rows:
        r = {(s["start"], s["end"], s["label"]) for s in row[i]["spans"]}
        o = {(s["start"], s["end"], s["label"]) for s in row[j]["spans"]}
        matched += len(r & o)
        ref += len(r)
        other += len(o)
    return matched, ref, other


def token_labels(doc):
    out = []
    for m in re.finditer(r"\w+", doc["text"]):
        start, end = m.start(), m.end()
        covering = [s for s in doc["spans"] if s["start"] < end and s["end"] > start]
        if not covering:
            out.append("O")
            continue
        covering.sort(key=lambda s: (-(s["end"] - s["start"]), s["start"], s["label"]))
        out.append(covering[0]["label"])
    return out


def fleiss_by_hand(seqs):
    n = len(seqs)
    items = len(seqs[0])
    cats = sorted({label for s in seqs for label in s})
    p_bar = 0.0
    totals = {c: 0 for c in cats}
    for t in range(items):
        counts = {c: 0 for c in cats}
        for s in seqs:
            counts[s[t]] += 1
            totals[s[t]] += 1
        p_bar += (sum(v * v for v in counts.values()) - n) / (n * (n - 1))
    p_bar /= items
    pe = sum((v / (items * n)) ** 2 for v in totals.values())
    return (p_bar - pe) / (1 - pe)


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    projects = [read(p) for p in sys.argv[2:]]
    n = len(projects)
    rows = shared(projects)
    check("shared_documents", len(rows), report["shared_documents"])

    pairs = list(combinations(range(n), 2))
    scores = []
    for i, j in pairs:
        m, r, o = exact_counts(rows, i, j)
        scores.append((ratio(m, o), ratio(m, r), ratio(2 * m, r + o)))
    if n == 2:
        precision, recall, f1 = scores[0]
    else:
        both = [x for p, r, _ in scores for x in (p, r) if x is not None]
        precision = recall = sum(both) / len(both)
        f1s = [f for _, _, f in scores if f is not None]
        f1 = sum(f1s) / len(f1s)
    check("exact.precision", precision, report["exact"]["precision"])
    check("exact.recall", recall, report["exact"]["recall"])
    check("exact.f1", f1, report["exact"]["f1"])

    labels = sorted({s["label"] for row in rows for d in row for s in d["spans"]})
    for label in labels:
        per = []
        for i, j in pairs:
            only = [[{**d, "spans": [s for s in d["spans"] if s["label"] == label]} for d in row] for row in rows]
            m, r, o = exact_counts(only, i, j)
            per.append(ratio(2 * m, r + o))
        per = [x for x in per if x is not None]
        expected = sum(per) / len(per) if per else None
        check(f"per_label.{label}.exact.f1", expected, report["per_label"][label]["exact"]["f1"])

    seqs = [[] for _ in range(n)]
    for row in rows:
        for k, d in enumerate(row):
            seqs[k].extend(token_labels(d))
    check("tokens", len(seqs[0]), report["tokens"])
    if n == 2:
        check("cohen_kappa (sklearn)", float(cohen_kappa_score(seqs[0], seqs[1])), report["cohen_kappa"])
    kappas = [float(cohen_kappa_score(seqs[i], seqs[j])) for i, j in pairs]
    check("cohen_kappa_pairwise_mean (sklearn)", sum(kappas) / len(kappas), report["cohen_kappa_pairwise_mean"])
    table, _ = aggregate_raters(list(zip(*seqs)))
    fleiss = float(fleiss_kappa(table, method="fleiss"))
    check("fleiss_kappa (statsmodels)", fleiss, report["fleiss_kappa"])
    check("fleiss_kappa (hand formula)", fleiss_by_hand(seqs), report["fleiss_kappa"])

    names = sorted({name for row in rows for d in row for name in d.get("doc_labels", {})})
    assert set(names) <= set(report["doc_labels"]), (names, list(report["doc_labels"]))
    for name in names:
        got = report["doc_labels"][name]
        values = [[d.get("doc_labels", {}).get(name) for d in row] for row in rows]
        compared = [v for v in values if all(x is not None for x in v)]
        check(f"doc_labels.{name}.compared", len(compared), got["compared"])
        check(f"doc_labels.{name}.left_out", len(values) - len(compared), got["left_out"])
        check(f"doc_labels.{name}.agreed", sum(len(set(v)) == 1 for v in compared), got["agreed"])
        dseqs = [[v[k] for v in compared] for k in range(n)]
        dkappas = [float(cohen_kappa_score(dseqs[i], dseqs[j])) for i, j in pairs]
        if n == 2:
            check(f"doc_labels.{name}.cohen_kappa (sklearn)", dkappas[0], got["cohen_kappa"])
        check(f"doc_labels.{name}.cohen_kappa_pairwise_mean (sklearn)", sum(dkappas) / len(dkappas),
              got["cohen_kappa_pairwise_mean"])
        table, _ = aggregate_raters(list(zip(*dseqs)))
        check(f"doc_labels.{name}.fleiss_kappa (statsmodels)", float(fleiss_kappa(table, method="fleiss")),
              got["fleiss_kappa"])

    if FAILURES:
        print(f"{len(FAILURES)} figure(s) differ: {', '.join(FAILURES)}")
        sys.exit(1)
    print(f"all agreement checks passed ({n} annotators, {len(rows)} documents, {len(seqs[0])} tokens)")


if __name__ == "__main__":
    main()
