#!/bin/sh
# The system packages Stancemark's window needs on Debian/Ubuntu: installed with apt
# when missing and we are root, otherwise the exact command to run is printed.
# With --test, also what the real-window test needs (a virtual X server, a window
# manager, a tool that sends real keys and clicks, a browser that renders the HTML report, and
# PostgreSQL, which .ci/run starts as a throw-away team hub for the team-sync tests).
#
# RUNTIME is every library Qt's xcb and wayland platform plugins load, read from the
# plugins themselves (python -m stancemark.qt_runtime prints it; a test keeps this
# list in step with the installed PySide6), plus a font.
set -e
RUNTIME="libdbus-1-3 libegl1 libfontconfig1 libfreetype6 libgl1 libglib2.0-0
 libwayland-client0 libwayland-cursor0 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0
 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb1
 libxkbcommon-x11-0 libxkbcommon0 zlib1g libzstd1 fonts-dejavu-core"
TEST="xvfb openbox xdotool chromium postgresql"
PKGS="$RUNTIME"
[ "${1:-}" = "--test" ] && PKGS="$RUNTIME $TEST"
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian/Ubuntu: nothing to check
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Stancemark needs these system packages:$missing" >&2
  echo "Install them with: sudo apt-get install$missing" >&2
  exit 1
fi
