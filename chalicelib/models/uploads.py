"""Files on their way: the reservation that starts an upload, and what ends it.

    start ──── file node "uploading", its name guard, parent.child_count + 1,
               owner: reserved += size, free -= size   (only if free >= size: one condition)
    …the browser PUTs the parts straight to S3…
    settle ─── file "ready"; owner: reserved -= size, used += size, file_count + 1,
               bytes_<category> += size; every folder carrying it: total_size += size
    release ── file node and guard gone, parent.child_count - 1,
               owner: reserved -= size, free += size
               (abort or the owner's cancel, size mismatch, access ended, idle, stale)

Each arrow is one transaction, so the counters hold at every instant and a crash between
two of them leaves a pending upload that the stale-upload job releases.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib import filetypes
from chalicelib.errors import NotFound, QuotaExceeded
from chalicelib.models.base import ConditionsFailed, Transaction, transact, utcnow
from chalicelib.models.nodes import FILE, Located, NodeModel, listing_keys, stamp
from chalicelib.models.tree import (
    Grant,
    MovePending,
    OwnerRefused,
    Stale,
    Sums,
    add_child,
    new_child,
    release_guard,
    structure,
)
from chalicelib.models.users import UserModel


@dataclass(frozen=True)
class Plan:
    """How a file is cut: ``part_count`` parts of ``part_size`` bytes (the last one shorter),
    and S3's id of the multipart upload (every upload has one; None only on uploads started as
    one PUT before that)."""

    size: int
    part_size: int
    part_count: int
    s3_upload_id: str | None


def start(
    parent: Located,
    file_id: str,
    *,
    name: str,
    content_type: str,
    plan: Plan,
    uploaded_by: str,
    grants: Sequence[Grant] = (),
) -> NodeModel:
    """A pending file in ``parent`` with its bytes reserved from the folder owner's quota (on
    condition the write access ``grants`` gave still holds)."""
    owner_id = parent.node.owner_id
    node = new_child(
        parent,
        file_id,
        kind=FILE,
        name=name,
        size=plan.size,
        status="uploading",
        content_type=content_type,
        uploaded_by=uploaded_by,
        # The media function makes thumbnails of photos and videos only.
        thumbnail={"status": "pending" if filetypes.thumbnailed(content_type) else "none"},
        declared_size=plan.size,
        part_size=plan.part_size,
        part_count=plan.part_count,
        s3_upload_id=plan.s3_upload_id,
        upload_owner=owner_id,
    )
    node.upload_started = stamp(node.created_at)
    reserve = [UserModel.reserved_bytes.add(plan.size), UserModel.free_bytes.add(-plan.size)]
    try:
        add_child(
            parent,
            node,
            reserve,
            owner_condition=UserModel.free_bytes >= plan.size,
            grants=grants,
        )
    except OwnerRefused as exc:
        raise _refusal(owner_id, plan.size) from exc
    return node


def _refusal(owner_id: str, size: int) -> Exception:
    try:
        owner = UserModel.get(owner_id, consistent_read=True)
    except UserModel.DoesNotExist:
        return NotFound("No such folder.")
    if owner.status != "active":
        return NotFound("No such folder.")
    if owner.moving is not None:
        return MovePending(owner_id)
    return QuotaExceeded(
        details={"size": size, "free_bytes": max(0, int(owner.free_bytes))},
    )


UPLOAD_FIELDS = (
    "declared_size",
    "part_size",
    "part_count",
    "s3_upload_id",
    "upload_owner",
    "upload_started",
)


def settle(loc: Located, *, grants: Sequence[Grant] = ()) -> NodeModel:
    """Turn a pending file into a ready one and its reservation into usage (on condition the
    write access ``grants`` gave still holds: a member's file lands only while they are one)."""
    node, now = loc.node, utcnow()
    size = int(node.size)
    sums = Sums(now)
    sums.rely_on(grants)
    sums.weigh(loc.ancestors, size)
    category = filetypes.category(node.content_type)
    in_trash = any(folder.status == "trashed" for folder in loc.ancestors)
    # The parent's listing order by size is set now that the size is known for sure.
    keys = listing_keys(kind=FILE, name=node.name, created=node.created_at, size=size)

    def build(tx: Transaction) -> None:
        tx.update(
            node,
            actions=[
                NodeModel.status.set("ready"),
                NodeModel.updated_at.set(now),
                NodeModel.sort_size.set(keys["sort_size"]),
                *(getattr(NodeModel, f).remove() for f in UPLOAD_FIELDS),
            ],
            condition=structure(node),
        )
        tx.update(
            UserModel(node.owner_id),
            actions=[
                UserModel.reserved_bytes.add(-size),
                UserModel.used_bytes.add(size),
                UserModel.file_count.add(1),
                getattr(UserModel, f"count_{category}").add(1),
                getattr(UserModel, f"bytes_{category}").add(size),
                # Finished inside a trashed folder (the folders carrying it say so).
                *([UserModel.trash_bytes.add(size)] if in_trash else []),
            ],
            condition=UserModel.user_id.exists(),
        )
        sums.write(tx)

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise Stale() from exc
    node.status = "ready"
    node.updated_at = now
    for name in UPLOAD_FIELDS:
        setattr(node, name, None)
    return node


def release(node: NodeModel, parent: NodeModel | None) -> None:
    """Forget a pending file and give its reservation back. ``parent`` is None when the
    folder it was in is gone for good."""
    size = int(node.declared_size if node.declared_size is not None else node.size)
    sums = Sums(utcnow())
    if parent is not None:
        sums.child(parent, -1)

    def build(tx: Transaction) -> None:
        tx.delete(node, condition=structure(node))
        tx.update(
            UserModel(node.owner_id),
            actions=[UserModel.reserved_bytes.add(-size), UserModel.free_bytes.add(size)],
            condition=UserModel.user_id.exists(),
        )
        release_guard(tx, node)
        sums.write(tx)

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise Stale() from exc


def pending_of(
    owner_id: str, *, limit: int, start: dict[str, Any] | None = None
) -> tuple[list[NodeModel], dict[str, Any] | None]:
    """A page of the uploads in progress into ``owner_id``'s drive (theirs and those members
    send into their shared folders), oldest first, and the key to continue from (or None)."""
    result = NodeModel.by_upload.query(owner_id, limit=limit, last_evaluated_key=start)
    return list(result), result.last_evaluated_key


def stale(before: datetime) -> Iterator[NodeModel]:
    """Pending uploads started before ``before`` (a job's read: it scans the sparse index of
    pending uploads, never the table)."""
    return NodeModel.by_upload.scan(NodeModel.upload_started < stamp(before))
