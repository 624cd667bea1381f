#!/usr/bin/env bash
# Create .venv with the newest Python >= 3.12 on this machine (3.11 also works: PySide6 is then
# pinned below 6.12, see DESIGN.md) and install the project with the given extras (default: none).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  py=""
  # pyenv shims for versions that are installed but not enabled fail when run, so also look in
  # pyenv's own folders.
  for candidate in python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3 python3.13 \
                   "$HOME"/.pyenv/versions/3.13*/bin/python3 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py="$candidate"; break
    fi
  done
  [ -n "$py" ] || { echo "setup: need Python >= 3.11 (python3.12 recommended)" >&2; exit 1; }
  "$py" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install -q -e "$spec"
