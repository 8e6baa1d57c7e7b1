"""Test key material for Google sign-in: an RSA key, its self-signed X.509 certificate in the
``{kid: PEM}`` form Google's certificate endpoint serves, and ID tokens signed with it.

The real google-auth verifier checks these tokens; only the certificates come from us.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CLIENT_ID = "test-client.apps.googleusercontent.com"
ISSUER = "https://accounts.google.com"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    certificate_pem: str

    def sign(self, claims: dict[str, Any], *, kid: str | None = None) -> str:
        return jwt.encode(
            claims, self.private_key, algorithm="RS256", headers={"kid": kid or self.kid}
        )


def make_key(kid: str | None = None) -> SigningKey:
    """A fresh RSA key with a self-signed certificate, valid from yesterday for a day."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "teamdrive test google key")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(private_key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    return SigningKey(kid or uuid.uuid4().hex, private_key, pem)


def claims(
    *,
    sub: str = "google-sub-1",
    email: str = "jane.doe@gmail.com",
    email_verified: bool = True,
    name: str | None = "Jane Doe",
    aud: str = CLIENT_ID,
    iss: str = ISSUER,
    lifetime_s: int = 3600,
    issued_ago_s: int = 0,
) -> dict[str, Any]:
    """The claims of a Google ID token; override any of them to make a bad one."""
    now = int(time.time()) - issued_ago_s
    body: dict[str, Any] = {
        "iss": iss,
        "aud": aud,
        "sub": sub,
        "email": email,
        "email_verified": email_verified,
        "iat": now,
        "exp": now + lifetime_s,
    }
    if name is not None:
        body["name"] = name
    return body
