"""The users table: profile, credentials, flags, storage counters and the session version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib.errors import NotFound
from chalicelib.models.base import Region, TableName


class UserModel(Model):
    class Meta:
        table_name = TableName("users")
        region = Region()

    user_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    email = UnicodeAttribute()
    email_verified = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute(null=True)
    nickname = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    phone_verified = BooleanAttribute(default=False)
    google_sub = UnicodeAttribute(null=True)
    is_admin = BooleanAttribute(default=False)
    disabled = BooleanAttribute(default=False)
    # "active", or "deleted" until the purge job removes what the account left behind.
    status = UnicodeAttribute(default="active")
    created_at = UTCDateTimeAttribute()
    deleted_at = UTCDateTimeAttribute(null=True)
    quota_bytes = NumberAttribute()
    used_bytes = NumberAttribute(default=0)
    reserved_bytes = NumberAttribute(default=0)
    file_count = NumberAttribute(default=0)
    root_folder_id = UnicodeAttribute()
    # Bumped to end every session at once (logout-all, password reset, deletion).
    token_version = NumberAttribute(default=0)
    # Session families ended one by one (sign-out, a replayed refresh token): family id →
    # epoch seconds. Their access tokens stop at once; an entry older than the access-token
    # lifetime has nothing left to stop and is pruned.
    revoked_sessions: MapAttribute[str, Any] = MapAttribute(default=dict)

    @property
    def active(self) -> bool:
        return self.status == "active" and not self.disabled


def update_active(user: UserModel, actions: Sequence[Action]) -> None:
    """Apply ``actions`` to an account that is still open; NotFound once it is closed (an
    unconditional update would bring a purged row back as a stub)."""
    try:
        user.update(actions=list(actions), condition=UserModel.status == "active")
    except UpdateError as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise NotFound("No such user.") from exc
        raise
