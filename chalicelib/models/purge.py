"""Deleting a trashed subtree for good, in batches that each keep the owner's counters exact.

    mark ──── top.purge_started = now        (from here on a restore is refused)
    (the service deletes the S3 objects)
    batch ─── ≤ 45 nodes, deepest first, with their name guards; the owner's used, reserved,
              free, file_count and bytes_<category> move by exactly what those nodes held,
              and so do the sums of the folders under the top that are still there
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
from chalicelib.models.nodes import FILE, MAX_DEPTH, NodeModel, batch, stamp
from chalicelib.models.tree import (
    TX_ITEMS,
    MovePending,
    Stale,
    Sums,
    release_guard,
    structure,
    subtree,
)
from chalicelib.models.users import UserModel

BATCH = 45
_ATTEMPTS = 5


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
    """Delete ``nodes`` (``doomed``'s list: all of one owner, deepest first, the top last) in
    batches, with the owner's counters and the sums of the folders still waiting."""
    known = _with_folders_above({n.node_id: n for n in nodes}, top_id)
    for chunk in _batches(nodes, known, top_id):
        pending = chunk
        for _ in range(_ATTEMPTS):
            if not pending:
                break
            try:
                _remove_batch(pending, known, top_id)
                break
            except ConditionsFailed as exc:
                if 0 in exc.failed:
                    # The owner has a move to finish first (paths below may be stale).
                    raise MovePending(nodes[0].owner_id) from exc
                failed = {i - 1 for i in exc.failed}
                if any(i >= len(pending) for i in failed):
                    # A guard or a folder is not as read: start again from a fresh read.
                    raise Stale() from exc
                # Changed meanwhile: an upload finished under it (read it again), or it was
                # restored out of this subtree (its path changed: leave it alone).
                fresh = batch(n.node_id for i, n in enumerate(pending) if i in failed)
                known.update(fresh)
                pending = [
                    fresh[n.node_id] if i in failed else n
                    for i, n in enumerate(pending)
                    if i not in failed or (n.node_id in fresh and fresh[n.node_id].path == n.path)
                ]
        else:
            if pending:
                raise Stale()  # it kept changing: the caller reads it all again


def _with_folders_above(known: dict[str, NodeModel], top_id: str) -> dict[str, NodeModel]:
    """``known`` and the folders between its nodes and the top (read when a caller hands in
    only part of a subtree)."""
    for _ in range(27):
        missing = {
            str(n.parent_id)
            for n in known.values()
            if n.node_id != top_id and n.parent_id and n.parent_id not in known
        }
        if top_id not in known:
            missing.add(top_id)
        if not missing:
            break
        found = batch(missing)
        if not found:
            break
        known.update(found)
    return known


def _folders_above(node: NodeModel, known: dict[str, NodeModel], top_id: str) -> list[NodeModel]:
    """The folders from the top down to the node's parent, by parent links."""
    chain: list[NodeModel] = []
    current = node
    while current.node_id != top_id and current.parent_id in known and len(chain) <= MAX_DEPTH:
        current = known[str(current.parent_id)]
        chain.append(current)
    return chain[::-1]


def _batches(
    nodes: Sequence[NodeModel], known: dict[str, NodeModel], top_id: str
) -> Iterator[list[NodeModel]]:
    """Consecutive batches whose transactions stay within DynamoDB's 100 items: the owner,
    each node and its guard, and each folder above them that is not deleted with them."""
    chunk: list[NodeModel] = []
    folders: set[str] = set()
    for node in nodes:
        above = {f.node_id for f in _folders_above(node, known, top_id)}
        ids = {n.node_id for n in chunk} | {node.node_id}
        items = 1 + 2 * len(ids) + len((folders | above) - ids)
        if chunk and (items > TX_ITEMS or len(chunk) == BATCH):
            yield chunk
            chunk, folders = [], set()
            above = {f.node_id for f in _folders_above(node, known, top_id)}
        chunk.append(node)
        folders |= above
    if chunk:
        yield chunk


def _remove_batch(nodes: list[NodeModel], known: dict[str, NodeModel], top_id: str) -> None:
    used = reserved = files = folders = 0
    by_category: dict[str, int] = {}
    counts: dict[str, int] = {}
    gone = {n.node_id for n in nodes}
    sums = Sums(utcnow())
    for node in nodes:
        above = [f for f in _folders_above(node, known, top_id) if f.node_id not in gone]
        if above and above[-1].node_id == node.parent_id:
            sums.child(above[-1], -1)
        if node.kind != FILE:
            folders += 1
            continue
        if node.status == "uploading":
            reserved += int(node.declared_size or node.size)
            continue
        used += int(node.size)
        files += 1
        category = filetypes.category(node.content_type)
        by_category[category] = by_category.get(category, 0) + int(node.size)
        counts[category] = counts.get(category, 0) + 1
        sums.weigh(above, -int(node.size))
    actions = [
        UserModel.used_bytes.add(-used),
        UserModel.trash_bytes.add(-used),  # everything a purge deletes is in the trash
        UserModel.reserved_bytes.add(-reserved),
        UserModel.free_bytes.add(used + reserved),
        UserModel.file_count.add(-files),
        UserModel.folder_count.add(-folders),
        *(getattr(UserModel, f"bytes_{c}").add(-b) for c, b in by_category.items()),
        *(getattr(UserModel, f"count_{c}").add(-n) for c, n in counts.items()),
    ]

    def build(tx: Transaction) -> None:
        # Item 0: the owner (no unfinished move: paths are final); 1…n: the nodes, in order;
        # then their name guards (the top gave its guard up when it was trashed), then the
        # folders that stay for now, so what is left always adds up.
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
        sums.write(tx)

    transact(build)


def expired(before_days: int) -> Iterator[NodeModel]:
    """Tops of trashes older than ``before_days`` (a job's read: it scans the sparse trash
    index, never the table)."""
    cutoff = utcnow() - timedelta(days=before_days)
    return NodeModel.by_trash.scan(NodeModel.trashed_at < stamp(cutoff))
