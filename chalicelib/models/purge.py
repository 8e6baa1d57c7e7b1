"""Deleting a trashed subtree for good, in batches that each keep the owner's counters exact.

    mark ──── top.purge_started = now        (from here on a restore is refused)
    (the service deletes the S3 objects)
    batch ─── ≤ 45 nodes, deepest first, with their name guards; the owner's used, reserved,
              free, file_count and bytes_<category> move by exactly what those nodes held
    …
    last ──── the top itself, which is what keeps it in the trash until the very end

A crash anywhere leaves the top in the trash, marked, with fewer nodes under it; running the
purge again finishes it, and nothing is counted twice because each batch is one transaction
conditioned on the nodes being as they were read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

from pynamodb.exceptions import UpdateError

from chalicelib import filetypes
from chalicelib.models.base import ConditionsFailed, Transaction, transact, utcnow
from chalicelib.models.nodes import FILE, NodeModel, batch, stamp
from chalicelib.models.tree import MovePending, release_guard, structure, subtree
from chalicelib.models.users import UserModel

BATCH = 45


def mark(node_id: str, *, owner_id: str) -> NodeModel | None:
    """Mark the top of ``owner_id``'s trash as being deleted, and read it in the same call
    (marking again is harmless); None when no such node is in that trash."""
    top = NodeModel(node_id)
    try:
        top.update(
            actions=[NodeModel.purge_started.set(NodeModel.purge_started | utcnow())],
            condition=(NodeModel.status == "trashed") & (NodeModel.trash_owner == owner_id),
        )
    except UpdateError as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            return None
        raise
    return top


def doomed(top: NodeModel) -> list[NodeModel]:
    """What goes with ``top``: its subtree, deepest first, then itself. Something trashed on
    its own inside it stays in the trash, with whatever is under that."""
    if not top.is_folder or not top.child_count:
        return [top]  # nothing visible under it (what was trashed inside stays in the trash)
    below = {n.node_id: n for n in subtree(top)}
    depth: dict[str, int | None] = {top.node_id: 0}

    def depth_of(node: NodeModel) -> int | None:
        """Levels below ``top`` by parent links; None under something trashed on its own."""
        if node.node_id not in depth:
            parent = top if node.parent_id == top.node_id else below.get(str(node.parent_id))
            cut = parent is None or (parent.status == "trashed" and parent is not top)
            above = None if cut or parent is None else depth_of(parent)
            depth[node.node_id] = None if above is None else above + 1
        return depth[node.node_id]

    gone = [n for n in below.values() if n.status != "trashed" and depth_of(n) is not None]
    gone.sort(key=lambda n: depth_of(n) or 0, reverse=True)
    return [*gone, top]


def remove(nodes: Sequence[NodeModel], *, top_id: str) -> None:
    """Delete ``nodes`` (all of one owner) in batches, with their counters."""
    for start in range(0, len(nodes), BATCH):
        pending = list(nodes[start : start + BATCH])
        while pending:
            try:
                _remove_batch(pending, top_id)
                break
            except ConditionsFailed as exc:
                if 0 in exc.failed:
                    # The owner has a move to finish first (paths below may be stale).
                    raise MovePending() from exc
                failed = {i - 1 for i in exc.failed}
                if any(i >= len(pending) for i in failed):
                    raise  # a name guard is not as it must be: stop, loudly
                # Changed meanwhile: an upload finished under it (read it again), or it was
                # restored out of this subtree (its path changed: leave it alone).
                fresh = batch(n.node_id for i, n in enumerate(pending) if i in failed)
                pending = [
                    fresh[n.node_id] if i in failed else n
                    for i, n in enumerate(pending)
                    if i not in failed or (n.node_id in fresh and fresh[n.node_id].path == n.path)
                ]


def _remove_batch(nodes: list[NodeModel], top_id: str) -> None:
    used = reserved = files = 0
    by_category: dict[str, int] = {}
    for node in nodes:
        if node.kind != FILE:
            continue
        if node.status == "uploading":
            reserved += int(node.declared_size or node.size)
            continue
        used += int(node.size)
        files += 1
        category = filetypes.category(node.content_type)
        by_category[category] = by_category.get(category, 0) + int(node.size)
    actions = [
        UserModel.used_bytes.add(-used),
        UserModel.reserved_bytes.add(-reserved),
        UserModel.free_bytes.add(used + reserved),
        UserModel.file_count.add(-files),
        *(getattr(UserModel, f"bytes_{c}").add(-b) for c, b in by_category.items()),
    ]

    def build(tx: Transaction) -> None:
        # Item 0: the owner (no unfinished move: paths are final); 1…n: the nodes, in order;
        # then their name guards (the top gave its guard up when it was trashed).
        tx.update(
            UserModel(nodes[0].owner_id),
            actions=actions,
            condition=UserModel.user_id.exists() & UserModel.moving.does_not_exist(),
        )
        for node in nodes:
            tx.delete(node, condition=structure(node) & (NodeModel.path == node.path))
        for node in nodes:
            if node.node_id != top_id:
                release_guard(tx, node)

    transact(build)


def expired(before_days: int) -> Iterator[NodeModel]:
    """Tops of trashes older than ``before_days`` (a job's read: it scans the sparse trash
    index, never the table)."""
    cutoff = utcnow() - timedelta(days=before_days)
    return NodeModel.by_trash.scan(NodeModel.trashed_at < stamp(cutoff))
