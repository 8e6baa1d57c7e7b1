"""Routes of folders, nodes, search and downloads."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, list_params, no_content, query, route
from chalicelib.errors import InvalidRequest
from chalicelib.services import downloads, folders, nodes, search

bp = Blueprint(__name__)


@route(bp, "/folders", methods=["POST"])
def create_folder() -> Any:
    caller = session.actor(bp.current_request, nodes=[Body.peek(bp.current_request, "parent_id")])
    body = Body.of(bp.current_request)
    parent_id, name = body.id("parent_id"), body.text("name", max_len=1024)
    body.check()
    node = folders.create(caller, parent_id=parent_id, name=name)
    return json_response({"node": node}, status=201)


@route(bp, "/folders/{folder_id}", methods=["GET"])
def list_folder(folder_id: str) -> Any:
    request = bp.current_request
    caller = session.actor(request, nodes=[folder_id])
    limit, cursor = list_params(request)
    sort = query(request).get("sort", "name")
    return folders.listing(caller, folder_id, sort=sort, limit=limit, cursor=cursor)


@route(bp, "/nodes/{node_id}", methods=["GET"])
def get_node(node_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[node_id])
    return {"node": nodes.get(caller, node_id)}


@route(bp, "/nodes/{node_id}", methods=["PATCH"])
def update_node(node_id: str) -> Any:
    request = bp.current_request
    caller = session.actor(request, nodes=[node_id, Body.peek(request, "parent_id")])
    body = Body.of(bp.current_request)
    name = body.text("name", required=False, max_len=1024)
    parent_id = body.id("parent_id", required=False)
    body.check()
    if name is None and parent_id is None:
        raise InvalidRequest.fields({"name": "give a name, a parent_id or both"})
    return {"node": nodes.update(caller, node_id, name=name, parent_id=parent_id)}


@route(bp, "/nodes/{node_id}", methods=["DELETE"])
def trash_node(node_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[node_id])
    nodes.trash(caller, node_id)
    return no_content()


@route(bp, "/search", methods=["GET"])
def search_nodes() -> Any:
    request = bp.current_request
    caller = session.actor(request)
    limit, cursor = list_params(request)
    params = query(request)
    return search.search(
        caller, params.get("q", ""), kind=params.get("type"), limit=limit, cursor=cursor
    )


@route(bp, "/files/{file_id}/download", methods=["GET"])
def download_file(file_id: str) -> Any:
    request = bp.current_request
    caller = session.actor(request, nodes=[file_id])
    params = query(request)
    found = downloads.link(caller, file_id, inline=params.get("inline") == "1")
    if params.get("redirect") == "0":
        return found
    return json_response(found, status=302, headers={"Location": found["url"]})
