#!/usr/bin/env bash
# Installs what is missing, builds MultiPMS and opens it.
# Data goes to the OS app-data folder, or to $MULTIPMS_DATA_DIR when set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release --bin multipms
