"""Verifying Google ID tokens with google-auth's own verifier.

google-auth is imported here only, when a Google sign-in arrives, so it costs the API's cold
start nothing. ``verify_oauth2_token`` skips the audience check when given none, and it cannot
take another certificate address, so we call ``verify_token`` with both and check the issuer.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.config import get_settings
from chalicelib.errors import NotFound, Unauthenticated, Unavailable

ISSUERS = ("accounts.google.com", "https://accounts.google.com")


@dataclass(frozen=True)
class GoogleIdentity:
    subject: str
    email: str
    email_verified: bool
    name: str | None


def verify(credential: str) -> GoogleIdentity:
    settings = get_settings()
    if not settings.google_client_id:
        raise NotFound("Google sign-in is not enabled here.")
    from google.auth import exceptions as google_errors
    from google.auth.transport import requests as google_requests
    from google.oauth2 import id_token

    try:
        claims = id_token.verify_token(
            credential,
            google_requests.Request(),
            audience=settings.google_client_id,
            certs_url=settings.google_certs_url,
            clock_skew_in_seconds=10,
        )
    except google_errors.TransportError as exc:
        raise Unavailable("Could not reach Google to check the sign-in.") from exc
    except (ValueError, google_errors.GoogleAuthError) as exc:
        raise Unauthenticated("The Google sign-in could not be verified.") from exc
    if claims.get("iss") not in ISSUERS or not claims.get("sub") or not claims.get("email"):
        raise Unauthenticated("The Google sign-in could not be verified.")
    return GoogleIdentity(
        subject=str(claims["sub"]),
        email=str(claims["email"]),
        email_verified=claims.get("email_verified") in (True, "true"),
        name=claims.get("name"),
    )
