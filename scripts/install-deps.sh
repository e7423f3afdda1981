#!/usr/bin/env bash
# Installs what building (and, with --test, testing) MultiPMS needs on
# Debian/Ubuntu, and only what is missing. Uses apt-get as root, sudo when it
# is there, and otherwise prints the line to run.
set -euo pipefail

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

build_packages=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
  libdbus-1-dev
)
test_packages=(
  xvfb xauth webkit2gtk-driver x11-utils imagemagick poppler-utils zbar-tools qpdf
)

packages=("${build_packages[@]}")
$want_tests && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "MultiPMS needs these packages, and this is not a Debian/Ubuntu system: ${missing[*]}" >&2
    echo "See README.md for macOS and Windows." >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "Missing system packages. Run this as root, then try again:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "Installing the Rust toolchain with rustup (https://rustup.rs)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

if $want_tests; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
    echo "Installing tauri-driver (the WebDriver bridge for the end-to-end tests)"
    cargo install --locked tauri-driver@2.1.0
  fi
fi
