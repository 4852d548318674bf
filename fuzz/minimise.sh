#!/bin/sh
# Minimises a target's corpus (what fuzz/run.sh grew, plus the seeds) into
# fuzz/corpus/<target>/ with libFuzzer's merge, the step `cargo fuzz cmin`
# runs, taking the seeds in too. Run from the repository root after a build.
set -eu
target=$1
bin=fuzz/target/x86_64-unknown-linux-gnu/release/$target
rm -rf "fuzz/corpus.min/$target"
mkdir -p "fuzz/corpus.min/$target"
nice -n 10 "$bin" -merge=1 -max_len=4096 -timeout=10 \
    "fuzz/corpus.min/$target" "fuzz/corpus/$target" "fuzz/seeds/$target"
rm -rf "fuzz/corpus/$target"
mv "fuzz/corpus.min/$target" "fuzz/corpus/$target"
rmdir fuzz/corpus.min 2>/dev/null || true
