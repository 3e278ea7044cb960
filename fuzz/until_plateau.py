#!/usr/bin/env python3
"""Runs Gloss's fuzz targets one after another, each as one long libFuzzer run, and stops a target
once its edge coverage (`cov:`) has stopped growing: unchanged for QUIET minutes *and* for
MIN_EXECS inputs (a slow target needs the second condition), or when it reaches CAP minutes.

Usage (from the fuzz/ folder):
    ./until_plateau.py TARGET:CAP:QUIET:MIN_EXECS [...]
    ./until_plateau.py article_html:60:10:20000 import_brat:20:8:1000000

Each target uses corpus/TARGET (created if missing; seed it as README.md says), the dictionary
dict/*.dict that fits its format, writes crashing inputs to artifacts/TARGET/ and its log to
logs/TARGET.txt, and appends one line per target to logs/summary.txt: why it stopped, the
coverage when the corpus was loaded and at the end, inputs run, and any crash files.
Extra environment: FUZZ_TARGET_DIR (cargo --target-dir). All targets are built once, at the start, and
run as built: an edit to the code during a long run reaches none of its targets.
"""
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = {"article_html": "html", "article_read": "html", "article_markdown": "md", "import_jsonl": "json",
         "import_doccano": "json", "import_label_studio": "json", "import_brat": "brat", "import_conll": "conll"}
COV = re.compile(r"#(\d+)\s+(\w+)\s+cov: (\d+)")


def note(line):
    with open(os.path.join(HERE, "logs", "summary.txt"), "a") as f:
        f.write(time.strftime("%Y-%m-%d %H:%M ") + line + "\n")
    print(line, flush=True)


def binary(target):
    """Where `cargo fuzz build` puts a target's binary."""
    host = next(line.split()[1] for line in subprocess.run(["rustc", "-vV"], capture_output=True, text=True,
                                                          check=True).stdout.splitlines() if line.startswith("host:"))
    target_dir = os.environ.get("FUZZ_TARGET_DIR") or os.path.join(HERE, "target")
    return os.path.join(target_dir, host, "release", target)


def run(target, cap_min, quiet_min, min_execs):
    corpus, artifacts = (os.path.join(HERE, d, target) for d in ("corpus", "artifacts"))
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    log = os.path.join(HERE, "logs", f"{target}.txt")
    # The binary main() built, run directly: `cargo fuzz run` would rebuild it from whatever the
    # source is by then, so an edit made during a long run could change or break the next target.
    args = [binary(target), corpus, f"-max_total_time={int(cap_min * 60) + 600}", "-timeout=10",
            "-rss_limit_mb=2048", "-max_len=8192", "-print_final_stats=1", f"-artifact_prefix={artifacts}/"]
    if target in DICTS:
        args.append(f"-dict={os.path.join(HERE, 'dict', DICTS[target] + '.dict')}")
    start = time.time()
    with open(log, "w") as out:
        child = subprocess.Popen(args, cwd=HERE, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    inited = cov = None
    changed_at, changed_execs, execs, reason = start, 0, 0, None
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
        if inited is not None and now - changed_at >= quiet_min * 60 and execs - changed_execs >= min_execs:
            reason = f"plateau: cov {cov} unchanged for {(now - changed_at) / 60:.0f} min and {execs - changed_execs} inputs"
        elif now - start >= cap_min * 60:
            reason = (f"cap of {cap_min:g} min: cov {cov}, last growth {(now - changed_at) / 60:.0f} min and "
                      f"{execs - changed_execs} inputs ago")
        if reason:
            os.killpg(child.pid, signal.SIGINT)
            try:
                child.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
            break
    crashes = sorted(os.listdir(artifacts))
    note(f"{target}: {reason or f'stopped by itself (exit {child.returncode}): see {log}'}; cov at load {inited}, "
         f"{execs} inputs in {(time.time() - start) / 60:.0f} min, corpus {len(os.listdir(corpus))} files, "
         f"crashes {crashes or 'none'}")


def main():
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    plans = []
    for spec in sys.argv[1:]:
        try:
            target, cap, quiet, min_execs = spec.split(":")
            plans.append((target, float(cap), float(quiet), int(min_execs)))
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
