#!/usr/bin/env bash
# Set up (first time) and run every check: ruff, the import contract, and the whole pytest suite.
# PostgreSQL tests start a throwaway server when PostgreSQL is installed (.ci/run installs it);
# VAULT_REQUIRE_POSTGRES=1 turns "not installed" into a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check server_api vault_desktop tests bench
.venv/bin/lint-imports
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
