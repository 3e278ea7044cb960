#!/bin/sh
# Shrinks each named target's corpus (corpus/TARGET) to the smallest set of inputs with the same
# coverage (libFuzzer's -merge=1), in place; with no names, every folder under corpus/.
# Run from fuzz/ after `cargo fuzz build --sanitizer none --debug-assertions` (or until_plateau.py,
# which builds), and never while a fuzzer is running on the same corpus.
# Then `tar -cJf corpus.tar.xz -C corpus .` packs them for the next campaign.
set -eu
cd "$(dirname "$0")"
host=$(rustc -vV | sed -n 's/^host: //p')
bin=${FUZZ_TARGET_DIR:-target}/$host/release
[ $# -gt 0 ] || set -- $(ls corpus)
for target in "$@"; do
    [ -d "corpus/$target" ] || { echo "no corpus/$target" >&2; exit 2; }
    [ -x "$bin/$target" ] || { echo "no $bin/$target: build the targets first" >&2; exit 2; }
    rm -rf "corpus/$target.merged"
    mkdir "corpus/$target.merged"
    before=$(ls "corpus/$target" | wc -l)
    "$bin/$target" -merge=1 -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        "corpus/$target.merged" "corpus/$target" >"logs/merge-$target.txt" 2>&1
    rm -rf "corpus/$target"
    mv "corpus/$target.merged" "corpus/$target"
    echo "$target: $before inputs -> $(ls "corpus/$target" | wc -l)"
done
