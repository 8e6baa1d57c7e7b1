"""Ten people use a link limited to three downloads at the same moment: exactly three get a
URL. The local stack's moto server answers them in parallel, as DynamoDB would."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests

from tests.live.conftest import Account


def test_ten_parallel_downloads_of_a_link_limited_to_three(live):
    owner = Account(live, f"sharer{uuid.uuid4().hex[:8]}")
    started = owner.post(
        "/uploads",
        {"parent_id": owner.root, "name": "hot.txt", "size": 5, "content_type": "text/plain"},
    ).json()
    assert requests.put(started["url"], data=b"hello", timeout=30).status_code == 200
    assert owner.post(f"/uploads/{started['upload_id']}/complete", {}).status_code == 200
    made = owner.post("/shares", {"node_id": started["upload_id"], "max_downloads": 3})
    assert made.status_code == 201, made.text
    token = made.json()["url"].rsplit("/", 1)[1]
    gate = Barrier(10)

    def download(_: int) -> int:
        gate.wait()
        return requests.post(
            f"{live.url}/api/public/shares/{token}/download", json={}, timeout=60
        ).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = sorted(pool.map(download, range(10)))

    assert answers == [200] * 3 + [410] * 7
    listed = owner.get(f"/shares?node_id={started['upload_id']}")["items"]
    assert listed[0]["downloads"] == 3
