"""Sign in, sign out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import Caller, SignIn, Token
from server_api.http.respond import documented, done, one
from server_api.http.schemas import LoginAnswer, LoginBody
from server_api.store import codec
from server_api.store.entities import User

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/login", responses=documented(LoginAnswer))
async def login(body: LoginBody, accounts: SignIn, request: Request) -> JSONResponse:
    """A bearer token for a right username and password (401 otherwise). 429 with Retry-After while
    that name is locked (5 wrong passwords) or while the server is checking too many at once."""
    # Password hashing takes a fraction of a second of CPU: keep it off the event loop.
    client = request.client.host if request.client else ""
    issued = await run_in_threadpool(accounts.login, body.username, body.password, client=client)
    return JSONResponse({
        "token": issued.token, "token_type": "bearer",
        "expires_at": issued.expires_at.isoformat(), "user": codec.encode(issued.user),
    })


@router.post("/auth/logout", status_code=204)
def logout(accounts: SignIn, token: Token) -> Response:
    """Revoke the token this request carries."""
    accounts.revoke(token)
    return done()


@router.get("/me", responses=documented(User))
def me(store: Caller) -> JSONResponse:
    return one(store.current_user())
