"""The development identity provider: an OpenID provider for local stages only, whose ID
tokens go through the very verifier real providers' do (its discovery document and JWK Set are
served here, and fetched over HTTP by ``oidc.verify``).

Its RSA key lives in this process only: restarting the stack makes earlier tokens fail, which
is fine for tokens exchanged seconds after they are made.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from chalicelib.config import DEV_IDP_PATH, OidcProvider, get_settings
from chalicelib.errors import NotFound
from chalicelib.services import rules

TOKEN_TTL_S = 600
_key: dict[str, Any] = {}
_lock = threading.Lock()


def provider(provider_id: str) -> OidcProvider:
    """A configured provider this development provider plays; NotFound on deployed stages,
    with DEV_IDP off, or for a provider whose issuer is someone else."""
    settings = get_settings()
    if settings.dev_idp:
        for candidate in settings.sign_in_providers:
            if candidate.id == provider_id and candidate.issuer == issuer(provider_id):
                return candidate
    raise NotFound("No such development sign-in provider.")


def issuer(provider_id: str) -> str:
    return f"{get_settings().site_origin}{DEV_IDP_PATH}/{provider_id}"


def discovery(provider_id: str) -> dict[str, Any]:
    provider(provider_id)
    base = issuer(provider_id)
    return {
        "issuer": base,
        "jwks_uri": f"{base}/jwks",
        "authorization_endpoint": base,
        "token_endpoint": f"{base}/token",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }


def jwks(provider_id: str) -> dict[str, Any]:
    provider(provider_id)
    from jwt.algorithms import RSAAlgorithm

    kid, private_key = _signing_key()
    public = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}


def token(
    provider_id: str,
    *,
    email: str,
    name: str | None = None,
    email_verified: bool = True,
    subject: str | None = None,
) -> str:
    """An ID token of ``provider_id`` for this person (the subject defaults to the email's)."""
    played = provider(provider_id)
    address = rules.email(email)
    import jwt as pyjwt

    kid, private_key = _signing_key()
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": played.issuer,
        "aud": played.client_id,
        "sub": subject or f"dev-{uuid.uuid5(uuid.NAMESPACE_URL, address.casefold()).hex}",
        "email": address,
        "email_verified": email_verified,
        "iat": now,
        "exp": now + TOKEN_TTL_S,
    }
    if name:
        claims["name"] = name
    return pyjwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})


def _signing_key() -> tuple[str, Any]:
    with _lock:
        if not _key:
            from cryptography.hazmat.primitives.asymmetric import rsa

            _key["kid"] = uuid.uuid4().hex
            _key["private"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _key["kid"], _key["private"]
