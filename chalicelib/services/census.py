"""The operators' page numbers: counted by the hourly job (or ``stats --refresh``) into one
snapshot that ``GET /admin/stats`` reads, so no request scans a table."""

from __future__ import annotations

from typing import Any

from chalicelib.models import stats
from chalicelib.models.base import utcnow
from chalicelib.services.accounts import iso


def _view(snapshot: stats.StatsModel) -> dict[str, Any]:
    return {
        "users": int(snapshot.users),
        "files": int(snapshot.files),
        "bytes": int(snapshot.bytes),
        "pending_uploads": int(snapshot.pending_uploads),
        "failed_thumbnails": int(snapshot.failed_thumbnails),
        "computed_at": iso(snapshot.computed_at),
    }


def refresh() -> dict[str, Any]:
    """Count everything now and keep it as the snapshot (scans the users and nodes tables)."""
    return _view(stats.store(stats.count(), utcnow()))


def latest() -> dict[str, Any]:
    """The last snapshot; counted now when there is none yet (a new stage's first look)."""
    snapshot = stats.latest()
    return _view(snapshot) if snapshot is not None else refresh()
