"""Google sign-in (POST /auth/google) with ID tokens signed by a test RSA key, checked by the
real google-auth verifier against certificates served from a local HTTP server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest

from tests.api.google_keys import CLIENT_ID, SigningKey, claims, make_key
from tests.client import assert_error
from tests.conftest import REGION, reset_settings

ROOT = Path(__file__).resolve().parents[2]
USERNAME = re.compile(r"[a-z0-9_.-]{3,30}")


@pytest.fixture(scope="session")
def google_key() -> SigningKey:
    return make_key()


@pytest.fixture(scope="session")
def stranger_key() -> SigningKey:
    """A key Google never published."""
    return make_key()


@dataclass
class CertServer:
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()


@pytest.fixture
def cert_server(google_key: SigningKey) -> Iterator[CertServer]:
    """Google's certificate endpoint, played by a tiny HTTP server on a free local port."""
    body = json.dumps({google_key.kid: google_key.certificate_pem}).encode()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path != "/certs":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    running = CertServer(server, thread)
    yield running
    running.stop()


@pytest.fixture
def google(stack, cert_server: CertServer, google_key: SigningKey, monkeypatch) -> SigningKey:
    """Google sign-in enabled, verifying against the test certificate server."""
    monkeypatch.setenv("GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("GOOGLE_CERTS_URL", f"{cert_server.base}/certs")
    reset_settings()
    return google_key


def sign_in(client, credential: str):
    return client.post("/auth/google", {"credential": credential})


def count_items(table: str) -> int:
    client = boto3.client("dynamodb", region_name=REGION)
    return client.scan(TableName=f"test-{table}", Select="COUNT")["Count"]


def stored_user(user_id: str) -> dict:
    client = boto3.client("dynamodb", region_name=REGION)
    return client.get_item(TableName="test-users", Key={"user_id": {"S": user_id}})["Item"]


def guard_exists(key: str) -> bool:
    client = boto3.client("dynamodb", region_name=REGION)
    return "Item" in client.get_item(TableName="test-uniques", Key={"key": {"S": key}})


# --- new and returning Google users -----------------------------------------------------


def test_google_sign_in_creates_a_verified_account_and_a_session(api, google):
    reply = sign_in(api, google.sign(claims(email="Jane.Doe@Gmail.com", name="Jane Doe")))

    assert reply.status == 200, reply.body
    assert set(reply.json) == {"user", "created"}
    assert reply.json["created"] is True
    user = reply.json["user"]
    assert user["email"] == "Jane.Doe@gmail.com"
    assert user["email_verified"] is True
    assert user["nickname"] == "Jane Doe"
    assert user["username"] == "jane.doe"
    assert set(api.jar) == {"td_access", "td_refresh", "td_csrf"}
    me = api.get("/users/me")
    assert me.status == 200, me.body
    assert me.json["user"]["id"] == user["id"]


def test_google_sign_in_cleans_a_display_name_it_cannot_store(api, google):
    reply = sign_in(api, google.sign(claims(email="odd@gmail.com", name="Odd\x00 Name" + "x" * 60)))

    assert reply.status == 200, reply.body
    nickname = reply.json["user"]["nickname"]
    assert nickname.startswith("Odd Name") and len(nickname) <= 50


def test_google_sign_in_refuses_an_address_we_cannot_mail_naming_the_credential(api, google):
    reply = sign_in(api, google.sign(claims(email="jöe@gmail.com")))

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"credential"}


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("jane.doe+work@gmail.com", "jane.doework"),
        ("jo@gmail.com", "jo0"),
        ("a" * 40 + "@gmail.com", "a" * 24),
    ],
    ids=["plus-dropped", "padded-to-3", "cut-to-24"],
)
def test_google_sign_in_derives_a_valid_username_from_the_email(api, google, email, expected):
    reply = sign_in(api, google.sign(claims(email=email)))

    assert reply.status == 200, reply.body
    username = reply.json["user"]["username"]
    assert USERNAME.fullmatch(username)
    assert username == expected


def test_google_sign_in_picks_another_username_when_the_derived_one_is_taken(
    api, google, make_user
):
    make_user("jane.doe", email="jane@example.com")

    reply = sign_in(api, google.sign(claims(email="jane.doe@gmail.com")))

    assert reply.status == 200, reply.body
    username = reply.json["user"]["username"]
    assert USERNAME.fullmatch(username)
    assert username.startswith("jane.doe-")


def test_the_same_google_account_signs_in_again(new_api, google):
    first = sign_in(new_api(), google.sign(claims(sub="sub-42")))
    assert first.json["created"] is True

    again = sign_in(new_api(), google.sign(claims(sub="sub-42", email="renamed@gmail.com")))

    assert again.status == 200, again.body
    assert again.json["created"] is False
    assert again.json["user"]["id"] == first.json["user"]["id"]
    assert count_items("users") == 1


# --- tokens that must not get in --------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda key, _: key.sign(claims(aud="someone-else")), id="wrong-audience"),
        pytest.param(
            lambda key, _: key.sign(claims(issued_ago_s=7200, lifetime_s=3600)), id="expired"
        ),
        pytest.param(lambda _, other: other.sign(claims(), kid=_.kid), id="signed-by-another-key"),
        pytest.param(lambda _, other: other.sign(claims()), id="unknown-key-id"),
        pytest.param(
            lambda key, _: key.sign(claims(iss="https://evil.example.com")), id="wrong-issuer"
        ),
        pytest.param(lambda key, _: key.sign(claims(sub="")), id="no-subject"),
        pytest.param(lambda *_: "not-a-jwt", id="garbage"),
    ],
)
def test_google_sign_in_refuses_a_token_that_does_not_verify(api, google, stranger_key, forge):
    reply = sign_in(api, forge(google, stranger_key))

    assert_error(reply, 401, "unauthenticated")
    assert count_items("users") == 0
    assert api.jar == {}


def test_google_sign_in_refuses_an_address_google_has_not_verified(api, google):
    reply = sign_in(api, google.sign(claims(email_verified=False)))

    assert_error(reply, 403, "google_email_unverified")
    assert count_items("users") == 0


# --- linking to an existing account -----------------------------------------------------


def test_google_sign_in_links_an_account_with_the_same_verified_email_in_any_case(
    new_api, google, make_user
):
    jane = make_user("jane", email="jane@example.com", verified=True)
    google_email = "JANE@Example.com"

    reply = sign_in(new_api(), google.sign(claims(sub="sub-jane", email=google_email)))

    assert reply.status == 200, reply.body
    assert reply.json["created"] is False
    assert reply.json["user"]["id"] == jane.id
    assert reply.json["user"]["username"] == "jane"
    assert count_items("users") == 1
    again = sign_in(new_api(), google.sign(claims(sub="sub-jane", email=google_email)))
    assert again.json["user"]["id"] == jane.id
    password = new_api().post("/auth/login", {"login": "jane", "password": jane.password})
    assert password.status == 200, password.body


def test_google_sign_in_does_not_link_an_account_whose_email_is_unverified(api, google, make_user):
    jane = make_user("jane", email="jane@example.com", verified=False)
    token = google.sign(claims(sub="sub-jane", email="jane@example.com"))

    assert_error(sign_in(api, token), 409, "google_account_unverified_link")

    assert "google_sub" not in stored_user(jane.id)
    assert not guard_exists("google#sub-jane")
    assert count_items("users") == 1
    assert api.jar == {}
    assert_error(sign_in(api, token), 409, "google_account_unverified_link")


def test_google_sign_in_does_not_relink_an_account_linked_to_another_google_account(
    new_api, google, make_user
):
    jane = make_user("jane", email="jane@example.com")
    first = sign_in(new_api(), google.sign(claims(sub="sub-one", email="jane@example.com")))
    assert first.json["user"]["id"] == jane.id

    reply = sign_in(new_api(), google.sign(claims(sub="sub-two", email="jane@example.com")))

    assert_error(reply, 409, "conflict")
    assert not guard_exists("google#sub-two")


# --- configuration and outages ----------------------------------------------------------


def test_google_sign_in_is_not_found_when_no_client_id_is_configured(
    api, google_key, cert_server, monkeypatch
):
    monkeypatch.setenv("GOOGLE_CERTS_URL", f"{cert_server.base}/certs")
    reset_settings()

    assert_error(sign_in(api, google_key.sign(claims())), 404, "not_found")


def test_google_sign_in_is_unavailable_when_the_certificates_cannot_be_fetched(
    api, google, cert_server
):
    token = google.sign(claims())
    cert_server.stop()

    assert_error(sign_in(api, token), 503, "unavailable")
    assert count_items("users") == 0


def test_google_sign_in_is_unavailable_when_the_certificate_endpoint_errs(
    api, google, cert_server, monkeypatch
):
    monkeypatch.setenv("GOOGLE_CERTS_URL", f"{cert_server.base}/gone")
    reset_settings()

    assert_error(sign_in(api, google.sign(claims())), 503, "unavailable")


def test_google_sign_in_requires_a_credential(api, google):
    details = assert_error(api.post("/auth/google", {}), 400, "invalid_request")

    assert set(details["fields"]) == {"credential"}


# --- Google-only accounts ---------------------------------------------------------------


def test_a_google_only_account_sets_a_password_without_a_current_one(new_api, google):
    browser = new_api()
    user = sign_in(browser, google.sign(claims(email="jane@gmail.com"))).json["user"]

    reply = browser.post("/users/me/password", {"new_password": "a brand new secret"})

    assert reply.status == 204, reply.body
    login = new_api().post("/auth/login", {"login": "jane", "password": "a brand new secret"})
    assert login.status == 200, login.body
    assert login.json["user"]["id"] == user["id"]


def test_a_google_only_account_closes_without_a_password(new_api, google):
    browser = new_api()
    token = google.sign(claims(sub="sub-jane", email="jane@gmail.com"))
    first = sign_in(browser, token).json["user"]

    assert browser.delete("/users/me").status == 204

    assert not guard_exists("google#sub-jane")
    again = sign_in(new_api(), token)
    assert again.json["created"] is True
    assert again.json["user"]["id"] != first["id"]


# --- cold start -------------------------------------------------------------------------


def test_importing_the_app_loads_neither_google_auth_nor_media_libraries():
    probe = (
        "import app, sys; "
        "print(sorted(m for m in sys.modules if m.startswith(('google.auth','PIL','ffmpeg'))))"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
