#!/usr/bin/env bash
# Build the one-folder desktop bundle (installer.spec) and prove it works by running its self-check:
# a temporary local vault, a generated image imported, listed and thumbnailed, exit code 0.
#   scripts/build-installer.sh          # uses .venv/bin/python (PYTHON=... to choose another)
# Result: dist/texture-vault/ (start dist/texture-vault/texture-vault). Prints build time and size.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  bash scripts/setup.sh installer   # .venv with PyInstaller (first time only does real work)
  PYTHON=.venv/bin/python
fi

started=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer.spec
built=$(date +%s)

# Headless on purpose: the self-check needs no display, so it runs on CI and over ssh.
QT_QPA_PLATFORM=offscreen dist/texture-vault/texture-vault --selfcheck
echo "bundle built in $((built - started)) s: dist/texture-vault, $(du -sh dist/texture-vault | cut -f1)," \
     "$(find dist/texture-vault -type f | wc -l) files"
