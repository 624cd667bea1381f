#!/usr/bin/env bash
# Does this Linux machine have the system libraries Qt's X11 window plugin needs? The Qt libraries
# PySide6 installed are asked directly (ldd), so the answer follows the installed PySide6, not a list.
#   bash scripts/qt-runtime.sh check     # exit 0 when nothing is missing, else prints the apt-get line
#   bash scripts/qt-runtime.sh install   # installs what is missing when root or sudo can; else the line
# PYTHON=... names the interpreter whose PySide6 to check (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-check}"

python="${PYTHON:-.venv/bin/python}"
qt_dir=$("$python" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))' \
         2>/dev/null || true)
[ -d "$qt_dir" ] || { echo "qt-runtime: no PySide6 for $python (run scripts/setup.sh first)" >&2; exit 2; }

# Debian names a library's package after its soname: libxcb-cursor.so.0 -> libxcb-cursor0,
# libdbus-1.so.3 -> libdbus-1-3 (a dash when the name ends in a digit). The exceptions:
package_of() {
  case "$1" in
    libglib-2.0.so.0|libgthread-2.0.so.0) echo libglib2.0-0 ;;
    libGLX.so.0|libGLdispatch.so.0) echo libgl1 ;;
    libstdc++.so.6) echo libstdc++6 ;;
    *) local name="${1%%.so.*}" number="${1##*.so.}"
       name=$(echo "$name" | tr '[:upper:]' '[:lower:]')
       case "$name" in *[0-9]) echo "$name-$number" ;; *) echo "$name$number" ;; esac ;;
  esac
}

missing=$(ldd "$qt_dir"/plugins/platforms/libqxcb.so "$qt_dir"/lib/libQt6XcbQpa.so.6 \
              "$qt_dir"/lib/libQt6Gui.so.6 "$qt_dir"/lib/libQt6Widgets.so.6 "$qt_dir"/lib/libQt6DBus.so.6 \
          2>/dev/null | awk '/not found/ {print $1}' | sort -u)
packages=""
for soname in $missing; do packages="$packages $(package_of "$soname")"; done
# Without any font Qt draws no text at all.
ls /usr/share/fonts/*/* >/dev/null 2>&1 || packages="$packages fonts-dejavu-core"
packages=$(echo $packages | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ -z "$packages" ] && exit 0

line="apt-get install -y --no-install-recommends $packages"
if [ "$mode" = install ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    # sudo may ask for a password: only when someone is at the terminal to type it.
    if command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then sudo="sudo"; fi
  fi
  if [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; then
    echo "Texture Vault: installing the libraries Qt needs to open a window: $packages"
    $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1 \
      || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null; } \
      && exit 0
  fi
fi
echo "Texture Vault needs system libraries to open a window; install them with:" >&2
echo "  sudo $line" >&2
exit 1
