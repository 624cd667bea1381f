"""What keeps one client from taking the server from everyone else (issue 10), installed in one call:
request bodies on a clock (body_timeouts.py) and uploads admitted by an UploadGate (upload_gate.py)."""

from __future__ import annotations

from fastapi import FastAPI

from server_api.core.settings import Settings
from server_api.http.body_timeouts import BodyTimeouts
from server_api.http.upload_gate import UploadGate


def install_guards(app: FastAPI, config: Settings) -> None:
    app.state.upload_gate = UploadGate.from_settings(config)
    app.add_middleware(BodyTimeouts, idle_seconds=config.body_idle_timeout_s,
                       total_seconds=config.body_timeout_s)
