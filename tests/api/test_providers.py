"""The provider registry: GET /auth/providers, and POST /auth/{provider} for an OpenID Connect
provider configured by OIDC_PROVIDERS alone, its discovery document and JWK Set served by a
local HTTP server and checked by the real verifier."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from jwt.algorithms import RSAAlgorithm

from tests.api.google_keys import CLIENT_ID, SigningKey, claims, make_key
from tests.client import assert_error
from tests.conftest import REGION, reset_settings

ACME_CLIENT = "acme-client-id"


@pytest.fixture(scope="module")
def acme_key() -> SigningKey:
    return make_key()


@pytest.fixture(scope="module")
def stranger_key() -> SigningKey:
    return make_key()


@pytest.fixture
def idp(acme_key: SigningKey) -> Iterator[dict[str, Any]]:
    """An OpenID provider on a free local port: discovery document and JWK Set."""
    state: dict[str, Any] = {}

    class Provider(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            documents = {
                "/.well-known/openid-configuration": {
                    "issuer": state.get("discovered_issuer", state["issuer"]),
                    "jwks_uri": f"{state['issuer']}/jwks",
                },
                "/jwks": {"keys": [jwk(acme_key)]},
            }
            if self.path not in documents:
                self.send_error(404)
                return
            body = json.dumps(documents[self.path]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    host, port = server.server_address[:2]
    state["issuer"] = f"http://{host}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    thread.join()
    server.server_close()


def jwk(key: SigningKey) -> dict[str, Any]:
    return {**RSAAlgorithm.to_jwk(key.private_key.public_key(), as_dict=True), "kid": key.kid}


@pytest.fixture
def acme(stack, idp, monkeypatch) -> str:
    """OIDC_PROVIDERS naming Acme by its issuer; the discovery URL is the issuer's default."""
    config = [{"id": "acme", "name": "Acme", "issuer": idp["issuer"], "client_id": ACME_CLIENT}]
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps(config))
    reset_settings()
    return idp["issuer"]


def acme_claims(issuer: str, **changes: Any) -> dict[str, Any]:
    return claims(aud=changes.pop("aud", ACME_CLIENT), iss=changes.pop("iss", issuer), **changes)


def count_users() -> int:
    client = boto3.client("dynamodb", region_name=REGION)
    return client.scan(TableName="test-users", Select="COUNT")["Count"]


def test_providers_lists_the_configured_buttons(api, acme, monkeypatch):
    monkeypatch.setenv("GOOGLE_CLIENT_ID", CLIENT_ID)
    reset_settings()

    reply = api.get("/auth/providers")

    assert reply.status == 200, reply.body
    assert reply.json == {
        "items": [
            {"id": "google", "name": "Google", "kind": "oidc"},
            {"id": "acme", "name": "Acme", "kind": "oidc"},
        ]
    }


def test_providers_is_empty_when_nothing_is_configured(api, stack):
    assert api.get("/auth/providers").json == {"items": []}


def test_a_configured_oidc_provider_signs_in_creates_then_finds_the_account(
    new_api, acme, acme_key
):
    first = new_api().post("/auth/acme", {"credential": acme_key.sign(acme_claims(acme))})
    assert first.status == 200, first.body
    assert first.json["created"] is True
    assert first.json["user"]["email"] == "jane.doe@gmail.com"

    again = new_api().post("/auth/acme", {"credential": acme_key.sign(acme_claims(acme))})

    assert again.status == 200, again.body
    assert again.json["created"] is False
    assert again.json["user"]["id"] == first.json["user"]["id"]


def test_subjects_that_differ_only_in_case_are_different_people(new_api, acme, acme_key):
    one = new_api().post(
        "/auth/acme",
        {"credential": acme_key.sign(acme_claims(acme, sub="AbC", email="one@example.com"))},
    )
    other = new_api().post(
        "/auth/acme",
        {"credential": acme_key.sign(acme_claims(acme, sub="abc", email="two@example.com"))},
    )

    assert one.status == other.status == 200, (one.body, other.body)
    assert one.json["user"]["id"] != other.json["user"]["id"]


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda k, _, iss: k.sign(acme_claims(iss, aud=CLIENT_ID)), id="other-audience"
        ),
        pytest.param(
            lambda k, _, iss: k.sign(acme_claims(iss, iss="https://evil.example.com")),
            id="other-issuer",
        ),
        pytest.param(
            lambda k, _, iss: k.sign(acme_claims(iss, issued_ago_s=7200, lifetime_s=3600)),
            id="expired",
        ),
        pytest.param(
            lambda k, _, iss: k.sign({c: v for c, v in acme_claims(iss).items() if c != "exp"}),
            id="no-expiry",
        ),
        pytest.param(lambda k, o, iss: o.sign(acme_claims(iss), kid=k.kid), id="another-key"),
        pytest.param(
            lambda k, _, iss: k.sign(acme_claims(iss))[:-6] + "AAAAAA", id="tampered-signature"
        ),
        pytest.param(lambda *_: "not-a-jwt", id="garbage"),
    ],
)
def test_an_oidc_token_that_does_not_verify_is_refused(api, acme, acme_key, stranger_key, forge):
    reply = api.post("/auth/acme", {"credential": forge(acme_key, stranger_key, acme)})

    assert_error(reply, 401, "unauthenticated")
    assert count_users() == 0
    assert api.jar == {}


def test_an_oidc_sign_in_with_an_unverified_address_is_refused(api, acme, acme_key):
    reply = api.post(
        "/auth/acme", {"credential": acme_key.sign(acme_claims(acme, email_verified=False))}
    )

    assert_error(reply, 403, "provider_email_unverified")
    assert count_users() == 0


def test_an_oidc_sign_in_links_only_a_verified_account(new_api, acme, acme_key, make_user):
    make_user("mallory", email="jane.doe@gmail.com", verified=False)
    token = acme_key.sign(acme_claims(acme))

    assert_error(
        new_api().post("/auth/acme", {"credential": token}), 409, "account_unverified_link"
    )


def test_an_oidc_sign_in_links_a_verified_account_with_that_address(
    new_api, acme, acme_key, make_user
):
    jane = make_user("jane", email="jane.doe@gmail.com", verified=True)

    reply = new_api().post("/auth/acme", {"credential": acme_key.sign(acme_claims(acme))})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["id"] == jane.id
    assert reply.json["created"] is False


def test_a_closed_oidc_account_frees_its_subject(new_api, acme, acme_key):
    browser = new_api()
    token = acme_key.sign(acme_claims(acme))
    first = browser.post("/auth/acme", {"credential": token}).json["user"]
    assert browser.delete("/users/me").status == 204

    again = new_api().post("/auth/acme", {"credential": token})

    assert again.status == 200, again.body
    assert again.json["created"] is True
    assert again.json["user"]["id"] != first["id"]


def test_a_discovery_document_naming_another_issuer_is_unavailable(api, acme, idp, acme_key):
    idp["discovered_issuer"] = "https://evil.example.com"

    reply = api.post("/auth/acme", {"credential": acme_key.sign(acme_claims(acme))})

    assert_error(reply, 503, "unavailable")


@pytest.mark.parametrize("provider", ["kakao", "facebook", "google"])
def test_a_provider_that_is_not_configured_is_not_found(api, stack, acme_key, provider):
    reply = api.post(f"/auth/{provider}", {"credential": acme_key.sign(claims())})

    assert_error(reply, 404, "not_found")


def test_a_provider_sign_in_requires_a_credential(api, acme):
    details = assert_error(api.post("/auth/acme", {}), 400, "invalid_request")

    assert set(details["fields"]) == {"credential"}


@pytest.mark.parametrize("path", ["/token", "/jwks", "/.well-known/openid-configuration", ""])
def test_the_development_provider_is_not_found_where_dev_idp_is_off(api, stack, path):
    method = api.post if path == "/token" else api.get
    args = ({"email": "a@example.com"},) if path == "/token" else ()

    assert_error(method(f"/dev/idp/google{path}", *args), 404, "not_found")
