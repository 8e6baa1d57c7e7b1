"""The development identity provider on the local stack: an OIDC provider configured from the
discovery document the stack serves, signed in through /dev/idp/{provider}/token and then
POST /auth/{provider}, every token checked by the same verifier as real providers'."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from infra.local.runner import LocalStack
from tests.api.google_keys import make_key
from tests.conftest import reset_settings
from tests.live.conftest import Account, running_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(tmp_path_factory, DEV_IDP="true") as live:
        yield live


@pytest.fixture
def acme(stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> str:
    """Acme configured by its issuer only: keys come from the stack's discovery document."""
    issuer = f"{stack.url}/api/dev/idp/acme"
    config = [{"id": "acme", "name": "Acme", "issuer": issuer, "client_id": "acme-client"}]
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps(config))
    reset_settings()
    yield f"{stack.url}/api"
    reset_settings()


def post(url: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(url, json=body, timeout=30)


def credential(api: str, **body: Any) -> str:
    reply = post(f"{api}/dev/idp/acme/token", body)
    assert reply.status_code == 200, reply.text
    return reply.json()["credential"]


def resign(token: str, **changes: Any) -> str:
    """The same claims with changes, signed by a key the provider never published."""
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    header = jwt.get_unverified_header(token)
    return make_key(header["kid"]).sign(claims)


def error_code(reply: requests.Response) -> tuple[int, str]:
    return reply.status_code, reply.json()["error"]["code"]


def test_the_discovery_document_names_the_issuer_and_its_keys(acme):
    document = requests.get(f"{acme}/dev/idp/acme/.well-known/openid-configuration", timeout=30)

    assert document.status_code == 200
    assert document.json()["issuer"] == f"{acme}/dev/idp/acme"
    keys = requests.get(document.json()["jwks_uri"], timeout=30).json()["keys"]
    assert [k["kty"] for k in keys] == ["RSA"]


def test_a_development_token_signs_in_and_again_to_the_same_account(acme):
    token = credential(acme, email="dev.user@example.com", name="Dev User")

    first = post(f"{acme}/auth/acme", {"credential": token})

    assert first.status_code == 200, first.text
    assert first.json()["created"] is True
    assert first.json()["user"]["nickname"] == "Dev User"
    again = post(
        f"{acme}/auth/acme", {"credential": credential(acme, email="dev.user@example.com")}
    )
    assert again.json()["user"]["id"] == first.json()["user"]["id"]


def test_the_providers_list_shows_the_development_google_and_acme(acme):
    items = requests.get(f"{acme}/auth/providers", timeout=30).json()["items"]

    assert [item["id"] for item in items] == ["google", "acme"]
    google = post(f"{acme}/auth/google", {"credential": credential(acme, email="g@example.com")})
    assert error_code(google) == (401, "unauthenticated")  # acme's token is not Google's


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda t: resign(t, aud="another-client"), id="another-audience"),
        pytest.param(lambda t: resign(t, iss="https://evil.example.com"), id="another-issuer"),
        pytest.param(lambda t: resign(t, exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda t: resign(t), id="tampered-signature"),
        pytest.param(lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"), id="cut"),
    ],
)
def test_a_token_the_provider_did_not_issue_as_is_is_refused(acme, forge):
    token = forge(credential(acme, email="forged@example.com"))

    assert error_code(post(f"{acme}/auth/acme", {"credential": token})) == (401, "unauthenticated")


def test_an_unverified_address_does_not_link_an_existing_account(stack, acme):
    Account(stack, "linda")  # linda@example.com, verified with her password
    token = credential(acme, email="linda@example.com", email_verified=False)

    assert error_code(post(f"{acme}/auth/acme", {"credential": token})) == (
        403,
        "provider_email_unverified",
    )


def test_a_verified_address_of_an_unverified_account_is_a_conflict(acme):
    assert (
        post(
            f"{acme}/auth/register",
            {"username": "uma", "email": "uma@example.com", "password": "correct horse 1"},
        ).status_code
        == 201
    )
    token = credential(acme, email="uma@example.com")

    assert error_code(post(f"{acme}/auth/acme", {"credential": token})) == (
        409,
        "account_unverified_link",
    )


def test_the_token_route_checks_its_body(acme):
    reply = post(f"{acme}/dev/idp/acme/token", {"email": "not-an-address", "email_verified": 1})

    assert reply.status_code == 400
    assert set(reply.json()["error"]["details"]["fields"]) == {"email_verified"}


def test_a_provider_the_development_provider_does_not_play_is_not_found(acme):
    reply = post(f"{acme}/dev/idp/kakao/token", {"email": "a@example.com"})

    assert error_code(reply) == (404, "not_found")
