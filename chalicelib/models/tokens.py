"""The tokens table: one-time tokens, refresh tokens and their families, phone codes and
failure counters. Keys are prefixed by kind; secrets are stored only as SHA-256 hashes.

DynamoDB's TTL removes expired items eventually; reads check ``expires_ttl`` themselves,
because nothing may rely on TTL having run.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.models.base import TableName, epoch, utcnow


class ByFamilyOwner(GlobalSecondaryIndex["TokenModel"]):
    """Session families by their user (sparse: only family items carry ``family_owner``)."""

    class Meta:
        index_name = "by_family_owner"
        projection = AllProjection()

    family_owner = UnicodeAttribute(hash_key=True)


class TokenModel(Model):
    class Meta:
        table_name = TableName("tokens")

    key = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(null=True)
    family_owner = UnicodeAttribute(null=True)
    family_id = UnicodeAttribute(null=True)
    # refresh: "active" → "rotated"; family: "active" → "revoked".
    status = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    secret_hash = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    hits = NumberAttribute(null=True)
    window_start = NumberAttribute(null=True)
    # A session family's: when it started and was last refreshed, and what it came from
    # (see services/devices.py: a readable name and a coarse network, never the raw values).
    created_at = UTCDateTimeAttribute(null=True)
    last_used_at = UTCDateTimeAttribute(null=True)
    device = UnicodeAttribute(null=True)
    network = UnicodeAttribute(null=True)
    expires_ttl = TTLAttribute()

    by_family_owner = ByFamilyOwner()

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_ttl <= (now or utcnow())


def hashed(secret: str) -> str:
    """What the table stores of a secret token: its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _conditional_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def find(key: str) -> TokenModel | None:
    """A live (unexpired) item, or None."""
    try:
        item = TokenModel.get(key, consistent_read=True)
    except TokenModel.DoesNotExist:
        return None
    return None if item.expired() else item


def put(key: str, *, ttl_s: int, **attributes: Any) -> TokenModel:
    item = TokenModel(key, expires_ttl=utcnow() + timedelta(seconds=ttl_s), **attributes)
    item.save()
    return item


def take(key: str) -> TokenModel | None:
    """Consume a single-use item: of two concurrent takers only one gets it."""
    item = find(key)
    if item is None:
        return None
    try:
        item.delete(condition=TokenModel.key.exists())
    except DeleteError as exc:
        if _conditional_failed(exc):
            return None
        raise
    return item


def extend(key: str, *, ttl_s: int, used: bool = False) -> None:
    """Push a live item's expiry ``ttl_s`` from now (and note it ``used`` now, in the same
    write)."""
    now = utcnow()
    actions: list[Any] = [TokenModel.expires_ttl.set(now + timedelta(seconds=ttl_s))]
    if used:
        actions.append(TokenModel.last_used_at.set(now))
    try:
        TokenModel(key).update(actions=actions, condition=TokenModel.key.exists())
    except UpdateError as exc:
        if not _conditional_failed(exc):
            raise


def discard(key: str) -> None:
    TokenModel(key).delete()


def transition(item: TokenModel, *, from_status: str, to_status: str) -> bool:
    """Move ``status`` only if it still is ``from_status``; False when someone else moved it."""
    try:
        item.update(
            actions=[TokenModel.status.set(to_status)],
            condition=TokenModel.status == from_status,
        )
    except UpdateError as exc:
        if _conditional_failed(exc):
            return False
        raise
    return True


def count_attempt(key: str, *, limit: int) -> bool:
    """Spend one attempt on an item; False once ``limit`` attempts were spent."""
    try:
        TokenModel(key).update(
            actions=[TokenModel.attempts.add(1)],
            condition=TokenModel.key.exists() & (TokenModel.attempts < limit),
        )
    except UpdateError as exc:
        if _conditional_failed(exc):
            return False
        raise
    return True


# Fixed windows that open at the first event:
#
#   t0 ──── event, event, … (count += 1 while now < t0 + window) ──── t0 + window
#   after it closes, the next event opens a new window with count = 1.


def window_hit(key: str, *, window_s: int) -> int:
    """Count one event in the key's window and return the window's count."""
    now = epoch(utcnow())
    for _ in range(5):
        item = TokenModel(key)
        try:
            item.update(
                actions=[TokenModel.hits.add(1)],
                condition=TokenModel.window_start > now - window_s,
            )
            return int(item.hits or 0)
        except UpdateError as exc:
            if not _conditional_failed(exc):
                raise
        fresh = TokenModel(
            key,
            hits=1,
            window_start=now,
            expires_ttl=utcnow() + timedelta(seconds=window_s),
        )
        try:
            fresh.save(
                condition=TokenModel.key.does_not_exist()
                | (TokenModel.window_start <= now - window_s)
            )
            return 1
        except PutError as exc:
            if not _conditional_failed(exc):
                raise
    return window_count(key, window_s=window_s)[0]


def window_count(key: str, *, window_s: int) -> tuple[int, int]:
    """The open window's count and the seconds left in it; (0, 0) when none is open."""
    try:
        item = TokenModel.get(key, consistent_read=True)
    except TokenModel.DoesNotExist:
        return 0, 0
    now = epoch(utcnow())
    left = int(item.window_start or 0) + window_s - now
    if left <= 0:
        return 0, 0
    return int(item.hits or 0), left


def families_of(user_id: str) -> list[TokenModel]:
    """The user's live session families."""
    return [
        item
        for item in TokenModel.by_family_owner.query(user_id)
        if not item.expired() and item.status == "active"
    ]
