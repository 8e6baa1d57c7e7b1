"""The operators' routes: accounts and the numbers of the operators' page, for admins only
(anyone else signed in gets 403; the same work is on the command line, chalicelib/admin)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from chalice.app import Request

from chalicelib.api import session
from chalicelib.api.http import Body, list_params, query, route
from chalicelib.errors import Forbidden
from chalicelib.services import admin, census, sessions

bp = Blueprint(__name__)

EDITABLE = ("quota_bytes", "disabled", "is_admin")


def operator(request: Request) -> sessions.Actor:
    """The caller, if an admin (401 when not signed in, 403 when not an admin)."""
    caller = session.actor(request)
    if not caller.is_admin:
        raise Forbidden("Only operators may do that.")
    return caller


@route(bp, "/admin/users", methods=["GET"])
def list_users() -> Any:
    request = bp.current_request
    caller = operator(request)
    limit, cursor = list_params(request)
    q = query(request).get("q", "")
    return admin.list_users(caller.user_id, q=q, limit=limit, cursor=cursor)


@route(bp, "/admin/users/{user_id}", methods=["PATCH"])
def update_user(user_id: str) -> Any:
    caller = operator(bp.current_request)
    body = Body.of(bp.current_request)
    body.only(EDITABLE)
    changes: dict[str, Any] = {}
    if body.has("quota_bytes"):
        changes["quota_bytes"] = body.integer("quota_bytes", low=0, high=admin.MAX_QUOTA_BYTES)
    changes |= {name: body.boolean(name) for name in ("disabled", "is_admin") if body.has(name)}
    body.check()
    return {"user": admin.update_user(user_id, by=caller.user_id, **changes)}


@route(bp, "/admin/stats", methods=["GET"])
def stats() -> Any:
    operator(bp.current_request)
    return census.latest()
