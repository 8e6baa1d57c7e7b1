"""The keys that sign access tokens, read from Secrets Manager once per container.

The secret is a JSON object: ``current`` names the key id that signs, every other member maps a
key id to its secret. Rotation adds a key and points ``current`` at it while the old key still
verifies (see the README's runbook). A container reads the secret again every five minutes, and
sooner (at most once a minute) when a token names a key id it has not seen.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.errors import ConfigError

_REREAD_AFTER_S = 60.0
# Warm containers read the secret again this often, so a rotation's new current key and a
# removed (compromised) key take effect everywhere within minutes.
_MAX_AGE_S = 300.0


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]


def parse_secret(raw: str) -> KeyRing:
    try:
        data = json.loads(raw)
        current = data["current"]
        keys = {kid: value.encode() for kid, value in data.items() if kid != "current"}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError("the signing-key secret is not a JSON object with 'current'") from exc
    if current not in keys or any(len(value) < 32 for value in keys.values()):
        raise ConfigError("the signing-key secret needs its current key, each of 32+ bytes")
    return KeyRing(current=current, keys=keys)


class _Cache:
    def __init__(self) -> None:
        self.ring: KeyRing | None = None
        self.read_at = 0.0
        self.lock = threading.Lock()

    def load(self) -> KeyRing:
        secret_id = get_settings().signing_secret_id
        raw = aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
        self.ring = parse_secret(raw)
        self.read_at = time.monotonic()
        return self.ring


_cache = _Cache()


def key_ring() -> KeyRing:
    ring = _cache.ring
    if ring is not None and time.monotonic() - _cache.read_at < _MAX_AGE_S:
        return ring
    with _cache.lock:
        if _cache.ring is not None and time.monotonic() - _cache.read_at < _MAX_AGE_S:
            return _cache.ring
        return _cache.load()


def verification_key(kid: str) -> bytes | None:
    """The secret for ``kid``; an unknown id re-reads the secret if the last read is old."""
    ring = key_ring()
    if kid in ring.keys:
        return ring.keys[kid]
    with _cache.lock:
        if time.monotonic() - _cache.read_at >= _REREAD_AFTER_S:
            ring = _cache.load()
    return ring.keys.get(kid)


def reset_cache() -> None:
    with _cache.lock:
        _cache.ring = None
        _cache.read_at = 0.0
