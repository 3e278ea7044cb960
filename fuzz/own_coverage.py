#!/usr/bin/env python3
"""Counts how much of Gloss's own code a fuzz corpus reaches, apart from its dependencies.

libFuzzer's `cov:` counts every instrumented edge in the program: html5ever's, encoding_rs's and
std's as well as Gloss's, so a target whose dependencies have a large state space (the HTML
readers) keeps finding "new coverage" long after Gloss's own code has stopped growing. This
replays a corpus once (`-runs=0 -print_coverage=1`; the targets' stand-in symbolizer,
fuzz_targets/coverage_symbols.rs, reports bare addresses), symbolizes each function from the
binary's debug information with llvm-symbolizer, and sums the covered edges by where the function's
source is: Gloss (src/), the fuzz checks (fuzz/, tests/), dependencies, the standard library.

Usage (from the fuzz/ folder, after `cargo fuzz build --sanitizer none --debug-assertions`):
    ./own_coverage.py TARGET [CORPUS_DIR] [--files]

CORPUS_DIR defaults to corpus/TARGET; --files also lists Gloss's files, covered/all edges each.
Extra environment: FUZZ_TARGET_DIR (where the targets were built), LLVM_SYMBOLIZER.
"""
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FUNC = re.compile(r"^(UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (0x[0-9a-f]+) ")
TABLE = re.compile(r"Loaded 1 PC tables \(\d+ PCs\): \d+ \[(0x[0-9a-f]+),")
TOTAL = re.compile(r"#\d+\s+(?:INITED|DONE)\s+cov: (\d+)")


def binary(target):
    host = next(line.split()[1] for line in subprocess.run(["rustc", "-vV"], capture_output=True, text=True,
                                                          check=True).stdout.splitlines() if line.startswith("host:"))
    target_dir = os.environ.get("FUZZ_TARGET_DIR") or os.path.join(HERE, "target")
    return os.path.join(target_dir, host, "release", target)


def section_address(path, name):
    out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 3 and fields[1] == name:
            return int(fields[3], 16)
    sys.exit(f"{path} has no {name} section: not a fuzz target built by cargo fuzz?")


def where(path):
    """Which part of the program a source path belongs to."""
    path = os.path.normpath(path)
    if path.startswith(os.path.join(REPO, "src") + os.sep):
        return "gloss"
    if path.startswith(HERE + os.sep) or path.startswith(os.path.join(REPO, "tests") + os.sep):
        return "fuzz checks"
    if path.startswith(("/rustc/", "/rust/deps/")) or "/library/" in path and "/rustlib/" in path:
        return "std"
    if "/.cargo/" in path:
        return "dependencies"
    return "other"


def measure(target, corpus):
    """Replays `corpus` through `target` once; returns (inputs, libFuzzer cov, {part: [covered, edges]},
    {Gloss file: [covered, edges]}), parts as `where` names them."""
    exe = binary(target)
    run = subprocess.run([exe, "-runs=0", "-print_coverage=1", "-max_len=8192", "-timeout=10", "-rss_limit_mb=2048",
                          corpus], capture_output=True, text=True, errors="replace")
    log = run.stdout + run.stderr
    table = TABLE.search(log)
    if not table:
        sys.exit(f"{exe} printed no PC table:\n{log[-2000:]}")
    base = int(table.group(1), 16) - section_address(exe, "__sancov_pcs")
    funcs = []  # (address in the file, covered edges, edges)
    for line in log.splitlines():
        m = FUNC.match(line)
        if m:
            funcs.append((int(m.group(4), 16) - base, int(m.group(2)), int(m.group(3))))
    if not funcs:
        sys.exit(f"no coverage report: was {target} built with fuzz_targets/coverage_symbols.rs?\n{log[-2000:]}")
    symbolizer = os.environ.get("LLVM_SYMBOLIZER", "llvm-symbolizer")
    query = "".join(f"{addr:#x}\n" for addr, _, _ in funcs)
    out = subprocess.run([symbolizer, f"--obj={exe}", "--inlines"], input=query, capture_output=True, text=True,
                         check=True).stdout
    # One block per address, blank-line separated: function name and file:line:column per inlined
    # frame, innermost first; the last frame is the function the edges physically belong to.
    blocks = [b.splitlines() for b in out.strip("\n").split("\n\n")]
    if len(blocks) != len(funcs):
        sys.exit(f"{symbolizer} answered {len(blocks)} addresses of {len(funcs)}")
    parts = collections.defaultdict(lambda: [0, 0])
    gloss_files = collections.defaultdict(lambda: [0, 0])
    for (_, covered, edges), block in zip(funcs, blocks):
        path = block[-1].rsplit(":", 2)[0] if len(block) >= 2 else "??"
        part = where(path)
        parts[part][0] += covered
        parts[part][1] += edges
        if part == "gloss":
            gloss_files[os.path.relpath(path, REPO)][0] += covered
            gloss_files[os.path.relpath(path, REPO)][1] += edges
    totals = TOTAL.findall(log)
    return len(os.listdir(corpus)), (int(totals[-1]) if totals else None), parts, gloss_files


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    target, files = args[0], "--files" in sys.argv
    corpus = args[1] if len(args) > 1 else os.path.join(HERE, "corpus", target)
    inputs, total, parts, gloss_files = measure(target, corpus)
    print(f"{target}: {inputs} inputs; libFuzzer cov {total if total is not None else '?'}, "
          f"covered edges summed here {sum(c for c, _ in parts.values())}")
    for part in ("gloss", "fuzz checks", "dependencies", "std", "other"):
        if part in parts:
            covered, edges = parts[part]
            print(f"  {part:13} {covered:6} of {edges:6} edges in the functions linked")
    if files:
        for path, (covered, edges) in sorted(gloss_files.items()):
            print(f"    {path:60} {covered:5} / {edges:5}")


if __name__ == "__main__":
    main()
