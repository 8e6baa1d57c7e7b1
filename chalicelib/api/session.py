"""Who is calling: bearer tokens and cookies, the CSRF double-submit, and session cookies.

browser:  td_access (JWT, HttpOnly, Path=/api)  td_refresh (HttpOnly, Path=/api/auth)
          td_csrf (readable, Path=/) — unsafe cookie requests echo it in X-CSRF-Token
clients:  Authorization: Bearer <access>; no CSRF header needed
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from typing import Any

from chalice.app import Request

from chalicelib.api.http import UNSAFE, note_user
from chalicelib.config import get_settings
from chalicelib.errors import AccountDisabled, CsrfFailed, Unauthenticated
from chalicelib.services import devices, sessions

ACCESS = "td_access"
REFRESH = "td_refresh"
CSRF = "td_csrf"
CSRF_HEADER = "x-csrf-token"


def cookies(request: Request) -> dict[str, str]:
    """The request's cookies; a malformed pair is skipped, not fatal."""
    jar: dict[str, str] = {}
    for part in (request.headers.get("cookie") or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in jar:
            jar[name] = value.strip().strip('"')
    return jar


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def check_csrf(request: Request, jar: dict[str, str]) -> None:
    """An unsafe request authenticated by cookie must echo the CSRF cookie in a header."""
    if request.method not in UNSAFE:
        return
    expected = jar.get(CSRF, "")
    given = request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise CsrfFailed()


def actor(request: Request, *, nodes: Sequence[str | None] = ()) -> sessions.Actor:
    """The authenticated caller, or Unauthenticated (or CsrfFailed for a cookie request).
    The ``nodes`` the request names are read in the same round trip (see ``Actor.take``)."""
    token = bearer(request)
    if token is None:
        jar = cookies(request)
        token = jar.get(ACCESS)
        if not token:
            raise Unauthenticated()
        check_csrf(request, jar)
    found = sessions.authenticate(token, nodes=[i for i in nodes if i])
    note_user(request, found.user_id)
    return found


def client(request: Request) -> devices.Client:
    """What a sign-in came from: its User-Agent, and the source address API Gateway saw."""
    identity = (request.context or {}).get("identity") or {}
    return devices.Client(
        user_agent=request.headers.get("user-agent"), source_ip=identity.get("sourceIp")
    )


def optional_actor(request: Request) -> sessions.Actor | None:
    """The caller if signed in; None when not (or disabled: such a caller may still sign out)."""
    try:
        return actor(request)
    except (Unauthenticated, AccountDisabled):
        return None


def _cookie(name: str, value: str, *, path: str, max_age: int, http_only: bool) -> str:
    parts = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}", "SameSite=Lax"]
    if http_only:
        parts.append("HttpOnly")
    if get_settings().secure_cookies:
        parts.append("Secure")
    return "; ".join(parts)


def session_cookies(tokens: sessions.Tokens, *, csrf: str | None = None) -> dict[str, Any]:
    """Cookies for a session. A refresh passes the CSRF value that open pages already hold,
    which is set again so that it lives as long as the refreshed session."""
    ttl = get_settings().refresh_ttl_s
    return {
        "Set-Cookie": [
            _cookie(
                ACCESS, tokens.access_token, path="/api", max_age=tokens.expires_in, http_only=True
            ),
            _cookie(REFRESH, tokens.refresh_token, path="/api/auth", max_age=ttl, http_only=True),
            _cookie(
                CSRF, csrf or secrets.token_urlsafe(24), path="/", max_age=ttl, http_only=False
            ),
        ]
    }


def cleared_cookies() -> dict[str, Any]:
    return {
        "Set-Cookie": [
            _cookie(ACCESS, "", path="/api", max_age=0, http_only=True),
            _cookie(REFRESH, "", path="/api/auth", max_age=0, http_only=True),
            _cookie(CSRF, "", path="/", max_age=0, http_only=False),
        ]
    }
