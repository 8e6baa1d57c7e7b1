"""Routes of the caller's trash."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import list_params, no_content, route
from chalicelib.services import trash

bp = Blueprint(__name__)


@route(bp, "/trash", methods=["GET"])
def list_trash() -> Any:
    request = bp.current_request
    caller = session.actor(request)
    limit, cursor = list_params(request)
    return trash.listing(caller.user_id, limit=limit, cursor=cursor)


@route(bp, "/trash/{node_id}/restore", methods=["POST"])
def restore(node_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[node_id])
    return {"node": trash.restore(caller, node_id)}


@route(bp, "/trash/{node_id}", methods=["DELETE"])
def delete_forever(node_id: str) -> Any:
    caller = session.actor(bp.current_request)
    trash.delete(caller.user_id, node_id)
    return no_content()


@route(bp, "/trash", methods=["DELETE"])
def empty_trash() -> Any:
    caller = session.actor(bp.current_request)
    trash.empty(caller.user_id)
    return no_content()
