"""Routes of the caller's own account."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, list_params, no_content, query, route
from chalicelib.services import accounts, teams, usage

bp = Blueprint(__name__)


@route(bp, "/users/me", methods=["GET"])
def get_me() -> Any:
    return {"user": accounts.user_view(session.actor(bp.current_request).user)}


@route(bp, "/users/me/stats", methods=["GET"])
def get_my_stats() -> Any:
    return usage.stats(session.actor(bp.current_request).user)


@route(bp, "/users/me/invitations", methods=["GET"])
def get_my_invitations() -> Any:
    request = bp.current_request
    caller = session.actor(request)
    limit, cursor = list_params(request)
    return teams.invitations(caller, limit=limit, cursor=cursor)


@route(bp, "/users/search", methods=["GET"])
def search_users() -> Any:
    caller = session.actor(bp.current_request)
    return accounts.search(caller.user_id, query(bp.current_request).get("q", ""))


@route(bp, "/users/me", methods=["PATCH"])
def update_me() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    changes = {
        name: body.text(name, required=False, nullable=True, max_len=64)
        for name in ("nickname", "phone")
        if body.has(name)
    }
    body.check()
    return {"user": accounts.update_profile(caller.user_id, **changes)}


@route(bp, "/users/me/password", methods=["POST"])
def change_password() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    current = body.text("current_password", required=False, max_len=1024)
    new = body.text("new_password", max_len=1024)
    body.check()
    accounts.change_password(
        caller.user_id, current=current, new=new, keep_session=caller.family_id
    )
    return no_content()


@route(bp, "/users/me", methods=["DELETE"])
def delete_me() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request, optional=True)
    password = body.text("password", required=False, max_len=1024)
    body.check()
    accounts.delete(caller.user_id, password=password)
    return no_content(session.cleared_cookies())
