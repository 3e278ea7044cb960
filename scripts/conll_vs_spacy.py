#!/usr/bin/env python3
"""CoNLL export speed, Gloss against the equivalent few lines of Python with spaCy (issue 4).

Makes a synthetic corpus (default 10,000 articles of ~10 KB with 50 non-overlapping word spans;
`--docs N` for another size), imports it into a Gloss project once, then times, side by side:

- Gloss: `gloss export corpus.gloss.ron --format conll --scheme bilou` (loading the project included);
- Python: read the same corpus as JSONL, `spacy.blank("en")` tokenisation (`nlp.make_doc`) and
  `spacy.training.offsets_to_biluo_tags`, writing token/tag lines (import of spaCy not counted).

The two run in turns, `--repeat` times (default 3): Gloss, then Python, then Gloss again...,
so that both see the same load on a shared machine; each turn gives a ratio, and the median
ratio is printed (target: Gloss at least 20x faster), with the median times of each side, and
both sides' CPU time (Gloss: user + system over all its threads; Python: its process time), whose
ratio says how much less work Gloss does, whatever the load of the machine. Also printed, for information: the time of
`gloss stats corpus.gloss.ron` (start, read, parse and validate the project, count), which is
about what the project load costs.
Usage: scripts/conll_vs_spacy.py [--docs N] [--repeat N] [--gloss PATH-TO-RELEASE-BINARY]
"""

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["the", "governor", "said", "harbour", "strike", "would", "close", "every", "dock", "by", "Friday",
         "Müller", "Gdańsk", "union", "talks", "collapsed", "on", "Tuesday", "night", "theatre", "port",
         "کراچی", "नमस्ते", "ships", "rerouted", "14", "vessels", "authority", "claims", "cost"]
LABELS = ["claim", "threat", "speaker", "location"]


def corpus(docs, seed=7):
    rng = random.Random(seed)
    for d in range(docs):
        parts, starts, pos = [], [], 0
        while pos < 10_000:
            w = rng.choice(WORDS)
            starts.append((pos, pos + len(w)))
            parts.append(w)
            sep = ". " if rng.random() < 0.08 else ("\n\n" if rng.random() < 0.02 else " ")
            parts.append(sep)
            pos += len(w) + len(sep)
        text = "".join(parts)
        # 50 non-overlapping spans of 1-3 words: offsets_to_biluo_tags refuses overlaps.
        picks = sorted(rng.sample(range(0, len(starts) - 3, 4), 50))
        spans = [{"start": starts[i][0], "end": starts[i + rng.randrange(3)][1], "label": rng.choice(LABELS)} for i in picks]
        for s in spans:
            s["text"] = text[s["start"]:s["end"]]
        yield {"id": f"d{d:05}", "title": f"Article {d}", "text": text, "spans": spans}


def python_conll(jsonl, out):
    import spacy
    from spacy.training import offsets_to_biluo_tags

    nlp = spacy.blank("en")
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(jsonl, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            row = json.loads(line)
            doc = nlp.make_doc(row["text"])
            tags = offsets_to_biluo_tags(doc, [(s["start"], s["end"], s["label"]) for s in row["spans"]])
            w.write("-DOCSTART- -X- -X- O\n\n")
            for tok, tag in zip(doc, tags):
                if not tok.is_space:
                    w.write(f"{tok.text} {tag}\n")
            w.write("\n")
    return time.perf_counter() - start, time.process_time() - cpu_start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gloss", default=str(Path(__file__).resolve().parent.parent / "target/release/gloss"))
    args = ap.parse_args()
    gloss = args.gloss
    if not Path(gloss).exists():
        sys.exit(f"{gloss} not found: build it with `cargo build --release --no-default-features`, or pass --gloss")
    tmp = Path(tempfile.mkdtemp(prefix="gloss-conll-bench-"))
    try:
        jsonl = tmp / "corpus.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for row in corpus(args.docs):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        size = jsonl.stat().st_size
        subprocess.run([gloss, "import", "--into", str(tmp / "corpus.gloss.ron"), str(jsonl)], check=True,
                       stdout=subprocess.DEVNULL)
        project = str(tmp / "corpus.gloss.ron")

        export_cmd = [gloss, "export", project, "--format", "conll", "--scheme", "bilou",
                      "--out", str(tmp / "gloss.conll"), "--force"]

        def run_gloss(cmd):
            """Wall time and CPU time (user + system, every thread) of one run of `cmd`."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        run_gloss(export_cmd)  # Warm the page cache for both sides alike.
        gloss_runs, gloss_cpu, python_runs, python_cpu, ratios = [], [], [], [], []
        for _ in range(max(1, args.repeat)):
            wall, cpu = run_gloss(export_cmd)
            python_s, python_cpu_s = python_conll(jsonl, tmp / "spacy.conll")
            gloss_runs.append(wall)
            gloss_cpu.append(cpu)
            python_runs.append(python_s)
            python_cpu.append(python_cpu_s)
            ratios.append(python_s / wall)
        load_s = statistics.median(run_gloss([gloss, "stats", project])[0] for _ in range(max(1, args.repeat)))
        gloss_s = statistics.median(gloss_runs)
        python_s = statistics.median(python_runs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB of JSONL, "
              f"{Path(project).stat().st_size / 1e6:.1f} MB of project")
        print(f"gloss export --format conll: {gloss_s:.2f} s (the whole command, project load included; "
              f"CPU {statistics.median(gloss_cpu):.2f} s; median of {len(gloss_runs)})")
        print(f"python spaCy make_doc + offsets_to_biluo_tags: {python_s:.2f} s (median of {len(python_runs)})")
        print(f"gloss stats (about the project load alone): {load_s:.2f} s")
        print(f"ratio per turn: {', '.join(f'{r:.1f}x' for r in ratios)}")
        print(f"CPU time: Gloss {statistics.median(gloss_cpu):.2f} s over all its threads, Python "
              f"{statistics.median(python_cpu):.2f} s: "
              f"{statistics.median(python_cpu) / statistics.median(gloss_cpu):.1f}x less CPU work")
        print(f"ratio: Gloss is {statistics.median(ratios):.1f}x faster (median of the turns; target >= 20x)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
