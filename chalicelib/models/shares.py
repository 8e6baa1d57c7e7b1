"""The shares table: public links to a file or a folder.

A link's id is the SHA-256 of its token (256 random bits, shown once), so the public routes
find it with one consistent GetItem and a leaked table holds no usable token. Revoking,
expiring and counting downloads are conditional writes on that one item, so a revoked or
expired link stops at once and a download limit holds under any number of parallel requests.

``live`` is set ("live") only while a link is active: the sparse index ``by_expiry`` (live,
expires_at) gives the job that retires expired links exactly those, without a Scan. DynamoDB's
TTL (``expires_ttl``, a week after expiry) removes the item later.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.models.base import TableName, epoch, utcnow

LIVE = "live"
# How long a retired link stays listed (as expired or revoked) before TTL removes it.
KEEP_AFTER = timedelta(days=7)


class ByCreator(GlobalSecondaryIndex["ShareModel"]):
    class Meta:
        index_name = "by_creator"
        projection = AllProjection()

    created_by = UnicodeAttribute(hash_key=True)
    node_stamp = UnicodeAttribute(range_key=True)  # "{node_id}#{created_at}"


class ByExpiry(GlobalSecondaryIndex["ShareModel"]):
    class Meta:
        index_name = "by_expiry"
        projection = AllProjection()

    live = UnicodeAttribute(hash_key=True)
    expires_at = UTCDateTimeAttribute(range_key=True)


class ShareModel(Model):
    class Meta:
        table_name = TableName("shares")

    share_id = UnicodeAttribute(hash_key=True)
    node_id = UnicodeAttribute()
    owner_id = UnicodeAttribute()  # the node's owner
    created_by = UnicodeAttribute()
    node_stamp = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    password_hash = UnicodeAttribute(null=True)
    max_downloads = NumberAttribute(null=True)
    downloads = NumberAttribute(default=0)
    # "active", "revoked" or "expired" (retired by the job).
    status = UnicodeAttribute(default="active")
    live = UnicodeAttribute(null=True)
    expires_ttl = NumberAttribute()

    by_creator = ByCreator()
    by_expiry = ByExpiry()


def share_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _failed(exc: UpdateError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


def create(
    token: str,
    *,
    node_id: str,
    owner_id: str,
    created_by: str,
    expires_at: datetime,
    password_hash: str | None,
    max_downloads: int | None,
) -> ShareModel:
    now = utcnow()
    item = ShareModel(
        share_id(token),
        node_id=node_id,
        owner_id=owner_id,
        created_by=created_by,
        node_stamp=f"{node_id}#{now.isoformat()}",
        created_at=now,
        expires_at=expires_at,
        password_hash=password_hash,
        max_downloads=max_downloads,
        downloads=0,
        status="active",
        live=LIVE,
        expires_ttl=epoch(expires_at + KEEP_AFTER),
    )
    item.save(condition=ShareModel.share_id.does_not_exist())
    return item


def get(sid: str) -> ShareModel | None:
    try:
        return ShareModel.get(sid, consistent_read=True)
    except ShareModel.DoesNotExist:
        return None


def of_creator(user_id: str, node_id: str | None = None) -> list[ShareModel]:
    """A user's links, newest first (of one node when given)."""
    condition = ShareModel.node_stamp.startswith(f"{node_id}#") if node_id else None
    found = ShareModel.by_creator.query(user_id, condition, scan_index_forward=False)
    items = list(found)
    items.sort(key=lambda s: s.created_at, reverse=True)
    return items


def revoke(item: ShareModel) -> None:
    item.update(
        actions=[ShareModel.status.set("revoked"), ShareModel.live.remove()],
        condition=ShareModel.share_id.exists(),
    )


def count_download(item: ShareModel) -> bool:
    """Count one download if the link is still active, unexpired and under its limit (one
    conditional write: parallel downloads cannot pass the limit); False otherwise."""
    condition = (ShareModel.status == "active") & (ShareModel.expires_at > utcnow())
    if item.max_downloads is not None:
        condition &= ShareModel.downloads < int(item.max_downloads)  # set once, never changed
    try:
        ShareModel(item.share_id).update(actions=[ShareModel.downloads.add(1)], condition=condition)
    except UpdateError as exc:
        if _failed(exc):
            return False
        raise
    return True


def retire_expired(now: datetime) -> int:
    """Mark every active link past its expiry as expired (a job). Returns how many."""
    retired = 0
    for item in ShareModel.by_expiry.query(LIVE, ShareModel.expires_at <= now):
        try:
            item.update(
                actions=[ShareModel.status.set("expired"), ShareModel.live.remove()],
                condition=(ShareModel.status == "active") & (ShareModel.expires_at <= now),
            )
        except UpdateError as exc:
            if _failed(exc):
                continue
            raise
        retired += 1
    return retired
