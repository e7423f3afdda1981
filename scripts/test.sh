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

# Disk is what a fresh CI machine runs short of first; say what the build took.
echo "== disk: $(du -sh "${CARGO_TARGET_DIR:-target}" | cut -f1) in the target folder; $(df -h --output=avail . | tail -1 | tr -d ' ') left"

echo "== schemathesis against the live server's /openapi.json"
# The server binary the tests above built (same features, nothing compiled
# again); `cargo test --no-run` only names it.
MULTIPMS_SERVER_BIN=$(cargo test --workspace --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    t = m.get("target", {})
    if (m.get("reason") == "compiler-artifact" and t.get("name") == "multipms-server"
            and "bin" in t.get("kind", []) and not m["profile"]["test"]):
        print(m["executable"])
')
export MULTIPMS_SERVER_BIN
scripts/server-schemathesis.sh
