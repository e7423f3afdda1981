#!/usr/bin/env bash
# Runs every check and test of MultiPMS: formatting, lints, the Rust tests of
# every crate, and the end-to-end tests of the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test (unit, store, end-to-end)"
cargo test --workspace
