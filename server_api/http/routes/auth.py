"""Sign in, sign out, who am I."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import Caller, Root, Token
from server_api.http.respond import documented, done, one
from server_api.http.schemas import LoginAnswer, LoginBody
from server_api.store import codec
from server_api.store.entities import User
from server_api.store.sql import auth

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/login", responses=documented(LoginAnswer))
async def login(body: LoginBody, store: Root) -> JSONResponse:
    """A bearer token for a right username and password (401 otherwise; 429 while locked)."""
    # Password hashing takes tens of ms of CPU: keep it off the event loop.
    issued = await run_in_threadpool(auth.login, store, body.username, body.password)
    return JSONResponse({
        "token": issued.token, "token_type": "bearer",
        "expires_at": issued.expires_at.isoformat(), "user": codec.encode(issued.user),
    })


@router.post("/auth/logout", status_code=204)
def logout(store: Root, token: Token) -> Response:
    """Revoke the token this request carries."""
    auth.revoke(store, token)
    return done()


@router.get("/me", responses=documented(User))
def me(store: Caller) -> JSONResponse:
    return one(store.current_user())
