"""A file's thumbnail state, and the conditional transitions that make duplicate, late and
concurrent media events harmless.

    pending ──claim──> pending + claimed_at ──> ready (sizes, media facts)
                                 │          └─> failed (reason): never tried again by itself
                                 └─ let go (a passing fault) ──> pending: the next delivery
    not a picture or a video: none

A claim is a compare-and-set on ``claimed_at``: of two deliveries of one event only one makes
the thumbnails. A claim older than ``CLAIM_S`` (the function died holding it) may be taken over.
After ``MAX_TRIES`` claims the file is marked failed, so a file that kills the function is not
retried for ever. Every transition is conditioned on the claim it holds, so a file deleted or
requeued meanwhile is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.models.base import epoch, utcnow
from chalicelib.models.nodes import NodeModel

# Longer than the media function's timeout (120 s): a claim this old is abandoned.
CLAIM_S = 300
MAX_TRIES = 3


@dataclass(frozen=True)
class Claim:
    node: NodeModel
    claimed_at: int
    tries: int


def state(node: NodeModel) -> dict[str, Any]:
    return node.thumbnail.as_dict() if node.thumbnail is not None else {"status": "none"}


def _failed_condition(exc: UpdateError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


def claim(node: NodeModel) -> Claim | None:
    """Claim a pending file's thumbnails as read in ``node``; None when it is not pending, or
    someone else holds a live claim, or it changed since it was read."""
    held = state(node)
    if held.get("status") != "pending":
        return None
    now = epoch(utcnow())
    previous = held.get("claimed_at")
    if previous is not None and int(previous) > now - CLAIM_S:
        return None
    tries = int(held.get("tries", 0)) + 1
    unchanged = (
        NodeModel.thumbnail["claimed_at"].does_not_exist()
        if previous is None
        else NodeModel.thumbnail["claimed_at"] == previous
    )
    try:
        node.update(
            actions=[
                NodeModel.thumbnail.set({"status": "pending", "claimed_at": now, "tries": tries})
            ],
            condition=(NodeModel.thumbnail["status"] == "pending") & unchanged,
        )
    except UpdateError as exc:
        if _failed_condition(exc):
            return None
        raise
    return Claim(node, now, tries)


def _settle(held: Claim, thumbnail: dict[str, Any], *extra: Any) -> bool:
    """Replace the thumbnail state if the claim still holds; False when it no longer does."""
    try:
        NodeModel(held.node.node_id).update(
            actions=[NodeModel.thumbnail.set(thumbnail), *extra],
            condition=(NodeModel.thumbnail["status"] == "pending")
            & (NodeModel.thumbnail["claimed_at"] == held.claimed_at),
        )
    except UpdateError as exc:
        if _failed_condition(exc):
            return False
        raise
    return True


def ready(held: Claim, *, width: int, height: int, media: dict[str, Any]) -> bool:
    """Thumbnails made: ``width``×``height`` is the grid thumbnail's size, ``media`` the facts
    of the file (its size as shown, a video's duration and rotation)."""
    return _settle(
        held,
        {"status": "ready", "width": width, "height": height},
        NodeModel.media.set(media),
    )


def failed(held: Claim, reason: str) -> bool:
    return _settle(held, {"status": "failed", "reason": reason[:300]})


def let_go(held: Claim) -> bool:
    """Give the claim back after a passing fault, so the next delivery tries again at once."""
    return _settle(held, {"status": "pending", "tries": held.tries})


def requeue(node: NodeModel) -> bool:
    """A failed file's thumbnails become pending again, with their tries counted afresh."""
    try:
        node.update(
            actions=[NodeModel.thumbnail.set({"status": "pending", "tries": 0})],
            condition=NodeModel.thumbnail["status"] == "failed",
        )
    except UpdateError as exc:
        if _failed_condition(exc):
            return False
        raise
    return True


def failed_files() -> list[NodeModel]:
    """Every file whose thumbnails failed (a job: a Scan with a filter)."""
    return list(NodeModel.scan(NodeModel.thumbnail["status"] == "failed", consistent_read=True))
