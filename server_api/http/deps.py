"""Per-request dependencies: the signed-in caller's view of the store, and app settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server_api.core.errors import VaultError
from server_api.store.accounts import Accounts
from server_api.store.base import VaultStore
from server_api.store.server import ServerStore

bearer = HTTPBearer(auto_error=False, description="the token from POST /api/v1/auth/login")


@dataclass(frozen=True)
class Settings:
    max_upload_bytes: int
    tmp_dir: Path  # where uploads land while they arrive (ServerStore.upload_dir: a local folder)


def root_store(request: Request) -> ServerStore:
    return request.app.state.store


def settings(request: Request) -> Settings:
    return request.app.state.settings


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise VaultError("unauthenticated", "sign in first: send 'Authorization: Bearer <token>'")
    return credentials.credentials


def caller_store(request: Request, token: Annotated[str, Depends(bearer_token)]) -> VaultStore:
    """The store as the token's user sees it; every permission check happens inside the store."""
    return accounts(request).signed_in(token)


def accounts(request: Request) -> Accounts:
    """Sign-in (tokens, passwords, lockout): the root store's Accounts side, below HTTP."""
    return request.app.state.store


Caller = Annotated[VaultStore, Depends(caller_store)]
Root = Annotated[ServerStore, Depends(root_store)]
SignIn = Annotated[Accounts, Depends(accounts)]
Token = Annotated[str, Depends(bearer_token)]
AppSettings = Annotated[Settings, Depends(settings)]
