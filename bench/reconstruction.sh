#!/usr/bin/env bash
# Reconstruction accuracy by simulation, by input tier (issue #4): writes
# bench/reconstruction.md. See tests/reconstruction_accuracy.rs for the design.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test integration reconstruction_accuracy -- --ignored --nocapture
cat bench/reconstruction.md
