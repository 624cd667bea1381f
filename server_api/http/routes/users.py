"""User accounts: search (for share dialogs), and server-admin management."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import Caller
from server_api.http.respond import documented, done, items, one
from server_api.http.schemas import ActiveBody, Items, NewUserBody, PasswordBody, Username
from server_api.store.entities import User

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.get("", responses=documented(Items[User]))
def list_users(
    store: Caller,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    include_inactive: bool = False,
) -> JSONResponse:
    """Active accounts; ``include_inactive=true`` adds disabled ones (server admins only)."""
    return items(store.list_users(q, limit, include_inactive=include_inactive))


@router.post("", status_code=201, responses=documented(User, 201))
def create_user(body: NewUserBody, store: Caller) -> JSONResponse:
    user = store.create_user(body.username, body.password, is_admin=body.is_admin,
                             display_name=body.display_name)
    return one(user, 201)


@router.put("/{username}/active", responses=documented(User))
def set_active(username: Username, body: ActiveBody, store: Caller) -> JSONResponse:
    """Enable or disable an account; disabling ends every token it has."""
    return one(store.set_user_active(username, body.active))


@router.put("/{username}/password", status_code=204)
def set_password(username: Username, body: PasswordBody, store: Caller) -> Response:
    """Your own (with ``current_password``), or anyone's as a server admin; ends the user's other tokens."""
    store.set_password(username, body.password, current_password=body.current_password)
    return done()
