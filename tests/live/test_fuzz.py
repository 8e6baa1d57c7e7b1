"""schemathesis drives every operation of openapi.yaml against the running local stack: no
5xx, and every response must match the document (status, headers, body schema).

`make test` keeps the example count modest; `make fuzz` sets FUZZ_EXAMPLES higher.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from chalicelib.errors import InvalidRequest
from chalicelib.services import rules
from infra.local.runner import LocalStack
from tests.live.conftest import running_stack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
NEGATIVE_EXAMPLES = max(3, EXAMPLES // 3)
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
# The development identity provider's routes are local-only (off on the fuzzed stage, as when
# deployed: 404 whatever is sent); tests/live/test_dev_idp.py tests them on a stack that has it.
OPERATIONS = {
    op.label: op
    for op in (r.ok() for r in SCHEMA.get_all_operations())
    if not op.path.startswith("/dev/")
}
# Those that take any input: only they can be sent something their document forbids.
WITH_INPUT = sorted(
    label
    for label, op in OPERATIONS.items()
    if len(op.path_parameters) or len(op.query) or len(op.body)
)


def _a_phone(value: str) -> bool:
    """Whether ``value`` reads as a phone number (JSON Schema cannot say what one is: the
    national forms depend on the country)."""
    try:
        return rules.phone(value, country="KR") is not None
    except InvalidRequest:
        return False


def describable(case) -> bool:
    """JSON Schema cannot say "the password must not equal the username", nor what a phone
    number is, nor make a cursor the server signed (any other is rightly refused); skip such
    cases."""
    if isinstance(case.query, dict) and "cursor" in case.query:
        return False
    body = case.body if isinstance(case.body, dict) else {}
    phones = [body.get("phone"), body.get("login") if "code" in body else None]
    if any(isinstance(p, str) and not _a_phone(p) for p in phones):
        return False
    password, username = body.get("password"), body.get("username")
    return not (
        isinstance(password, str)
        and isinstance(username, str)
        and password.casefold() == username.strip().casefold()
    )


def bearer(live: LocalStack, fuzz_user: dict[str, str], path: str) -> Callable[[], str]:
    """The bearer token a case sends: one per operation, but a fresh one per case where the
    operation may end the account's sessions (the fuzzer may sign it out everywhere)."""
    kept: list[str] = []

    def token() -> str:
        if kept and not path.startswith(("/auth", "/users/me")):
            return kept[0]
        reply = requests.post(f"{live.url}/api/auth/token", json=fuzz_user, timeout=30)
        assert reply.status_code == 200, reply.text
        kept[:] = [reply.json()["access_token"]]
        return kept[0]

    return token


def run(live: LocalStack, token: Callable[[], str], strategy, examples: int, **validate) -> None:
    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def exercise(case):
        case.call_and_validate(
            base_url=f"{live.url}/api",
            headers={"Authorization": f"Bearer {token()}"},
            **validate,
        )

    exercise()


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_never_errors_and_matches_its_document(label, live, fuzz_user):
    operation = OPERATIONS[label]
    excluded = [checks.positive_data_acceptance] if operation.path in UNGUESSABLE else []
    strategy = operation.as_strategy().filter(describable)
    run(live, bearer(live, fuzz_user, operation.path), strategy, EXAMPLES, excluded_checks=excluded)


@pytest.mark.parametrize("label", WITH_INPUT)
def test_api_refuses_what_its_document_forbids_with_a_4xx(label, live, fuzz_user):
    """Negative cases: ids of the wrong shape or length, wrong types, missing or over-long
    fields, values out of range. Each must be refused with a 4xx in the contract's format,
    never a 5xx, and never accepted."""
    operation = OPERATIONS[label]
    strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    run(
        live,
        bearer(live, fuzz_user, operation.path),
        strategy.filter(describable),
        NEGATIVE_EXAMPLES,
        checks=[checks.not_a_server_error, checks.negative_data_rejection],
    )
