#!/usr/bin/env bash
# Runs every check and test of MultiPMS: formatting, lints, the Rust tests of
# every crate (the server's against a real PostgreSQL), and the end-to-end
# tests of the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== PostgreSQL for the server's tests"
# $DATABASE_URL when set, else a server on 127.0.0.1:5432, else a throwaway
# cluster in a temporary folder (installing PostgreSQL when missing).
pg_env=$(scripts/postgres.sh) && eval "$pg_env"
trap 'scripts/postgres.sh stop' EXIT

echo "== cargo test (domain, store, server on PostgreSQL, app commands, end-to-end)"
cargo test --workspace

echo "== schemathesis against the live server's /openapi.json"
scripts/server-schemathesis.sh
