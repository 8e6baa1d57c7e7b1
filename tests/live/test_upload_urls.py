"""An upload's URLs die with it: once it is completed or aborted, S3 (moto's server, as the
local stack runs it) refuses every URL issued for it, so a ready file's bytes never change and
no bytes land that no reservation pays for.

    POST /uploads ─ url (part 1) ── POST /uploads/{id}/parts ─ urls["1"] again
    PUT the bytes, complete ─────── the file is ready
    PUT other bytes to either URL ─ refused; the download still gives the first bytes
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from infra.local.runner import REGION, LocalStack
from tests.live.conftest import Account

SIZE = 1000


@pytest.fixture
def owner(live: LocalStack) -> Account:
    return Account(live, f"urls{uuid.uuid4().hex[:8]}")


def start(owner: Account, name: str) -> dict[str, Any]:
    body = {"parent_id": owner.root, "name": name, "size": SIZE, "content_type": "image/png"}
    reply = owner.post("/uploads", body)
    assert reply.status_code == 201, reply.text
    return reply.json()


def urls_of(owner: Account, started: dict[str, Any]) -> list[str]:
    """Every URL issued for the upload's one part: the one POST /uploads gave and a fresh one."""
    signed = owner.post(f"/uploads/{started['upload_id']}/parts", {"part_numbers": [1]})
    assert signed.status_code == 200, signed.text
    return [started["url"], signed.json()["urls"]["1"]]


def s3(live: LocalStack) -> Any:
    return boto3.client("s3", region_name=REGION, endpoint_url=live.moto_url)


def test_no_url_of_a_completed_upload_changes_the_ready_files_bytes(live, owner):
    started = start(owner, "picture.png")
    urls = urls_of(owner, started)
    first = os.urandom(SIZE)
    assert requests.put(urls[0], data=first, timeout=30).status_code == 200
    done = owner.post(f"/uploads/{started['upload_id']}/complete", {})
    assert done.status_code == 200, done.text

    refused = [requests.put(url, data=os.urandom(SIZE), timeout=30).status_code for url in urls]

    assert refused == [404, 404], refused  # NoSuchUpload
    link = owner.get(f"/files/{started['upload_id']}/download?redirect=0")["url"]
    assert requests.get(link, timeout=30).content == first
    again = owner.post(f"/uploads/{started['upload_id']}/parts", {"part_numbers": [1]})
    assert again.status_code == 404, again.text


def test_no_url_of_an_aborted_upload_lands_bytes(live, owner):
    started = start(owner, "dropped.png")
    urls = urls_of(owner, started)
    aborted = requests.delete(
        f"{owner.api}/uploads/{started['upload_id']}", headers=owner.headers, timeout=30
    )
    assert aborted.status_code == 204, aborted.text

    refused = [requests.put(url, data=os.urandom(SIZE), timeout=30).status_code for url in urls]

    assert refused == [404, 404], refused  # NoSuchUpload
    key = f"files/{owner.id}/{started['upload_id']}"
    bucket = get_settings().files_bucket
    listed = s3(live).list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])
    assert listed == []
    assert s3(live).list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", []) == []
    stats = owner.get("/users/me/stats")
    assert (stats["used_bytes"], stats["reserved_bytes"]) == (0, 0)
