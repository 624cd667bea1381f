"""Every failure leaves the server as {"code", "message"} with the status from server_api.core.errors."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from server_api.core.errors import CODE_FOR_STATUS, RangeNotSatisfiable, VaultError
from server_api.http.disk_space import full, out_of_space

log = logging.getLogger("vault.server")


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _vault_error(request: Request, exc: VaultError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.code == "unauthenticated" else {}
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{exc.size}"
    if getattr(request.state, "unread_body", False):
        # Refused mid-upload: closing the connection stops the client sending the rest (uvicorn
        # would otherwise read and discard every remaining byte to keep the connection alive).
        headers["Connection"] = "close"
    return error_response(exc.http_status, exc.code, exc.message, headers or None)


def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "request"
    return error_response(400, "invalid_argument", f"{where}: {first.get('msg', 'invalid value')}")


def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    fallback = "internal" if exc.status_code >= 500 else "invalid_argument"
    code = CODE_FOR_STATUS.get(exc.status_code) or fallback
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; list every method it has.
        headers["Allow"] = ", ".join(_methods_for(request))
        return error_response(405, code, f"{request.method} is not allowed here; use {headers['Allow']}",
                              headers)
    if getattr(request.state, "unread_body", False):
        headers["Connection"] = "close"  # a stalled body (408): never wait for the rest
    return error_response(exc.status_code, code, str(exc.detail), headers or None)


def _methods_for(request: Request) -> list[str]:
    # Ask the routes about each method (included routers nest theirs, so route.methods is not enough).
    return [method for method in _METHODS if any(
        route.matches({**request.scope, "method": method})[0] == Match.FULL
        for route in request.app.router.routes)]


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if out_of_space(exc):  # a full disk is the operator's to fix, not a bug: say which volume
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        return _vault_error(request, full(request.app.state.store.upload_dir, "no space left"))
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal", "internal server error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(VaultError, _vault_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    # OSError gets its own entry: handlers for Exception itself run in Starlette's outer middleware,
    # which re-raises after answering (a traceback in the log for every full-disk 507).
    app.add_exception_handler(OSError, _unexpected)
    app.add_exception_handler(Exception, _unexpected)
