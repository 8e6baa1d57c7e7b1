"""Scheduled work, run by the ``jobs`` functions in AWS and by the local runner's clock."""

from __future__ import annotations

import time

from chalicelib import logs
from chalicelib.models import users


def daily() -> dict[str, int]:
    """Remove what closed accounts left behind."""
    started = time.perf_counter()
    removed = users.purge_closed()
    result = {"accounts_purged": removed}
    logs.record(
        "job", job="daily", duration_ms=round((time.perf_counter() - started) * 1000), **result
    )
    return result
