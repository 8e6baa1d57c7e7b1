"""Scheduled work, run by the ``jobs`` functions in AWS and by the local runner's clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from chalicelib import logs
from chalicelib.models import tree
from chalicelib.services import accounts, census, shares, trash, uploads


def _run(name: str, work: Callable[[], dict[str, int]]) -> dict[str, int]:
    started = time.perf_counter()
    result = work()
    logs.record(
        "job", job=name, duration_ms=round((time.perf_counter() - started) * 1000), **result
    )
    return result


def hourly(now: datetime | None = None) -> dict[str, int]:
    """Abort uploads nobody finished and release those that sent no bytes for an hour, giving
    their space back; then count the operators' numbers into their snapshot (logged as a job
    of its own). ``now`` is the clock's time (the job's own by default)."""
    result = _run(
        "hourly",
        lambda: {
            "uploads_aborted": uploads.abort_stale(now),
            "uploads_idle_released": uploads.release_idle(now),
        },
    )
    _run("stats", _census)
    return result


def _census() -> dict[str, int]:
    counted = census.refresh()
    return {name: value for name, value in counted.items() if isinstance(value, int)}


def every_two_minutes() -> dict[str, int]:
    """Retire share links past their expiry (they stop working at expiry anyway: every
    public request checks it; this keeps the owners' lists true)."""
    return _run("shares", lambda: {"shares_retired": shares.retire_expired()})


def daily() -> dict[str, int]:
    """Finish moves a crash left half-done, empty what has been in the trash too long, and
    remove what closed accounts left."""
    return _run(
        "daily",
        lambda: {
            "moves_finished": tree.finish_all_moves(),
            "trash_purged": trash.purge_expired(),
            "accounts_purged": accounts.purge_closed(),
        },
    )
