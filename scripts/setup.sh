#!/usr/bin/env bash
# Create .venv with the newest Python >= 3.12 on this machine (PATH, pyenv under $PYENV_ROOT or
# ~/.pyenv; 3.11 only as a last resort: PySide6 is then pinned below 6.12, see docs/ARCHITECTURE.md) and install
# the project with the given extras: none (the app), server, dev, installer.
#   bash scripts/setup.sh [server|dev|installer]
# pip runs only when pyproject.toml changed since the last install of those extras.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

version_of() {  # prints "3 12 1" for an interpreter that runs, nothing for one that does not
  "$1" -c 'import sys; print(*sys.version_info[:3])' 2>/dev/null || true
}

pick_python() {
  local best="" best_key=0 candidate v key
  # pyenv shims for versions that are installed but not enabled fail when run, so also look in
  # pyenv's own folders.
  for candidate in python3.14 python3.13 python3.12 python3 python3.11 \
                   "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3 "$HOME"/.pyenv/versions/3.*/bin/python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    v=$(version_of "$candidate"); [ -n "$v" ] || continue
    set -- $v; key=$(( $1 * 10000 + $2 * 100 + $3 ))
    if [ "$key" -ge 31100 ] && [ "$key" -gt "$best_key" ]; then best="$candidate"; best_key=$key; fi
  done
  [ -n "$best" ] || { echo "setup: need Python >= 3.12 (3.11 works too); none found on PATH or in pyenv" >&2; exit 1; }
  echo "$best"
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  echo "setup: creating .venv with Python $(version_of "$py" | tr ' ' .) ($(command -v "$py"))"
  [ "$(version_of "$py" | cut -d' ' -f2)" -ge 12 ] || echo "setup: no Python >= 3.12 found; 3.11 keeps PySide6 below 6.12"
  "$py" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

stamp=".venv/.installed-${extras:-app}"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  echo "setup: installing $spec into .venv (Python $(version_of .venv/bin/python | tr ' ' .))"
  # setuptools' "Editable installation" BuildBackendWarning is ten lines of noise on every install.
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q -e "$spec"
  echo "$wanted" > "$stamp"
fi
