"""Password hashing with argon2id, parameters from settings.

An unknown account is checked against a dummy hash, so it costs what a wrong password costs.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any

from chalicelib.config import get_settings


@lru_cache(maxsize=1)
def _hasher() -> Any:
    from argon2 import PasswordHasher  # deferred: routes that check no password skip it

    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still spends the time of a check."""
    from argon2.exceptions import InvalidHashError, VerificationError

    target = stored_hash or _dummy_hash()
    try:
        ok = _hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(ok) and stored_hash is not None


def reset_cache() -> None:
    """Forget hasher parameters (tests change settings)."""
    _hasher.cache_clear()
    _dummy_hash.cache_clear()
