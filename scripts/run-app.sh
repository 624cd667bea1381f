#!/usr/bin/env bash
# Set up (first time) and start Texture Vault on the default local vault. Extra args go to the app.
# On Linux it first makes sure Qt's X11 libraries are there (installs them as root or with sudo,
# else prints the one apt-get line to run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$(uname -s)" = Linux ] && [ "${QT_QPA_PLATFORM:-xcb}" = xcb ]; then
  bash scripts/qt-runtime.sh install
fi
exec .venv/bin/texture-vault "$@"
