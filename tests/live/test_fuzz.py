"""schemathesis drives every operation of openapi.yaml against the running local stack: no
5xx, and every response must match the document (status, headers, body schema).

`make test` keeps the example count modest; `make fuzz` sets FUZZ_EXAMPLES higher.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from infra.local.runner import LocalStack
from tests.live.conftest import running_stack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# Random tokens and codes can never be right, so a valid-looking one is rightly refused here;
# and the current password is required exactly when the account has one.
UNGUESSABLE = {
    "/auth/verify-email",
    "/auth/reset-password",
    "/auth/phone/verify",
    "/users/me/password",
}
PASSWORD = "fuzzing password 1"

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # Wrong passwords sent by the fuzzer must not throttle the account it signs in with.
    with running_stack(tmp_path_factory, LOGIN_FAIL_LIMIT="1000000") as stack:
        yield stack


@pytest.fixture(scope="module")
def fuzz_user(live: LocalStack) -> dict[str, str]:
    api = f"{live.url}/api"
    body = {"username": "fuzzer", "email": "fuzzer@example.com", "password": PASSWORD}
    assert requests.post(f"{api}/auth/register", json=body, timeout=30).status_code == 201
    mail = live.outbox.items(to="fuzzer@example.com")[0]
    token = re.search(r"verify-email\?token=([\w-]+)", mail["text"]).group(1)
    assert requests.post(f"{api}/auth/verify-email", json={"token": token}, timeout=30).ok
    return {"login": "fuzzer", "password": PASSWORD}


SCHEMA = schemathesis.openapi.from_path(ROOT / "openapi.yaml")
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}


def describable(case) -> bool:
    """JSON Schema cannot say "the password must not equal the username", nor make a cursor
    the server signed (any other is rightly refused); skip such cases."""
    if isinstance(case.query, dict) and "cursor" in case.query:
        return False
    body = case.body if isinstance(case.body, dict) else {}
    password, username = body.get("password"), body.get("username")
    return not (
        isinstance(password, str)
        and isinstance(username, str)
        and password.casefold() == username.strip().casefold()
    )


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_never_errors_and_matches_its_document(label, live, fuzz_user):
    operation = OPERATIONS[label]
    excluded = [checks.positive_data_acceptance] if operation.path in UNGUESSABLE else []

    @given(case=operation.as_strategy().filter(describable))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def exercise(case):
        # A fresh bearer token per case: the fuzzer may sign the account out everywhere.
        token = requests.post(f"{live.url}/api/auth/token", json=fuzz_user, timeout=30)
        assert token.status_code == 200, token.text
        case.call_and_validate(
            base_url=f"{live.url}/api",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            excluded_checks=excluded,
        )

    exercise()
