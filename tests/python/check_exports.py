#!/usr/bin/env python3
"""Reads Gloss exports with the real tools (issue 4) and checks every span lands on its characters.

Usage: check_exports.py DIR, where DIR holds c.jsonl, c.conll, hf/ and brat/ from `gloss export`.

- JSONL: every span's text equals Python's text[start:end]; spaCy's blank English tokenizer builds
  a span with doc.char_span(start, end, label) for every span it aligns, with the same text.
- CoNLL: a spaCy Doc per document from the tokens and BIO tags, saved in a DocBin and read back,
  with as many entities as B- tags.
- hf: datasets.load_dataset("json") loads every row; tokens and ner_tags have equal lengths and
  every tag is listed in labels.json. With document labels, `doc_labels` loads as one struct
  column of strings whose fields are the names in doc_labels.json, each value one of its values
  or "" (unset).
- JSONL document labels: `doc_labels`, when present, maps names to string values.
- brat: brat-peek's reader reads every T line; each entity's text equals the .txt slice (fragments
  joined by one space).

Exit 0 when all checks pass, 1 on a failed check, 77 when a package is missing and CI is not set
(with CI set, a missing package is a failure).
"""

import json
import os
import sys
from pathlib import Path


def missing(name, err):
    msg = f"python package for {name} is missing ({err}); pip install spacy datasets brat-peek"
    if os.environ.get("CI"):
        print(f"FAIL: {msg}", file=sys.stderr)
        sys.exit(1)
    print(f"SKIP: {msg}", file=sys.stderr)
    sys.exit(77)


try:
    import spacy
    from spacy.tokens import Doc, DocBin
except ImportError as e:
    missing("spaCy", e)
try:
    import datasets
except ImportError as e:
    missing("Hugging Face datasets", e)
try:
    # brat-peek's package __init__ pulls in plotting libraries (seaborn, matplotlib) that its
    # reader does not use: load the reader module, ann_structure.py, on its own.
    import importlib.util

    _peek = importlib.util.find_spec("peek")
    if _peek is None or not _peek.submodule_search_locations:
        raise ImportError("No module named 'peek' (brat-peek)")
    _spec = importlib.util.spec_from_file_location(
        "peek_ann_structure", Path(list(_peek.submodule_search_locations)[0]) / "ann_structure.py"
    )
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    AnnDocument = _module.AnnDocument
except (ImportError, FileNotFoundError) as e:
    missing("brat-peek", e)


def check_jsonl(path):
    nlp = spacy.blank("en")
    spans = aligned = labelled = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        if "doc_labels" in row:
            # Written only when some are set: a non-empty object of strings.
            doc_labels = row["doc_labels"]
            assert isinstance(doc_labels, dict) and doc_labels, (row["id"], doc_labels)
            assert all(isinstance(v, str) for v in doc_labels.values()), (row["id"], doc_labels)
            labelled += 1
        doc = nlp(text)
        for s in row["spans"]:
            spans += 1
            assert text[s["start"]:s["end"]] == s["text"], (row["id"], s)
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            if span is not None:
                aligned += 1
                assert span.text == s["text"], (row["id"], s, span.text)
                assert span.label_ == s["label"]
    print(f"jsonl: {spans} spans match text[start:end]; spaCy aligned {aligned} of them with char_span; "
          f"{labelled} documents carry doc_labels")
    return spans


def check_conll(path):
    nlp = spacy.blank("en")
    docbin = DocBin()
    b_tags = 0
    docs = 0
    for chunk in path.read_text(encoding="utf-8").split("-DOCSTART- -X- -X- O\n"):
        words, tags = [], []
        for line in chunk.splitlines():
            if not line.strip():
                continue
            cols = line.split(" ")
            assert len(cols) == 2 and cols[0], line
            words.append(cols[0])
            tags.append(cols[1])
        if not words:
            continue
        b_tags += sum(t.startswith("B-") for t in tags)
        docbin.add(Doc(nlp.vocab, words=words, ents=tags))
        docs += 1
    back = list(DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab))
    ents = sum(len(d.ents) for d in back)
    assert ents == b_tags, (ents, b_tags)
    print(f"conll: DocBin of {docs} documents with {ents} entities (= B- tags)")


def check_hf(folder):
    data = folder / "data.jsonl"
    labels = set(json.loads((folder / "labels.json").read_text(encoding="utf-8")))
    rows = data.read_text(encoding="utf-8").count("\n")
    ds = datasets.load_dataset("json", data_files=str(data), split="train")
    assert len(ds) == rows, (len(ds), rows)
    for row in ds:
        assert len(row["tokens"]) == len(row["ner_tags"]), row["id"]
        assert set(row["ner_tags"]) <= labels, (row["id"], set(row["ner_tags"]) - labels)
    note = ""
    names_file = folder / "doc_labels.json"
    if names_file.exists():
        names = json.loads(names_file.read_text(encoding="utf-8"))
        feature = ds.features["doc_labels"]
        # One struct column with a string field per doc label, whatever rows leave unset.
        assert isinstance(feature, dict) and list(feature) == list(names), (feature, names)
        assert all(f.dtype == "string" for f in feature.values()), feature
        set_values = 0
        for row in ds:
            assert list(row["doc_labels"]) == list(names), (row["id"], row["doc_labels"])
            for name, value in row["doc_labels"].items():
                assert value == "" or value in names[name], (row["id"], name, value)
                set_values += value != ""
        assert set_values > 0, "no row has a doc label set"
        note = f"; doc_labels is one struct column of {len(names)} fields ({set_values} values set)"
    print(f"hf: datasets loaded {len(ds)} rows; tokens and tags line up; tags in labels.json{note}")


def check_brat(folder):
    entities = 0
    for ann in sorted(folder.glob("*.ann")):
        # newline="" keeps line breaks as they are: brat offsets count them.
        text = ann.with_suffix(".txt").open(encoding="utf-8", newline="").read()
        t_lines = sum(1 for l in ann.read_text(encoding="utf-8").splitlines() if l.startswith("T"))
        doc = AnnDocument(str(ann))
        assert len(doc.anns["entities"]) == t_lines, (ann, len(doc.anns["entities"]), t_lines)
        for ent in doc.anns["entities"]:
            want = " ".join(text[s:e] for s, e in ent.span)
            assert ent.text == want, (ann.name, ent.name, ent.text, want)
            entities += 1
    print(f"brat: brat-peek read {entities} entities; each text equals its .txt slice")


def main():
    root = Path(sys.argv[1])
    check_jsonl(root / "c.jsonl")
    check_conll(root / "c.conll")
    check_hf(root / "hf")
    check_brat(root / "brat")
    print("all real-reader checks passed")


if __name__ == "__main__":
    main()
