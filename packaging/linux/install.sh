#!/bin/sh
# Install the one-file build for the current user: the program, its menu entry, icon,
# AppStream metainfo and the *.stancemark file association. Run from the checkout:
#   sh packaging/linux/install.sh [dist/stancemark]
# Undo with: sh packaging/linux/install.sh --uninstall
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ID=io.stancemark.Stancemark
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
if [ "$1" = "--uninstall" ]; then
  rm -f "$BIN/stancemark" "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml" \
        "$DATA/mime/packages/$ID.xml"
  for s in 16 24 32 48 64 128 256 512; do rm -f "$DATA/icons/hicolor/${s}x${s}/apps/$ID.png"; done
  rm -f "$DATA/icons/hicolor/scalable/apps/$ID.svg"
else
  EXE=${1:-$ROOT/dist/stancemark}
  [ -f "$EXE" ] || { echo "No executable at $EXE; run: make build" >&2; exit 1; }
  install -Dm755 "$EXE" "$BIN/stancemark"
  install -Dm644 "$HERE/$ID.desktop" "$DATA/applications/$ID.desktop"
  install -Dm644 "$HERE/$ID.metainfo.xml" "$DATA/metainfo/$ID.metainfo.xml"
  install -Dm644 "$HERE/$ID.mime.xml" "$DATA/mime/packages/$ID.xml"
  for s in 16 24 32 48 64 128 256 512; do
    install -Dm644 "$ROOT/resources/icons/stancemark-$s.png" "$DATA/icons/hicolor/${s}x${s}/apps/$ID.png"
  done
  install -Dm644 "$ROOT/resources/icons/stancemark.svg" "$DATA/icons/hicolor/scalable/apps/$ID.svg"
fi
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$DATA/icons/hicolor" || true
echo "done"
