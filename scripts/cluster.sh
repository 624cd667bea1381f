#!/usr/bin/env bash
# The compose.yaml topology as local processes on 127.0.0.1: PostgreSQL, SeaweedFS (S3), two
# `vault-server serve` instances and a round-robin proxy. Needs `bash scripts/setup.sh dev` first.
#   bash scripts/cluster.sh start [--dir DIR] [--port 8765]
#   bash scripts/cluster.sh status|stop [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/cluster.py "$@"
