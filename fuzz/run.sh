#!/bin/sh
# Fuzzes one target for 10⁷ executions with one worker, from the committed
# corpus plus the seeds (python3 fuzz/seed.py), and prints libFuzzer's final
# statistics. Run from the repository root:
#   fuzz/run.sh ingest_validate|project_toml|table_readers [RUNS]
set -eu
target=$1
runs=${2:-10000000}
mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
cd fuzz
exec nice -n 10 cargo +nightly fuzz run -s none "$target" \
    "corpus/$target" "seeds/$target" -- \
    -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 ${FUZZ_EXTRA:-}
