#!/usr/bin/env bash
# Set up (first time) and start Texture Vault on the default local vault. Extra args go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/texture-vault "$@"
