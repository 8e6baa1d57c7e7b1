"""A user's storage counters against what their nodes say: the drift, and its correction.

The truth is counted from the owner's nodes exactly as the writes keep the counters:

    ready or trashed file ── used += size, file_count + 1, count_/bytes_<category>
                             trash_bytes += size when it, or a folder above it, is trashed
    uploading file ───────── reserved += declared size (its reservation; not used yet)
    folder (not the root) ── folder_count + 1
    free = quota − used − reserved

The nodes come from the ``by_owner_path`` index, which trails the table by a moment, so a
write in flight can look like drift. Drift therefore counts only when two readings a moment
apart agree and the row did not move between them; a correction is one update conditioned on
every counter still holding what was read, so an upload that starts or completes meanwhile
cancels it (and the reading starts again) instead of being lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from chalicelib import filetypes
from chalicelib.errors import Conflict
from chalicelib.models import users
from chalicelib.models.nodes import FOLDER, NodeModel
from chalicelib.models.users import UserModel
from chalicelib.services import accounts

COUNTERS = (
    "used_bytes",
    "reserved_bytes",
    "free_bytes",
    "trash_bytes",
    "file_count",
    "folder_count",
    *(f"count_{c}" for c in filetypes.CATEGORIES),
    *(f"bytes_{c}" for c in filetypes.CATEGORIES),
)
_ATTEMPTS = 4


@dataclass(frozen=True)
class Drift:
    """What a user's row said and what their nodes say; ``drift`` names the counters that
    differ (name → (counted on the row, counted from the nodes)); ``fixed`` whether the row
    was corrected."""

    user_id: str
    username: str
    counters: dict[str, int]
    truth: dict[str, int]
    fixed: bool = False

    @property
    def drift(self) -> dict[str, tuple[int, int]]:
        return {
            name: (self.counters[name], self.truth[name])
            for name in COUNTERS
            if self.counters[name] != self.truth[name]
        }


def counters_of(user: UserModel) -> dict[str, int]:
    return {name: int(getattr(user, name) or 0) for name in COUNTERS}


def count(user: UserModel) -> dict[str, int]:
    """The counters as the user's nodes say they should be (one Query of their nodes)."""
    found = {n.node_id: n for n in NodeModel.by_owner_path.query(user.user_id)}
    truth = dict.fromkeys(COUNTERS, 0)
    for node in found.values():
        if node.kind == FOLDER:
            truth["folder_count"] += 1 if node.parent_id else 0
            continue
        if node.status == "uploading":
            size = node.declared_size if node.declared_size is not None else node.size
            truth["reserved_bytes"] += int(size)
            continue
        size = int(node.size)
        category = filetypes.category(node.content_type)
        truth["used_bytes"] += size
        truth["file_count"] += 1
        truth[f"count_{category}"] += 1
        truth[f"bytes_{category}"] += size
        if _in_trash(node, found):
            truth["trash_bytes"] += size
    truth["free_bytes"] = int(user.quota_bytes) - truth["used_bytes"] - truth["reserved_bytes"]
    return truth


def _in_trash(node: NodeModel, found: dict[str, NodeModel]) -> bool:
    """Trashed itself or below a trashed folder; a chain cut by a folder deleted for good
    counts too (only the trash holds such nodes, until the purge takes them)."""
    current: NodeModel | None = node
    for _ in range(64):
        if current is None:
            return True
        if current.status == "trashed":
            return True
        if current.parent_id is None:
            return False
        current = found.get(current.parent_id)
    return True


def recompute(user_id: str, *, fix: bool = False, settle_s: float = 1.0) -> Drift:
    """The user's drift; with ``fix``, the row corrected to what the nodes say. ``settle_s``
    is how long the second reading waits for the index to catch up."""
    for _ in range(_ATTEMPTS):
        user = accounts.load(user_id)
        first = Drift(user_id, user.username, counters_of(user), count(user))
        if not first.drift:
            return first
        time.sleep(settle_s)
        again = accounts.load(user_id)
        second = Drift(user_id, again.username, counters_of(again), count(again))
        if second.counters != first.counters or second.truth != first.truth:
            continue  # something was being written: read again
        if not fix:
            return first
        actions = [
            getattr(UserModel, name).add(truth - seen)
            for name, (seen, truth) in first.drift.items()
        ]
        seen: dict[str, Any] = {**first.counters, "quota_bytes": int(user.quota_bytes)}
        if users.update_if_unchanged(user_id, actions, seen=seen) is not None:
            return Drift(user_id, user.username, first.counters, first.truth, fixed=True)
    raise Conflict("The account kept changing while it was counted; try again in a moment.")
