"""Uploading real bytes the way a browser does: POST /uploads, PUT each part to its presigned
URL (moto answers them in-process, or through its server in tests/live), then complete; and
what the bucket holds, read straight."""

from __future__ import annotations

import functools
from typing import Any

import boto3
import requests

from chalicelib.config import get_settings
from tests.client import Api, Reply
from tests.conftest import REGION


def start(
    client: Api,
    parent_id: str,
    name: str,
    size: int,
    content_type: str = "application/octet-stream",
    **extra: Any,
) -> Reply:
    body = {
        "parent_id": parent_id,
        "name": name,
        "size": size,
        "content_type": content_type,
        **extra,
    }
    return client.post("/uploads", body)


def put_parts(
    client: Api, upload: dict[str, Any], data: bytes, numbers: list[int] | None = None
) -> list[dict[str, Any]]:
    """PUT the given parts (all by default); returns ``[{part_number, etag}]`` in order, or
    ``[]`` for a one-part file sent to the URL POST /uploads gave (it completes without parts)."""
    if upload["part_count"] == 1 and upload.get("url") and (numbers in (None, [1])):
        reply = requests.put(upload["url"], data=data, timeout=60)
        assert reply.status_code == 200, reply.text
        return []
    size = upload["part_size"]
    wanted = numbers or list(range(1, upload["part_count"] + 1))
    signed = client.post(f"/uploads/{upload['upload_id']}/parts", {"part_numbers": wanted})
    assert signed.status == 200, signed.body
    sent = []
    for number in wanted:
        chunk = data[(number - 1) * size : number * size]
        reply = requests.put(signed.json["urls"][str(number)], data=chunk, timeout=60)
        assert reply.status_code == 200, reply.text
        sent.append({"part_number": number, "etag": reply.headers["ETag"]})
    return sent


def complete(client: Api, upload_id: str, parts: list[dict[str, Any]] | None = None) -> Reply:
    return client.post(f"/uploads/{upload_id}/complete", {"parts": parts} if parts else {})


def upload(
    client: Api,
    parent_id: str,
    name: str,
    data: bytes,
    content_type: str = "application/octet-stream",
) -> dict[str, Any]:
    """The whole flow; returns the ready file node."""
    started = start(client, parent_id, name, len(data), content_type)
    assert started.status == 201, started.body
    parts = put_parts(client, started.json, data)
    done = complete(client, started.json["upload_id"], parts)
    assert done.status == 200, done.body
    return done.json["file"]


@functools.cache
def s3() -> Any:
    # One client for the session: making one costs a good part of a second.
    return boto3.client("s3", region_name=REGION)


def bucket() -> str:
    return get_settings().files_bucket


def object_keys(owner_id: str) -> set[str]:
    """The keys of every object the bucket holds for this owner's files."""
    reply = s3().list_objects_v2(Bucket=bucket(), Prefix=f"files/{owner_id}/")
    return {item["Key"] for item in reply.get("Contents", [])}
