"""The operators' numbers: one snapshot item, counted by a job from whole-table reads.

The snapshot lives in the tokens table (the stage's table of keyed items) under
``stats#operators``, so that the route that shows it reads one item and never scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import ScanError
from pynamodb.models import Model

from chalicelib.errors import Unavailable
from chalicelib.models import users
from chalicelib.models.base import TableName
from chalicelib.models.nodes import FILE, NodeModel

KEY = "stats#operators"


class StatsModel(Model):
    class Meta:
        table_name = TableName("tokens")

    key = UnicodeAttribute(hash_key=True)
    users = NumberAttribute()
    files = NumberAttribute()
    bytes = NumberAttribute()
    pending_uploads = NumberAttribute()
    failed_thumbnails = NumberAttribute()
    computed_at = UTCDateTimeAttribute()


@dataclass(frozen=True)
class Counts:
    """Open accounts; stored files (the trash included) and their bytes; uploads in
    progress; files whose thumbnails failed."""

    users: int
    files: int
    bytes: int
    pending_uploads: int
    failed_thumbnails: int


def count() -> Counts:
    """Count everything (a job's read: it scans the users and the nodes tables once each).

    The API's role may not scan (infra/functions.yaml): asked there, before any job has
    counted, this is Unavailable rather than a 500.
    """
    try:
        accounts = sum(1 for _ in users.open_accounts())
        files = size = pending = failed = 0
        for node in NodeModel.scan(NodeModel.kind == FILE):
            if node.status == "uploading":
                pending += 1
                continue
            files += 1
            size += int(node.size)
            if node.thumbnail is not None and node.thumbnail.as_dict().get("status") == "failed":
                failed += 1
    except ScanError as exc:
        if exc.cause_response_code == "AccessDeniedException":
            raise Unavailable(
                "The operators' numbers are not counted yet; the hourly job counts them."
            ) from exc
        raise
    return Counts(accounts, files, size, pending, failed)


def store(counts: Counts, computed_at: datetime) -> StatsModel:
    snapshot = StatsModel(
        KEY,
        users=counts.users,
        files=counts.files,
        bytes=counts.bytes,
        pending_uploads=counts.pending_uploads,
        failed_thumbnails=counts.failed_thumbnails,
        computed_at=computed_at,
    )
    snapshot.save()
    return snapshot


def latest() -> StatsModel | None:
    try:
        return StatsModel.get(KEY, consistent_read=True)
    except StatsModel.DoesNotExist:
        return None
