"""Routes of uploads: the browser sends the bytes straight to S3 with the URLs these sign."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, list_params, no_content, route, whole_number
from chalicelib.services import uploads

bp = Blueprint(__name__)


@route(bp, "/uploads", methods=["POST"])
def start_upload() -> Any:
    caller = session.actor(bp.current_request, nodes=[Body.peek(bp.current_request, "parent_id")])
    body = Body.of(bp.current_request)
    parent_id, name = body.id("parent_id"), body.text("name", max_len=1024)
    size = body.integer("size", low=0, high=uploads.MAX_SIZE)
    content_type = body.text("content_type", required=False, max_len=1024)
    on_conflict = body.choice("on_conflict", ("rename", "fail"), default="rename")
    body.check()
    started = uploads.start(
        caller,
        parent_id=parent_id,
        name=name,
        size=size,
        content_type=content_type,
        on_conflict=on_conflict,
    )
    return json_response(started, status=201)


@route(bp, "/uploads", methods=["GET"])
def list_uploads() -> Any:
    caller = session.actor(bp.current_request)
    limit, cursor = list_params(bp.current_request)
    return uploads.in_progress(caller, limit=limit, cursor=cursor)


@route(bp, "/uploads/{upload_id}/parts", methods=["POST"])
def sign_parts(upload_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[upload_id])
    body = Body.of(bp.current_request)
    numbers = [whole_number(n) for n in body.array("part_numbers", low=1, high=100)]
    if any(n is None for n in numbers):
        body.fail("part_numbers", "must be whole numbers")
    body.check()
    return uploads.sign_parts(caller, upload_id, [n for n in numbers if n is not None])


@route(bp, "/uploads/{upload_id}/parts", methods=["GET"])
def list_parts(upload_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[upload_id])
    return uploads.parts(caller, upload_id)


@route(bp, "/uploads/{upload_id}/complete", methods=["POST"])
def complete_upload(upload_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[upload_id])
    body = Body.of(bp.current_request, optional=True)
    given = body.array("parts", low=1, high=uploads.MAX_PARTS, required=False)
    parts = [_part(p) for p in given]
    if any(p is None for p in parts):
        body.fail("parts", "each must be {part_number: whole number, etag: string}")
    body.check()
    return uploads.complete(caller, upload_id, [p for p in parts if p] or None)


def _part(item: Any) -> tuple[int, str] | None:
    if not isinstance(item, dict):
        return None
    number, etag = whole_number(item.get("part_number")), item.get("etag")
    if number is None or not isinstance(etag, str):
        return None
    if not etag or len(etag) > 200:
        return None
    return number, etag


@route(bp, "/uploads/{upload_id}", methods=["DELETE"])
def abort_upload(upload_id: str) -> Any:
    caller = session.actor(bp.current_request, nodes=[upload_id])
    uploads.abort(caller, upload_id)
    return no_content()
