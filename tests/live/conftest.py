"""The local stack as `make dev` runs it (moto's threaded server, the one-origin HTTP server),
started in this process for tests that need real HTTP or real concurrency."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from infra.local.runner import LocalStack, start_stack
from tests.conftest import reset_caches

CHEAP = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024", "MOTO_DISABLE_GLOBAL_CORS": "true"}


@contextmanager
def running_stack(
    tmp_path_factory: pytest.TempPathFactory, *, dist_dir: str | None = None, **env: str
) -> Iterator[LocalStack]:
    """A stack on a free port with cheap password hashing and ``env`` as extra settings,
    serving ``dist_dir`` (an empty folder by default) as the site."""
    mp = pytest.MonkeyPatch()
    for name, value in {**CHEAP, **env}.items():
        mp.setenv(name, value)
    for name in ("GOOGLE_CLIENT_ID", "GOOGLE_CERTS_URL", "STAGE", "PUBLIC_URL"):
        mp.delenv(name, raising=False)
    reset_caches()
    site = dist_dir or tmp_path_factory.mktemp("dist")
    stack = start_stack(port=0, stage="live", dist_dir=site)
    reset_caches()
    try:
        yield stack
    finally:
        stack.stop()
        mp.undo()
        reset_caches()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(tmp_path_factory) as stack:
        yield stack


PASSWORD = "correct horse 1"


class Account:
    """A verified user of the live stack, signed in with a bearer token."""

    def __init__(self, live: LocalStack, username: str):
        self.api = f"{live.url}/api"
        email = f"{username}@example.com"
        body = {"username": username, "email": email, "password": PASSWORD}
        assert requests.post(f"{self.api}/auth/register", json=body, timeout=30).status_code == 201
        mail = live.outbox.items(to=email)[0]
        token = re.search(r"verify-email\?token=([\w-]+)", mail["text"]).group(1)
        verified = requests.post(f"{self.api}/auth/verify-email", json={"token": token}, timeout=30)
        assert verified.status_code == 200, verified.text
        signed = requests.post(
            f"{self.api}/auth/token", json={"login": username, "password": PASSWORD}, timeout=30
        )
        assert signed.status_code == 200, signed.text
        self.headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        me = self.get("/users/me")
        self.id = me["user"]["id"]
        self.root = me["user"]["storage"]["root_folder_id"]

    def get(self, path: str) -> Any:
        reply = requests.get(f"{self.api}{path}", headers=self.headers, timeout=30)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{self.api}{path}", json=body, headers=self.headers, timeout=60)
