"""Routes of folders and nodes."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, list_params, query, route
from chalicelib.services import folders

bp = Blueprint(__name__)


@route(bp, "/folders", methods=["POST"])
def create_folder() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    parent_id, name = body.text("parent_id", max_len=64), body.text("name", max_len=1024)
    body.check()
    node = folders.create(caller.user_id, parent_id=parent_id, name=name)
    return json_response({"node": node}, status=201)


@route(bp, "/folders/{folder_id}", methods=["GET"])
def list_folder(folder_id: str) -> Any:
    request = bp.current_request
    caller = session.actor(request)
    limit, cursor = list_params(request)
    sort = query(request).get("sort", "name")
    return folders.listing(caller.user_id, folder_id, sort=sort, limit=limit, cursor=cursor)


@route(bp, "/nodes/{node_id}", methods=["GET"])
def get_node(node_id: str) -> Any:
    caller = session.actor(bp.current_request)
    return {"node": folders.get(caller.user_id, node_id)}
