#!/usr/bin/env bash
# Makes every bundle icon from source.svg. Needs ImageMagick (with librsvg) and
# icnsutils: apt-get install imagemagick icnsutils. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
render() { convert -background none -density 384 source.svg -resize "$1x$1" "PNG32:$2"; }
render 1024 icon.png
render 32 32x32.png
render 64 64x64.png
render 128 128x128.png
render 256 128x128@2x.png
for s in 30 44 71 89 107 142 150 284 310; do render "$s" "Square${s}x${s}Logo.png"; done
render 50 StoreLogo.png
tmp=$(mktemp -d)
for s in 16 24 32 48 64 256; do render "$s" "$tmp/ico-$s.png"; done
convert "$tmp"/ico-16.png "$tmp"/ico-24.png "$tmp"/ico-32.png "$tmp"/ico-48.png "$tmp"/ico-64.png "$tmp"/ico-256.png icon.ico
for s in 16 32 48 128 256 512; do render "$s" "$tmp/icns-$s.png"; done
png2icns icon.icns "$tmp"/icns-16.png "$tmp"/icns-32.png "$tmp"/icns-48.png "$tmp"/icns-128.png "$tmp"/icns-256.png "$tmp"/icns-512.png >/dev/null
rm -rf "$tmp"
