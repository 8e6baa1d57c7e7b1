"""Verifying OpenID Connect ID tokens (Google's and any configured provider's) with google-auth.

google-auth is imported here only, when a sign-in arrives, so it costs the API's cold start
nothing. ``verify_oauth2_token`` skips the audience check when given none and cannot take
another key address, so we call ``verify_token`` with both and check the issuer ourselves.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from chalicelib.config import OidcProvider
from chalicelib.errors import Unauthenticated, Unavailable

DISCOVERY_TTL_S = 3600
_discovered: dict[str, tuple[float, str]] = {}  # discovery URL → (until, jwks_uri)
_lock = threading.Lock()


@dataclass(frozen=True)
class Identity:
    provider: str
    subject: str
    email: str
    email_verified: bool
    name: str | None


def verify(provider: OidcProvider, credential: str) -> Identity:
    """The identity an ID token of ``provider`` vouches for: signature by the provider's keys,
    audience our client id, issuer the provider's, not expired; else Unauthenticated."""
    import jwt as pyjwt
    from google.auth import exceptions as google_errors
    from google.auth.transport import requests as google_requests
    from google.oauth2 import id_token

    refused = Unauthenticated(f"The {provider.name} sign-in could not be verified.")
    request = google_requests.Request()
    try:
        certs_url = provider.jwks_uri or _jwks_uri(provider, request)
        claims = id_token.verify_token(
            credential,
            request,
            audience=provider.client_id,
            certs_url=certs_url,
            clock_skew_in_seconds=10,
        )
    except google_errors.TransportError as exc:
        raise Unavailable(f"Could not reach {provider.name} to check the sign-in.") from exc
    except pyjwt.exceptions.PyJWKSetError as exc:
        raise Unavailable(f"{provider.name} published no usable signing keys.") from exc
    except (ValueError, google_errors.GoogleAuthError, pyjwt.PyJWTError) as exc:
        raise refused from exc
    # PyJWT (the JWK Set path) checks exp only when present: an ID token must carry it.
    if not isinstance(claims.get("exp"), int) or claims.get("iss") not in provider.issuers:
        raise refused
    if not claims.get("sub") or not claims.get("email"):
        raise refused
    name = claims.get("name")
    return Identity(
        provider=provider.id,
        subject=str(claims["sub"]),
        email=str(claims["email"]),
        email_verified=claims.get("email_verified") in (True, "true"),
        name=name if isinstance(name, str) else None,
    )


def _jwks_uri(provider: OidcProvider, request: Any) -> str:
    """The provider's key set address from its discovery document, kept for an hour."""
    from google.auth import exceptions as google_errors

    url = provider.discovery_url or f"{provider.issuer}/.well-known/openid-configuration"
    now = time.monotonic()
    with _lock:
        cached = _discovered.get(url)
    if cached and cached[0] > now:
        return cached[1]
    response = request(url, method="GET")
    if response.status != 200:
        raise google_errors.TransportError(f"discovery answered {response.status}")
    try:
        document = json.loads(response.data.decode("utf-8"))
    except ValueError as exc:
        raise google_errors.TransportError("discovery is not JSON") from exc
    jwks_uri = document.get("jwks_uri") if isinstance(document, dict) else None
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was asked for.
    if document.get("issuer") != provider.issuer or not isinstance(jwks_uri, str):
        raise google_errors.TransportError("discovery names another issuer or no jwks_uri")
    with _lock:
        _discovered[url] = (now + DISCOVERY_TTL_S, jwks_uri)
    return jwks_uri
