"""Sessions: bearer tokens, refresh rotation and replay, signing out, forged access tokens, and
the events that end sessions (password change, password reset, a disabled account)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest

from chalicelib.models.users import UserModel
from tests.client import assert_error
from tests.conftest import REGION, link_token

PASSWORD = "correct horse 1"
NEW_PASSWORD = "another horse 2"
SECRET_ID = "teamdrive/test/signing-key"


SHARED_STACK = True  # see tests/conftest.py: module_stack


def refresh_by_body(new_api, refresh_token: str, route: str = "/auth/token"):
    return new_api().post(route, {"refresh_token": refresh_token})


def me(client):
    return client.get("/users/me")


def as_bearer(new_api, access_token: str):
    return new_api(bearer=access_token)


def as_cookie(new_api, access_token: str):
    return new_api(jar={"td_access": access_token})


TRANSPORTS = [pytest.param(as_bearer, id="bearer"), pytest.param(as_cookie, id="cookie")]


def set_cookies(reply) -> dict[str, str]:
    """The Set-Cookie lines of a reply, by cookie name."""
    return {line.split("=", 1)[0]: line for line in reply.cookies()}


# --- bearer tokens --------------------------------------------------------------------------


def test_token_answers_a_bearer_pair(new_api, user):
    reply = new_api().post("/auth/token", {"login": user.username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    body = reply.json
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["access_token"].count(".") == 2
    assert body["refresh_token"] and body["refresh_token"] != body["access_token"]


def test_bearer_token_works_without_csrf_header_or_cookies(token_client, user):
    script = token_client(user)
    assert script.jar == {}
    assert me(script).json["user"]["id"] == user.id
    reply = script.patch("/users/me", {"nickname": "Scripted"})
    assert reply.status == 200, reply.body
    assert reply.json["user"]["nickname"] == "Scripted"


@pytest.mark.parametrize("route", ["/auth/token", "/auth/refresh"])
def test_refresh_token_in_the_body_rotates_the_pair(new_api, token_client, user, route):
    script = token_client(user)
    reply = refresh_by_body(new_api, script.refresh_token, route)
    assert reply.status == 200, reply.body
    body = reply.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["refresh_token"] != script.refresh_token
    assert me(as_bearer(new_api, body["access_token"])).status == 200
    assert reply.cookies() == []


def test_refresh_by_cookie_sets_new_session_cookies_and_keeps_the_csrf_cookie(login, user):
    browser = login(user)
    before = dict(browser.jar)
    reply = browser.post("/auth/refresh")
    assert reply.status == 200, reply.body
    assert reply.json["user"]["id"] == user.id
    assert reply.json["expires_in"] == 900
    assert {"td_access", "td_refresh"} <= set(set_cookies(reply))
    # td_csrf may be set again to live as long as the session, but keeps its value.
    assert browser.jar["td_csrf"] == before["td_csrf"]
    assert browser.jar["td_refresh"] != before["td_refresh"]
    assert me(browser).status == 200
    # The CSRF value pages already hold still works for unsafe requests.
    assert browser.patch("/users/me", {"nickname": "Still Me"}).status == 200


@pytest.mark.parametrize(
    "jar",
    [pytest.param({}, id="no-cookies"), pytest.param({"td_csrf": "x"}, id="only-csrf-cookie")],
)
def test_refresh_without_a_refresh_token_is_unauthenticated(new_api, jar):
    reply = new_api(jar=dict(jar)).post("/auth/refresh", headers={"x-csrf-token": "x"})
    assert_error(reply, 401, "unauthenticated")


@pytest.mark.parametrize(
    "refresh_token, status, code",
    [
        pytest.param("never-issued", 401, "unauthenticated", id="never-issued"),
        pytest.param("", 400, "invalid_request", id="empty"),
        pytest.param("x" * 201, 400, "invalid_request", id="too-long"),
        pytest.param(12345, 400, "invalid_request", id="number"),
    ],
)
@pytest.mark.parametrize("route", ["/auth/token", "/auth/refresh"])
def test_a_refresh_token_never_issued_is_refused(new_api, route, refresh_token, status, code):
    details = assert_error(refresh_by_body(new_api, refresh_token, route), status, code)
    if status == 400:
        assert set(details["fields"]) == {"refresh_token"}


# --- replaying a rotated refresh token --------------------------------------------------------


@pytest.mark.parametrize("route", ["/auth/token", "/auth/refresh"])
def test_replayed_refresh_token_is_refused_and_revokes_its_whole_family(
    new_api, token_client, user, route
):
    script = token_client(user)
    rotated = refresh_by_body(new_api, script.refresh_token, route)
    assert rotated.status == 200
    assert_error(refresh_by_body(new_api, script.refresh_token, route), 401, "unauthenticated")
    newest = rotated.json["refresh_token"]
    assert_error(refresh_by_body(new_api, newest, route), 401, "unauthenticated")


def test_replayed_refresh_cookie_revokes_the_browser_family(new_api, login, user):
    browser = login(user)
    stolen = dict(browser.jar)
    assert browser.post("/auth/refresh").status == 200
    thief = new_api(jar=stolen)
    assert_error(thief.post("/auth/refresh"), 401, "unauthenticated")
    assert_error(browser.post("/auth/refresh"), 401, "unauthenticated")


def test_replay_stops_the_access_tokens_of_the_revoked_family(new_api, token_client, user):
    # sessions.py: "R1 shown again -> family revoked: R3 and every access token of it stop".
    script = token_client(user)
    rotated = refresh_by_body(new_api, script.refresh_token)
    assert rotated.status == 200
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    newest_access = as_bearer(new_api, rotated.json["access_token"])
    assert_error(me(newest_access), 401, "unauthenticated")


def test_replay_leaves_the_users_other_sessions_alone(new_api, token_client, login, user):
    script, browser = token_client(user), login(user)
    assert refresh_by_body(new_api, script.refresh_token).status == 200
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    assert me(browser).status == 200
    assert browser.post("/auth/refresh").status == 200


# --- signing out ----------------------------------------------------------------------------


def test_logout_clears_the_session_cookies(login, user):
    browser = login(user)
    reply = browser.post("/auth/logout")
    assert reply.status == 204, reply.body
    cleared = set_cookies(reply)
    assert sorted(cleared) == ["td_access", "td_csrf", "td_refresh"]
    for name, line in cleared.items():
        assert line.startswith(f"{name}=;"), line
        assert "Max-Age=0" in line, line
    assert browser.jar == {}


@pytest.mark.parametrize(
    "drop_access_cookie",
    [pytest.param(False, id="with-access-cookie"), pytest.param(True, id="refresh-cookie-only")],
)
def test_logout_revokes_the_browser_refresh_family(new_api, login, user, drop_access_cookie):
    browser = login(user)
    refresh_token = browser.jar["td_refresh"]
    if drop_access_cookie:  # an access cookie past its 15 minutes is gone from the browser
        del browser.jar["td_access"]
    assert browser.post("/auth/logout").status == 204
    assert_error(refresh_by_body(new_api, refresh_token), 401, "unauthenticated")


def test_logout_by_bearer_revokes_its_family_only(new_api, token_client, user):
    script, other = token_client(user), token_client(user)
    assert script.post("/auth/logout").status == 204
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    assert refresh_by_body(new_api, other.refresh_token).status == 200
    assert me(other).status == 200


def test_logout_without_a_session_still_answers_204(api):
    assert api.post("/auth/logout").status == 204


def test_logout_all_stops_every_session_at_once(new_api, login, token_client, user):
    browser, script = login(user), token_client(user)
    browser_refresh = browser.jar["td_refresh"]
    reply = script.post("/auth/logout-all")
    assert reply.status == 204, reply.body
    assert_error(me(browser), 401, "unauthenticated")
    assert_error(me(script), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, browser_refresh), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    assert_error(browser.post("/auth/refresh"), 401, "unauthenticated")


def test_logout_all_by_cookie_clears_the_callers_cookies(login, user):
    browser = login(user)
    reply = browser.post("/auth/logout-all")
    assert reply.status == 204
    assert all("Max-Age=0" in line for line in set_cookies(reply).values())
    assert browser.jar == {}


def test_signing_in_again_after_logout_all_works(new_api, token_client, login, user):
    assert token_client(user).post("/auth/logout-all").status == 204
    assert me(login(user)).status == 200


# --- forged and broken access tokens ----------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sign(claims: dict[str, Any], key: bytes, *, kid: str | None, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid} if kid else None)


def without(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in claims.items() if key != name}


@dataclass(frozen=True)
class Genuine:
    """A real access token of a live session, its claims, and the key that signed it."""

    token: str
    claims: dict[str, Any]
    kid: str
    key: bytes

    def resigned(self, claims: dict[str, Any], **options: Any) -> str:
        return sign(claims, self.key, **{"kid": self.kid, **options})


@pytest.fixture(scope="module")
def issued() -> dict[str, Any]:
    """What ``genuine`` made, kept for the module: the tests using it only read it."""
    return {}


@pytest.fixture
def genuine(issued, token_client, make_user) -> Genuine:
    if not issued:
        access = token_client(make_user()).bearer
        # The signing key, read from Secrets Manager in moto as the app reads it.
        secrets = boto3.client("secretsmanager", region_name=REGION)
        ring = json.loads(secrets.get_secret_value(SecretId=SECRET_ID)["SecretString"])
        kid = ring["current"]
        issued["genuine"] = Genuine(access, claims_of(access), kid, ring[kid].encode())
    return issued["genuine"]


def _payload_changed(g: Genuine) -> str:
    header, _, signature = g.token.split(".")
    return ".".join([header, b64json({**g.claims, "exp": g.claims["exp"] + 86400}), signature])


def _alg_none(g: Genuine) -> str:
    return f"{b64json({'alg': 'none', 'typ': 'JWT', 'kid': g.kid})}.{b64json(g.claims)}."


def _alg_none_keeping_signature(g: Genuine) -> str:
    return ".".join([b64json({"alg": "none", "kid": g.kid}), *g.token.split(".")[1:]])


NOW = int(time.time())
# Each makes, from a genuine token, one that must be refused.
FORGERIES: dict[str, Callable[[Genuine], str]] = {
    "payload-changed": _payload_changed,
    "signed-with-another-key": lambda g: sign(g.claims, b"k" * 48, kid=g.kid),
    "alg-none": _alg_none,
    "alg-none-keeping-signature": _alg_none_keeping_signature,
    "signature-stripped": lambda g: g.token.rsplit(".", 1)[0] + ".",
    "hs512-with-the-real-key": lambda g: g.resigned(g.claims, alg="HS512"),
    "hs384-with-the-real-key": lambda g: g.resigned(g.claims, alg="HS384"),
    "expired": lambda g: g.resigned({**g.claims, "iat": NOW - 3600, "exp": NOW - 60}),
    "not-yet-valid": lambda g: g.resigned({**g.claims, "nbf": NOW + 3600}),
    "wrong-audience": lambda g: g.resigned({**g.claims, "aud": "another-api"}),
    "wrong-issuer": lambda g: g.resigned({**g.claims, "iss": "https://evil.example"}),
    "unknown-kid": lambda g: g.resigned(g.claims, kid="retired-key"),
    "no-kid": lambda g: g.resigned(g.claims, kid=None),
    "missing-ver": lambda g: g.resigned(without(g.claims, "ver")),
    "missing-sid": lambda g: g.resigned(without(g.claims, "sid")),
    "missing-exp": lambda g: g.resigned(without(g.claims, "exp")),
    "missing-sub": lambda g: g.resigned(without(g.claims, "sub")),
    "missing-aud": lambda g: g.resigned(without(g.claims, "aud")),
    "missing-iss": lambda g: g.resigned(without(g.claims, "iss")),
    "stale-version": lambda g: g.resigned({**g.claims, "ver": g.claims["ver"] - 1}),
    "version-as-string": lambda g: g.resigned({**g.claims, "ver": str(g.claims["ver"])}),
    "unknown-user": lambda g: g.resigned({**g.claims, "sub": uuid.uuid4().hex}),
    "two-segments": lambda g: g.token.rsplit(".", 1)[0],
}
BROKEN = {"garbage": "garbage", "not-base64": "!!!.###.$$$", "dots-only": ".."}


def test_a_token_rebuilt_with_the_real_key_is_accepted(new_api, genuine):
    # The control for the forgeries below: rebuilding a token this way yields a valid one.
    rebuilt = genuine.resigned(dict(genuine.claims))
    for transport in (as_bearer, as_cookie):
        assert me(transport(new_api, rebuilt)).json["user"]["id"] == genuine.claims["sub"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("forge", list(FORGERIES.values()), ids=list(FORGERIES))
def test_a_forged_access_token_is_unauthenticated(new_api, genuine, forge, transport):
    forged = forge(genuine)
    assert forged != genuine.token
    assert_error(me(transport(new_api, forged)), 401, "unauthenticated")


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("token", list(BROKEN.values()), ids=list(BROKEN))
def test_a_broken_access_token_is_unauthenticated(new_api, token, transport):
    assert_error(me(transport(new_api, token)), 401, "unauthenticated")


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Basic dXNlcjpwYXNz", id="basic"),
        pytest.param("Bearer", id="bearer-without-token"),
        pytest.param("Bearer    ", id="bearer-blank"),
        pytest.param("Token abc", id="other-scheme"),
    ],
)
def test_an_authorization_header_without_a_bearer_token_is_unauthenticated(api, authorization):
    assert_error(
        api.get("/users/me", headers={"authorization": authorization}), 401, "unauthenticated"
    )


def test_a_request_without_credentials_is_unauthenticated(api):
    assert_error(me(api), 401, "unauthenticated")


# --- events that end sessions -----------------------------------------------------------------


def change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return client.post("/users/me/password", {"current_password": current, "new_password": new})


def test_password_change_ends_other_sessions_but_keeps_the_callers_cookie_session(
    new_api, login, token_client, user
):
    browser, other_browser, script = login(user), login(user), token_client(user)
    old_access = browser.jar["td_access"]
    reply = change_password(browser)
    assert reply.status == 204, reply.body
    # The caller's session goes on as it was: no new cookies are needed.
    assert set_cookies(reply) == {}
    assert browser.jar["td_access"] == old_access

    assert_error(me(other_browser), 401, "unauthenticated")
    assert_error(me(script), 401, "unauthenticated")
    assert_error(other_browser.post("/auth/refresh"), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")

    assert me(browser).status == 200
    assert browser.post("/auth/refresh").status == 200
    assert me(browser).status == 200


def test_password_change_switches_the_password(new_api, login, user):
    assert change_password(login(user)).status == 204
    old = new_api().post("/auth/login", {"login": user.username, "password": PASSWORD})
    assert_error(old, 401, "invalid_credentials")
    new = new_api().post("/auth/login", {"login": user.username, "password": NEW_PASSWORD})
    assert new.status == 200


def test_password_change_by_bearer_keeps_the_callers_refresh_family(new_api, token_client, user):
    script, other = token_client(user), token_client(user)
    reply = change_password(script)
    assert reply.status == 204, reply.body
    assert reply.cookies() == []
    assert_error(refresh_by_body(new_api, other.refresh_token), 401, "unauthenticated")
    assert_error(me(other), 401, "unauthenticated")
    kept = refresh_by_body(new_api, script.refresh_token)
    assert kept.status == 200, kept.body
    assert me(as_bearer(new_api, kept.json["access_token"])).status == 200


def test_a_wrong_current_password_changes_nothing(new_api, login, token_client, user):
    browser, script = login(user), token_client(user)
    assert_error(change_password(browser, current="not my password"), 403, "wrong_password")
    assert me(browser).status == 200
    assert me(script).status == 200
    assert refresh_by_body(new_api, script.refresh_token).status == 200
    signed_in = new_api().post("/auth/login", {"login": user.username, "password": PASSWORD})
    assert signed_in.status == 200


def test_reset_password_ends_every_session(new_api, api, login, token_client, outbox, user):
    browser, script = login(user), token_client(user)
    assert api.post("/auth/forgot-password", {"login": user.username}).status == 202
    mail = [m for m in outbox() if m.to == user.email][-1]
    token = link_token(mail, "/reset-password")
    reply = api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD})
    assert reply.status == 204, reply.body

    assert_error(me(browser), 401, "unauthenticated")
    assert_error(me(script), 401, "unauthenticated")
    assert_error(browser.post("/auth/refresh"), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    signed_in = new_api().post("/auth/login", {"login": user.username, "password": NEW_PASSWORD})
    assert signed_in.status == 200


# --- a disabled account -----------------------------------------------------------------------


def disable(user) -> None:
    """What an operator's PATCH /admin/users/{id} does, done straight to the table."""
    UserModel.get(user.id).update(actions=[UserModel.disabled.set(True)])


@pytest.mark.parametrize(
    "session",
    [pytest.param("login", id="cookie-session"), pytest.param("token_client", id="bearer")],
)
def test_a_disabled_account_is_refused_on_its_live_sessions(request, user, session):
    client = request.getfixturevalue(session)(user)
    disable(user)
    assert_error(me(client), 403, "account_disabled")
    reply = client.patch("/users/me", {"nickname": "Still here"})
    assert_error(reply, 403, "account_disabled")


@pytest.mark.parametrize("route", ["/auth/login", "/auth/token"])
def test_a_disabled_account_cannot_sign_in(new_api, user, route):
    disable(user)
    reply = new_api().post(route, {"login": user.username, "password": PASSWORD})
    assert_error(reply, 403, "account_disabled")
    assert reply.cookies() == []


def test_a_disabled_account_with_a_wrong_password_reveals_nothing(new_api, user):
    disable(user)
    reply = new_api().post("/auth/login", {"login": user.username, "password": "not it at all"})
    assert_error(reply, 401, "invalid_credentials")


def test_a_disabled_account_cannot_refresh(new_api, token_client, login, user):
    script, browser = token_client(user), login(user)
    disable(user)
    assert_error(refresh_by_body(new_api, script.refresh_token), 403, "account_disabled")
    assert_error(browser.post("/auth/refresh"), 403, "account_disabled")


def family_expiry(family_id: str) -> int:
    item = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName="test-tokens", Key={"key": {"S": f"family#{family_id}"}}, ConsistentRead=True
    )["Item"]
    return int(item["expires_ttl"]["N"])


def test_a_session_in_use_lives_on_past_its_first_fortnight(new_api, token_client, user):
    script = token_client(user)
    family_id = jwt.decode(script.bearer, options={"verify_signature": False})["sid"]
    before = family_expiry(family_id)
    time.sleep(1.1)

    assert refresh_by_body(new_api, script.refresh_token).status == 200

    assert family_expiry(family_id) > before


def test_a_disabled_account_can_still_sign_out(login, user):
    browser = login(user)
    UserModel(user.id).update(actions=[UserModel.disabled.set(True)])

    reply = browser.post("/auth/logout")

    assert reply.status == 204, reply.body
    assert browser.jar == {}


# --- signed-in devices ------------------------------------------------------------------------

CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SESSION_FIELDS = {"id", "device", "network", "created_at", "last_used_at", "current"}


def sign_in_from(new_api, user, user_agent: str | None, *, route: str = "/auth/login"):
    """A client signed in with ``user_agent``: a browser by cookie, or a script by bearer."""
    client = new_api()
    headers = {"user-agent": user_agent} if user_agent is not None else {}
    reply = client.post(route, {"login": user.username, "password": user.password}, headers=headers)
    assert reply.status == 200, reply.body
    if route == "/auth/token":
        client.bearer = reply.json["access_token"]
        client.refresh_token = reply.json["refresh_token"]
    return client


def sid(client) -> str:
    """The session (family) id of a signed-in client, as its access token carries it."""
    return claims_of(client.bearer or client.jar["td_access"])["sid"]


def sessions_of(client) -> list[dict[str, Any]]:
    reply = client.get("/auth/sessions")
    assert reply.status == 200, reply.body
    assert set(reply.json) == {"items"}
    return reply.json["items"]


def test_the_list_shows_each_sign_in_and_which_one_is_this(new_api, user):
    browser = sign_in_from(new_api, user, CHROME_MAC)
    script = sign_in_from(new_api, user, "curl/8.5.0", route="/auth/token")

    seen_by_browser = sessions_of(browser)
    seen_by_script = sessions_of(script)

    assert {s["id"] for s in seen_by_browser} == {sid(browser), sid(script)}
    by_id = {s["id"]: s for s in seen_by_browser}
    assert by_id[sid(browser)]["current"] is True
    assert by_id[sid(script)]["current"] is False
    assert seen_by_browser[0]["id"] == sid(browser)  # the caller's own comes first
    assert by_id[sid(browser)]["device"] == "Chrome on macOS"
    assert by_id[sid(script)]["device"] == "curl"
    assert {s["id"]: s["current"] for s in seen_by_script} == {
        sid(browser): False,
        sid(script): True,
    }
    for item in seen_by_browser:
        assert set(item) == SESSION_FIELDS
        # Chalice's local gateway reports 127.0.0.1: only its /24 is kept.
        assert item["network"] == "127.0.0.0/24"
        assert item["created_at"].endswith("Z") and item["last_used_at"] >= item["created_at"]


@pytest.mark.parametrize(
    "user_agent, device",
    [
        pytest.param(CHROME_MAC, "Chrome on macOS", id="chrome-macos"),
        pytest.param(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
            id="safari-iphone",
        ),
        pytest.param(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
            id="firefox-windows",
        ),
        pytest.param(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
            id="edge-windows",
        ),
        pytest.param(
            "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
            id="samsung-android",
        ),
        pytest.param(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Whale/3.27.254.15 Safari/537.36",
            "Whale on Windows",
            id="whale-windows",
        ),
        pytest.param(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/126.0.6478.153 Mobile/15E148 Safari/604.1",
            "Chrome on iPhone",
            id="chrome-ios",
        ),
        pytest.param(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
            id="firefox-linux",
        ),
        pytest.param("python-requests/2.32.3", "Python", id="python-requests"),
        pytest.param("<script>alert(1)</script>", None, id="unknown-is-not-echoed"),
        pytest.param(None, None, id="no-user-agent"),
    ],
)
def test_the_device_is_read_from_the_sign_ins_user_agent(new_api, user, user_agent, device):
    client = sign_in_from(new_api, user, user_agent)
    (own,) = [s for s in sessions_of(client) if s["current"]]
    assert own["device"] == device


def test_ending_another_session_stops_its_access_token_at_once_and_its_refresh(new_api, user):
    browser = sign_in_from(new_api, user, CHROME_MAC)
    script = sign_in_from(new_api, user, "curl/8.5.0", route="/auth/token")
    assert me(script).status == 200

    reply = browser.delete(f"/auth/sessions/{sid(script)}")

    assert reply.status == 204, reply.body
    assert reply.cookies() == []  # the caller stays signed in
    assert_error(me(script), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, script.refresh_token), 401, "unauthenticated")
    assert me(browser).status == 200
    assert [s["id"] for s in sessions_of(browser)] == [sid(browser)]


def test_ending_the_current_session_signs_out(new_api, user):
    browser = sign_in_from(new_api, user, CHROME_MAC)
    other = sign_in_from(new_api, user, CHROME_MAC)
    access, refresh_token = browser.jar["td_access"], browser.jar["td_refresh"]

    reply = browser.delete(f"/auth/sessions/{sid(browser)}")

    assert reply.status == 204, reply.body
    assert all("Max-Age=0" in line for line in set_cookies(reply).values())
    assert sorted(set_cookies(reply)) == ["td_access", "td_csrf", "td_refresh"]
    assert browser.jar == {}
    assert_error(me(as_bearer(new_api, access)), 401, "unauthenticated")
    assert_error(refresh_by_body(new_api, refresh_token), 401, "unauthenticated")
    assert me(other).status == 200


def test_another_accounts_session_is_404_and_goes_on(new_api, make_user, user):
    mine = sign_in_from(new_api, user, CHROME_MAC)
    theirs = sign_in_from(new_api, make_user(), CHROME_MAC, route="/auth/token")

    assert_error(mine.delete(f"/auth/sessions/{sid(theirs)}"), 404, "not_found")

    assert me(theirs).status == 200
    assert refresh_by_body(new_api, theirs.refresh_token).status == 200
    assert sid(theirs) not in {s["id"] for s in sessions_of(mine)}


@pytest.mark.parametrize(
    "session_id",
    [
        pytest.param(uuid.uuid4().hex, id="unknown"),
        pytest.param(uuid.uuid4().hex.upper(), id="upper-case"),
        pytest.param(uuid.uuid4().hex[:-1], id="short"),
        pytest.param("family%23" + uuid.uuid4().hex, id="key-prefix"),
        pytest.param("x" * 2000, id="long"),
    ],
)
def test_a_malformed_or_unknown_session_id_is_404_and_ends_nothing(new_api, user, session_id):
    browser = sign_in_from(new_api, user, CHROME_MAC)
    assert_error(browser.delete(f"/auth/sessions/{session_id}"), 404, "not_found")
    assert me(browser).status == 200
    assert [s["id"] for s in sessions_of(browser)] == [sid(browser)]


def test_the_list_never_shows_a_token(new_api, user):
    browser = sign_in_from(new_api, user, CHROME_MAC)
    script = sign_in_from(new_api, user, "curl/8.5.0", route="/auth/token")
    secrets = [
        browser.jar["td_access"],
        browser.jar["td_refresh"],
        browser.jar["td_csrf"],
        script.bearer,
        script.refresh_token,
    ]
    for client in (browser, script):
        body = client.get("/auth/sessions").body.decode()
        for secret in secrets:
            assert secret not in body
            assert hashlib.sha256(secret.encode()).hexdigest() not in body
        assert all(set(item) == SESSION_FIELDS for item in json.loads(body)["items"])


def test_last_used_moves_at_refresh_and_not_on_each_request(new_api, user):
    script = sign_in_from(new_api, user, "curl/8.5.0", route="/auth/token")
    (before,) = sessions_of(script)
    time.sleep(1.1)
    assert me(script).status == 200
    assert sessions_of(script) == [before]

    refreshed = refresh_by_body(new_api, script.refresh_token)
    assert refreshed.status == 200
    (after,) = sessions_of(as_bearer(new_api, refreshed.json["access_token"]))

    assert after["id"] == before["id"] and after["created_at"] == before["created_at"]
    assert after["last_used_at"] > before["last_used_at"]


def test_sessions_ended_by_sign_out_everywhere_are_not_listed(new_api, user):
    old = sign_in_from(new_api, user, CHROME_MAC)
    assert old.post("/auth/logout-all").status == 204
    new = sign_in_from(new_api, user, CHROME_MAC)
    assert [s["id"] for s in sessions_of(new)] == [sid(new)]


def test_the_session_routes_need_a_session(api):
    assert_error(api.get("/auth/sessions"), 401, "unauthenticated")
    assert_error(api.delete(f"/auth/sessions/{uuid.uuid4().hex}"), 401, "unauthenticated")
