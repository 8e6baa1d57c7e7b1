"""The local stack as `make dev` runs it (moto's threaded server, the one-origin HTTP server),
started in this process for tests that need real HTTP or real concurrency."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

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
