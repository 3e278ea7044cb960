#!/usr/bin/env python3
"""Runs Gloss's fuzz targets one after another, each as one long libFuzzer run, and stops a target
once its edge coverage has stopped growing: unchanged for QUIET minutes *and* for MIN_EXECS inputs
(a slow target needs the second condition), or when it reaches CAP minutes.

Usage (from the fuzz/ folder):
    ./until_plateau.py [--own] TARGET:CAP:QUIET:MIN_EXECS [...]
    ./until_plateau.py article_html:60:10:20000 import_brat:20:8:1000000

The coverage watched is libFuzzer's `cov:` (every instrumented edge, dependencies' too), or with
--own the edges in Gloss's own source only: every CHECK minutes (env OWN_CHECK_MIN, default 4) the
corpus as it stands is replayed through own_coverage.py, and a growth counts from the replay that
first saw it (so the quiet time measured is, if anything, shorter than the real one).

Each target uses corpus/TARGET (created if missing; seed it as README.md says), the dictionary
dict/*.dict that fits its format, writes crashing inputs to artifacts/TARGET/ and its log to
logs/TARGET.txt, and appends one line per target to logs/summary.txt: why it stopped, the
coverage when the corpus was loaded and at the end, inputs run, and any crash files.
Extra environment: FUZZ_TARGET_DIR (cargo --target-dir). All targets are built once, at the start, and
run as built: an edit to the code during a long run reaches none of its targets.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import own_coverage

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = {"article_html": "html", "article_read": "html", "article_markdown": "md", "import_jsonl": "json",
         "import_doccano": "json", "import_label_studio": "json", "import_brat": "brat", "import_conll": "conll"}
COV = re.compile(r"#(\d+)\s+(\w+)\s+cov: (\d+)")


def note(line):
    with open(os.path.join(HERE, "logs", "summary.txt"), "a") as f:
        f.write(time.strftime("%Y-%m-%d %H:%M ") + line + "\n")
    print(line, flush=True)


def own_edges(target, corpus):
    """Gloss's own covered edges for the corpus as it is now: replayed from hard links, since the
    running fuzzer adds and removes files under it."""
    snapshot = tempfile.mkdtemp(prefix=f"gloss-{target}-")
    try:
        for name in os.listdir(corpus):
            try:
                os.link(os.path.join(corpus, name), os.path.join(snapshot, name))
            except FileNotFoundError:
                pass  # reduced away by the fuzzer meanwhile
        _, _, parts, _ = own_coverage.measure(target, snapshot)
        return parts.get("gloss", [0, 0])[0]
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)


def run(target, cap_min, quiet_min, min_execs, own):
    corpus, artifacts = (os.path.join(HERE, d, target) for d in ("corpus", "artifacts"))
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    log = os.path.join(HERE, "logs", f"{target}.txt")
    # The binary main() built, run directly: `cargo fuzz run` would rebuild it from whatever the
    # source is by then, so an edit made during a long run could change or break the next target.
    args = [own_coverage.binary(target), corpus, f"-max_total_time={int(cap_min * 60) + 600}", "-timeout=10",
            "-rss_limit_mb=2048", "-max_len=8192", "-print_final_stats=1", f"-artifact_prefix={artifacts}/"]
    if target in DICTS:
        args.append(f"-dict={os.path.join(HERE, 'dict', DICTS[target] + '.dict')}")
    # Gloss's own edges at load are the corpus's before the run, measured before its clock starts.
    own_at_load = own_now = own_edges(target, corpus) if own else None
    start = time.time()
    with open(log, "w") as out:
        child = subprocess.Popen(args, cwd=HERE, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    inited = cov = None
    changed_at, changed_execs, execs, reason = start, 0, 0, None
    own_changed_at, own_changed_execs, own_checked = start, 0, start
    check_min = float(os.environ.get("OWN_CHECK_MIN", "4"))
    while child.poll() is None:
        time.sleep(30)
        with open(log, errors="replace") as f:
            for line in f:
                m = COV.match(line)
                if not m:
                    continue
                n, kind, c = int(m.group(1)), m.group(2), int(m.group(3))
                execs = max(execs, n)
                if kind == "INITED" and inited is None:
                    inited = cov = c
                    changed_at, changed_execs = time.time(), n
                elif inited is not None and c > cov:
                    cov, changed_at, changed_execs = c, time.time(), n
        now = time.time()

        def quiet(since, since_execs):
            return now - since >= quiet_min * 60 and execs - since_execs >= min_execs

        # A plateau is declared only on a replay of the corpus as it is at that moment: an edge
        # found since the last check would otherwise be missed.
        if own and (now - own_checked >= check_min * 60 or (quiet(own_changed_at, own_changed_execs) and now - own_checked > 45)):
            try:
                edges = own_edges(target, corpus)
            except SystemExit:
                os.killpg(child.pid, signal.SIGKILL)  # the replay failed: stop this fuzzer with the queue
                raise
            own_checked = now
            if edges > own_now:
                own_now, own_changed_at, own_changed_execs = edges, now, execs
            now = time.time()
        if own:
            what, quiet_since, quiet_execs = f"Gloss's own edges {own_now}", own_changed_at, own_changed_execs
        else:
            what, quiet_since, quiet_execs = f"cov {cov}", changed_at, changed_execs
        if inited is not None and quiet(quiet_since, quiet_execs):
            reason = (f"plateau: {what} unchanged for {(now - quiet_since) / 60:.0f} min and {execs - quiet_execs} "
                      "inputs")
        elif now - start >= cap_min * 60:
            reason = (f"cap of {cap_min:g} min: {what}, last growth {(now - quiet_since) / 60:.0f} min and "
                      f"{execs - quiet_execs} inputs ago")
        if reason:
            os.killpg(child.pid, signal.SIGINT)
            try:
                child.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
            break
    crashes = sorted(os.listdir(artifacts))
    own_part = f"Gloss's own edges {own_at_load} → {own_edges(target, corpus)}, " if own else ""
    note(f"{target}: {reason or f'stopped by itself (exit {child.returncode}): see {log}'}; cov {inited} → {cov}, "
         f"{own_part}{execs} inputs in {(time.time() - start) / 60:.0f} min, corpus {len(os.listdir(corpus))} files, "
         f"crashes {crashes or 'none'}")


def main():
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    own = "--own" in sys.argv[1:]
    specs = [a for a in sys.argv[1:] if a != "--own"]
    if not specs:
        sys.exit(__doc__)
    plans = []
    for spec in specs:
        try:
            target, cap, quiet, min_execs = spec.split(":")
            plans.append((target, float(cap), float(quiet), int(min_execs), own))
        except ValueError:
            sys.exit(f"not TARGET:CAP:QUIET:MIN_EXECS: {spec}")
    build = ["cargo", "fuzz", "build", "--sanitizer", "none", "--debug-assertions"]
    if os.environ.get("FUZZ_TARGET_DIR"):
        build[3:3] = ["--target-dir", os.environ["FUZZ_TARGET_DIR"]]
    subprocess.run(build, cwd=HERE, check=True)  # once, before the clocks start
    for plan in plans:
        run(*plan)


if __name__ == "__main__":
    main()
