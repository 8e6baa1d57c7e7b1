"""Routes of share links: the owner's side, and the public side anyone with a link uses."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, list_params, no_content, query_id, route
from chalicelib.services import shares

bp = Blueprint(__name__)

PASSWORD_HEADER = "x-share-password"


@route(bp, "/shares", methods=["POST"])
def create_share() -> Any:
    request = bp.current_request
    caller = session.actor(request, nodes=[Body.peek(request, "node_id")])
    body = Body.of(request)
    node_id = body.id("node_id")
    expires_in = body.integer(
        "expires_in", low=shares.MIN_EXPIRY_S, high=shares.MAX_EXPIRY_S, required=False
    )
    password = body.text("password", required=False, max_len=shares.MAX_PASSWORD)
    if password is not None and len(password) < shares.MIN_PASSWORD:
        body.fail("password", f"{shares.MIN_PASSWORD} to {shares.MAX_PASSWORD} characters")
    max_downloads = body.integer("max_downloads", low=1, high=shares.MAX_DOWNLOADS, required=False)
    body.check()
    created = shares.create(
        caller, node_id, expires_in=expires_in, password=password, max_downloads=max_downloads
    )
    return json_response(created, status=201)


@route(bp, "/shares", methods=["GET"])
def list_shares() -> Any:
    request = bp.current_request
    node_id = query_id(request, "node_id")
    caller = session.actor(request, nodes=[node_id] if node_id else [])
    limit, cursor = list_params(request)
    return shares.mine(caller, node_id, limit=limit, cursor=cursor)


@route(bp, "/shares/{share_id}", methods=["DELETE"])
def revoke_share(share_id: str) -> Any:
    shares.revoke(session.actor(bp.current_request), share_id)
    return no_content()


@route(bp, "/public/shares/{token}", methods=["GET"])
def open_share(token: str) -> Any:
    request = bp.current_request
    limit, cursor = list_params(request)
    return shares.view(
        token,
        folder_id=query_id(request, "folder_id"),
        password=request.headers.get(PASSWORD_HEADER),
        limit=limit,
        cursor=cursor,
    )


@route(bp, "/public/shares/{token}/download", methods=["POST"])
def download_share(token: str) -> Any:
    body = Body.of(bp.current_request, optional=True)
    password = body.text("password", required=False, max_len=1000)
    file_id = body.id("file_id", required=False)
    body.check()
    return shares.download(token, password=password, file_id=file_id)
