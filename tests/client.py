"""A small browser-like client over Chalice's test client: JSON bodies, a cookie jar, the
CSRF header, and the one error assertion every API test uses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalice.test import Client

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Reply:
    status: int
    headers: dict[str, Any]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def cookies(self) -> list[str]:
        raw = self.headers.get("Set-Cookie") or self.headers.get("set-cookie") or []
        return [raw] if isinstance(raw, str) else list(raw)


@dataclass
class Api:
    client: Client
    jar: dict[str, str] = field(default_factory=dict)
    bearer: str | None = None
    origin: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        csrf: bool = True,
    ) -> Reply:
        sent: dict[str, str] = {}
        payload = b""
        if raw is not None:
            payload = raw
            sent["content-type"] = "application/json"
        elif body is not None:
            payload = json.dumps(body).encode()
            sent["content-type"] = "application/json"
        if self.jar:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        if csrf and method in UNSAFE and "td_csrf" in self.jar:
            sent["x-csrf-token"] = self.jar["td_csrf"]
        if self.bearer:
            sent["authorization"] = f"Bearer {self.bearer}"
        if self.origin:
            sent["origin"] = self.origin
        sent.update(headers or {})
        response = self.client.http.request(method, path, headers=sent, body=payload)
        reply = Reply(response.status_code, dict(response.headers), response.body)
        self._keep(reply)
        return reply

    def _keep(self, reply: Reply) -> None:
        for cookie in reply.cookies():
            pair, *attributes = [part.strip() for part in cookie.split(";")]
            name, _, value = pair.partition("=")
            if any(a.lower() == "max-age=0" for a in attributes) or not value:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("DELETE", path, body, **kw)


def assert_error(reply: Reply, status: int, code: str) -> dict[str, Any]:
    """The reply is the contract's error with this status and code; returns its details."""
    assert reply.status == status, (reply.status, reply.body[:500])
    body = reply.json
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    assert b"Traceback" not in reply.body
    return error["details"]
