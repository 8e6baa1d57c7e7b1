"""Scheduled work, run by the ``jobs`` functions in AWS and by the local runner's clock."""

from __future__ import annotations

import time

from chalicelib import logs
from chalicelib.services import accounts


def daily() -> dict[str, int]:
    """Remove what closed accounts left behind."""
    started = time.perf_counter()
    removed = accounts.purge_deleted()
    result = {"accounts_purged": removed}
    logs.record(
        "job", job="daily", duration_ms=round((time.perf_counter() - started) * 1000), **result
    )
    return result
