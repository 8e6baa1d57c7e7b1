"""Opaque list cursors, signed so that a cursor works only for the caller and list it was
issued for (anything else is a 400, never a peek at someone else's list)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from chalicelib.errors import InvalidRequest
from chalicelib.services import signing


def _mac(scope: str, payload: bytes) -> str:
    ring = signing.key_ring()
    digest = hmac.new(ring.keys[ring.current], scope.encode() + b"\0" + payload, hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def issue(key: dict[str, Any] | None, *, scope: str) -> str | None:
    """A cursor for the page after ``key`` (a DynamoDB LastEvaluatedKey), or None at the end."""
    if key is None:
        return None
    payload = base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode())
    return f"{payload.decode()}.{_mac(scope, payload)}"


def read(cursor: str | None, *, scope: str) -> dict[str, Any] | None:
    """The key a cursor carries; InvalidRequest when it was not issued for ``scope``."""
    if not cursor:
        return None
    payload, _, mac = cursor.partition(".")
    try:
        if not hmac.compare_digest(mac.encode(), _mac(scope, payload.encode()).encode()):
            raise ValueError("foreign cursor")
        key = json.loads(base64.urlsafe_b64decode(payload.encode()))
        if not isinstance(key, dict):
            raise ValueError("not a key")
    except (ValueError, UnicodeError) as exc:
        raise InvalidRequest.fields({"cursor": "not a cursor of this list"}) from exc
    return key


def page(items: list[Any], *, limit: int, cursor: str | None, scope: str) -> dict[str, Any]:
    """A page of a short list read whole, with an offset cursor (for lists bounded by design:
    a user's teams, invitations, share links)."""
    start = int((read(cursor, scope=scope) or {}).get("offset", 0))
    end = start + limit
    more = issue({"offset": end}, scope=scope) if end < len(items) else None
    return {"items": items[start:end], "next_cursor": more}
