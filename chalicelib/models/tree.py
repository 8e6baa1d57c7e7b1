"""Writes that shape the tree: a new folder, rename, move, trash and restore.

Each is one transaction that keeps the folder aggregates exact: a node's *weight* (a ready
file's size, a folder's ``total_size``) is carried by the folders above it up to and including
the first trashed one, and every folder a write touches is conditioned on still having the
parent and status it was read with, so a concurrent move or trash cancels the write instead of
corrupting a sum. A cancelled write raises ``Stale``; the caller reads again and retries.

A move of a folder rewrites ``path`` below it. When the subtree fits in the move's own
transaction it goes there; otherwise the move records itself on the owner's row and the
rewrite follows in batches:

    move txn ── X.parent, X.path, sums, owner.moving = {node X, source, target}
    batch 1…n ─ each node under ``source`` gets ``target`` + the rest of its path (conditional)
    last ────── REMOVE owner.moving (if it still names this move)

While ``moving`` is set nothing builds a path for that owner (folders, uploads, moves check it
in their transactions); whoever meets it finishes the rewrite first (``finish_moves``), so a
crash half-way is repaired by the next write, or by the daily job.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.errors import InvalidMove, InvalidRequest, NameTaken
from chalicelib.models.base import ConditionsFailed, Transaction, transact, utcnow
from chalicelib.models.nodes import (
    FOLDER,
    MAX_DEPTH,
    Located,
    NodeModel,
    child_guard_value,
    get,
    listing_keys,
    name_key,
    stamp,
)
from chalicelib.models.uniques import UniqueModel, guard, guard_key
from chalicelib.models.users import UserModel

# DynamoDB's limit on the items of one transaction.
TX_ITEMS = 100
_REWRITE_BATCH = 90


class Stale(Exception):
    """Something this write read has changed since; read again and retry."""


class MovePending(Exception):
    """The owner has a move whose path rewrite is unfinished; finish it, then retry."""

    def __init__(self, owner_id: str):
        super().__init__(f"owner {owner_id} has a move to finish")
        self.owner_id = owner_id


def structure(node: NodeModel) -> Condition:
    """``node`` still hangs where it was read and has the status it was read with."""
    parent = (
        NodeModel.parent_id.does_not_exist()
        if node.parent_id is None
        else NodeModel.parent_id == node.parent_id
    )
    return parent & (NodeModel.status == node.status)


def carriers(ancestors: Sequence[NodeModel]) -> list[NodeModel]:
    """The folders that count a node's weight: from its parent up to the first trashed one
    (which keeps the sum of what it holds, for a restore; nothing above it counts it)."""
    found = []
    for folder in reversed(ancestors):
        found.append(folder)
        if folder.status == "trashed":
            break
    return found


@dataclass(frozen=True)
class Grant:
    """Write access that someone other than the owner has through a team: the folder shared
    with it to write, the team, and the check that the membership is there and not ending. A
    write that relied on it conditions on both, so a share or a membership that ends at the
    same moment either sees the write (and undoes it) or cancels it."""

    folder: NodeModel
    team_id: str
    member_check: Callable[[Transaction], None]


@dataclass
class Sums:
    """Changes to folders' ``total_size`` and ``child_count``, one update per folder, and the
    folders a write's decision read without changing them (``guard``): each is conditioned on
    still hanging where it was read with the status it was read with, once per transaction."""

    now: datetime
    folders: dict[str, NodeModel] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    guarded: dict[str, NodeModel] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)  # by the folder they were given on
    members: dict[str, Grant] = field(default_factory=dict)  # by team: the membership checks

    def weigh(self, ancestors: Sequence[NodeModel], delta: int) -> None:
        for folder in carriers(ancestors):
            self.folders[folder.node_id] = folder
            self.size[folder.node_id] = self.size.get(folder.node_id, 0) + delta

    def child(self, parent: NodeModel, delta: int) -> None:
        self.folders[parent.node_id] = parent
        self.count[parent.node_id] = self.count.get(parent.node_id, 0) + delta

    def guard(self, chain: Sequence[NodeModel]) -> None:
        """Condition the write on every folder of ``chain`` (a move's target and the folders
        above it): a folder moved or trashed meanwhile cancels it, so two moves that each
        passed the cycle and depth checks on what they read cannot both commit."""
        for folder in chain:
            self.guarded.setdefault(folder.node_id, folder)

    def rely_on(self, grants: Sequence[Grant], *, writing: NodeModel | None = None) -> Condition:
        """Condition the write on the write access it was allowed by (see ``Grant``). A grant on
        ``writing`` itself (the node the write updates) comes back as a condition for that
        update (an item goes once into a transaction)."""
        on_itself = NodeModel.node_id.exists()
        for grant in grants:
            self.members[grant.team_id] = grant
            if writing is not None and grant.folder.node_id == writing.node_id:
                on_itself &= NodeModel.shared_write.contains(grant.team_id)
            else:
                self.guard([grant.folder])
                self.grants[grant.folder.node_id] = grant
        return on_itself

    def _condition(self, folder: NodeModel) -> Condition:
        condition = structure(folder)
        grant = self.grants.get(folder.node_id)
        if grant is not None:
            condition &= NodeModel.shared_write.contains(grant.team_id)
        return condition

    def _updates(self) -> dict[str, list[Action]]:
        updates: dict[str, list[Action]] = {}
        for node_id in self.folders:
            actions: list[Action] = []
            if self.size.get(node_id):
                actions.append(NodeModel.total_size.add(self.size[node_id]))
            if node_id in self.count:
                actions.append(NodeModel.updated_at.set(self.now))
                if self.count[node_id]:
                    actions.append(NodeModel.child_count.add(self.count[node_id]))
            if actions:
                updates[node_id] = actions
        return updates

    def ids(self) -> set[str]:
        """The folders the write touches, updated or only checked."""
        return set(self._updates()) | set(self.guarded)

    def write(self, tx: Transaction) -> int:
        """Add the updates and checks to ``tx``; returns how many items they take."""
        updates = self._updates()
        for node_id, actions in updates.items():
            folder = self.folders[node_id]
            tx.update(folder, actions=actions, condition=self._condition(folder))
        checked = [f for i, f in self.guarded.items() if i not in updates]
        for folder in checked:
            tx.condition_check(NodeModel, folder.node_id, condition=self._condition(folder))
        for grant in self.members.values():
            grant.member_check(tx)
        return len(updates) + len(checked) + len(self.members)

    def items(self) -> int:
        return len(self.ids()) + len(self.members)


def owner_write(
    tx: Transaction,
    owner_id: str,
    actions: Sequence[Action] = (),
    *,
    also: Condition | None = None,
) -> None:
    """Apply ``actions`` to the owner's counters, if the owner is open and has no unfinished
    move (see the module's docstring) and ``also`` holds; with no actions, only check that."""
    condition = UserModel.moving.does_not_exist() & (UserModel.status == "active")
    if also is not None:
        condition &= also
    if actions:
        tx.update(UserModel(owner_id), actions=list(actions), condition=condition)
    else:
        tx.condition_check(UserModel, owner_id, condition=condition)


class OwnerRefused(Exception):
    """The owner's row refused a new node: closed, an unfinished move, or a condition of the
    caller's (an upload's free space)."""


def new_child(
    parent: Located, node_id: str, *, kind: str, name: str, size: int = 0, **extra: Any
) -> NodeModel:
    """A node to go into ``parent`` (not written yet), listed in it from the start."""
    folder, now = parent.node, utcnow()
    return NodeModel(
        node_id,
        kind=kind,
        name=name,
        parent_id=folder.node_id,
        owner_id=folder.owner_id,
        path=f"{parent.true_path}{node_id}/",
        size=size,
        created_at=now,
        updated_at=now,
        live_parent=folder.node_id,
        **listing_keys(kind=kind, name=name, created=now, size=size),
        **extra,
    )


def add_child(
    parent: Located,
    node: NodeModel,
    owner_actions: Sequence[Action],
    *,
    owner_condition: Condition | None = None,
    grants: Sequence[Grant] = (),
) -> None:
    """Write a new node into ``parent`` in one transaction: its name, itself, its owner's
    counters and the folder's count, conditioned on every folder above it being where it was
    read (so the depth checked here holds) and on the write access ``grants`` gave. NameTaken,
    OwnerRefused, or Stale (a folder or a grant changed)."""
    check_depth(parent, field="parent_id")
    sums = Sums(node.created_at)
    sums.child(parent.node, +1)
    sums.guard(parent.ancestors)
    sums.rely_on(grants)
    placed = [*owner_actions, UserModel.tree_rev.add(1)]

    def build(tx: Transaction) -> None:
        take_name(tx, parent.node.node_id, node.name, node.node_id)
        owner_write(tx, node.owner_id, placed, also=owner_condition)
        tx.save(node, condition=NodeModel.node_id.does_not_exist())
        sums.write(tx)

    try:
        transact(build)
    except ConditionsFailed as exc:
        if 0 in exc.failed:
            raise NameTaken() from exc
        if 1 in exc.failed:
            raise OwnerRefused() from exc
        raise Stale() from exc


def check_depth(parent: Located, *, field: str | None = None) -> None:
    """A node put into ``parent`` lies at most MAX_DEPTH steps below its owner's root: 400
    naming ``field`` (a new node's folder), or InvalidMove (a move, ``field`` None)."""
    if len(parent.chain) <= MAX_DEPTH:
        return
    if field is None:
        raise InvalidMove(f"Folders nest at most {MAX_DEPTH} deep.")
    raise InvalidRequest.fields({field: f"folders nest at most {MAX_DEPTH} deep"})


def create_folder(parent: Located, name: str, *, grants: Sequence[Grant] = ()) -> NodeModel:
    """A new folder in ``parent``: its name guard, the node and the counts at once."""
    node = new_child(parent, uuid.uuid4().hex, kind=FOLDER, name=name)
    try:
        add_child(parent, node, [UserModel.folder_count.add(1)], grants=grants)
    except OwnerRefused as exc:
        raise MovePending(node.owner_id) from exc
    return node


def _old_guard(node: NodeModel) -> UniqueModel:
    return UniqueModel(guard_key("child", child_guard_value(str(node.parent_id), node.name)))


def take_name(tx: Transaction, folder_id: str, name: str, node_id: str) -> None:
    """Claim ``name`` in a folder for a node inside ``tx``; it fails if the name is taken."""
    tx.save(
        guard("child", child_guard_value(folder_id, name), node_id),
        condition=UniqueModel.key.does_not_exist(),
    )


def release_guard(tx: Transaction, node: NodeModel) -> None:
    """Delete a node's name guard inside ``tx`` if it holds one (a guard that is gone already
    is fine: a trashed node gave its guard up)."""
    tx.delete(
        _old_guard(node),
        condition=UniqueModel.key.does_not_exist() | (UniqueModel.owner_id == node.node_id),
    )


def subtree(
    node: NodeModel, *, also_under: str | None = None, exact: bool = False
) -> list[NodeModel]:
    """Every node below ``node`` (itself excluded): one Query on by_owner_path for its path
    (and ``also_under``, a move's old path), completed by parent links. ``path`` can lag where
    an index was late for a move (a folder made a moment before); each folder's
    ``child_count`` says how many visible children it has, so a folder found short has the
    rest looked up on its listing index, with what is under them; one still short then (that
    index lags too) raises Stale when ``exact`` (a move decides on what it finds)."""
    found: dict[str, NodeModel] = {}
    for prefix in filter(None, (node.path, also_under)):
        for below in _under(node.owner_id, prefix):
            found.setdefault(below.node_id, below)
    found.pop(node.node_id, None)
    checked: set[str] = set()
    pending = [node, *(n for n in found.values() if n.is_folder)]
    while pending:
        folder = pending.pop()
        if folder.node_id in checked or folder.status == "trashed" and folder is not node:
            continue
        checked.add(folder.node_id)
        kids = [n for n in found.values() if n.parent_id == folder.node_id]
        if sum(1 for k in kids if k.status != "trashed") >= int(folder.child_count):
            continue
        for child in NodeModel.by_parent_name.query(folder.node_id):
            if child.node_id in found:
                continue
            for below in [child, *_under(node.owner_id, child.path)]:
                if below.node_id not in found and below.node_id != node.node_id:
                    found[below.node_id] = below
                    if below.is_folder:
                        pending.append(below)
        listed = (n for n in found.values() if n.parent_id == folder.node_id)
        if exact and sum(1 for n in listed if n.status != "trashed") < int(folder.child_count):
            raise Stale()  # the indexes lag behind a child made a moment ago: read again
    return list(found.values())


def _under(owner_id: str, prefix: str) -> list[NodeModel]:
    return list(NodeModel.by_owner_path.query(owner_id, NodeModel.path.startswith(prefix)))


def true_paths(top_path: str, top_id: str, below: list[NodeModel]) -> dict[str, str]:
    """What each node's path must be under a top whose path is ``top_path``, from parent
    links (a node whose parent is not among them keeps no entry)."""
    children: dict[str, list[NodeModel]] = {}
    for node in below:
        children.setdefault(str(node.parent_id), []).append(node)
    paths: dict[str, str] = {}
    pending = [(top_id, top_path)]
    while pending:
        parent_id, parent_path = pending.pop()
        for child in children.get(parent_id, []):
            paths[child.node_id] = f"{parent_path}{child.node_id}/"
            pending.append((child.node_id, paths[child.node_id]))
    return paths


def free_names(parent_id: str, name: str, *, tries: int = 20) -> list[str]:
    """Candidates for ``name`` in a folder that has it already: ``a.txt``, ``a (1).txt``, …,
    the ones whose guard is free first (one BatchGet); a race may still take one."""
    candidates = [name, *(_numbered(name, n) for n in range(1, tries))]
    keys = {guard_key("child", child_guard_value(parent_id, c)): c for c in candidates}
    taken = {keys[g.key] for g in UniqueModel.batch_get(list(keys), consistent_read=True)}
    return [c for c in candidates if c not in taken]


def _numbered(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    suffix = f" ({n})" + (f".{ext}" if ext else "")
    return stem[: 255 - len(suffix)] + suffix


@dataclass(frozen=True)
class Destination:
    """Where a node goes: a visible folder (located) and the name it takes there."""

    folder: Located
    name: str


def rename(loc: Located, name: str, *, grants: Sequence[Grant] = ()) -> NodeModel:
    """Give a visible node a new name in the same folder."""
    if not loc.ancestors:
        raise InvalidMove("The root folder stays where it is.")
    parent = Located(node=loc.ancestors[-1], ancestors=loc.ancestors[:-1])
    return _relocate(loc, Destination(parent, name), grants)


def move(loc: Located, dest: Destination, *, grants: Sequence[Grant] = ()) -> NodeModel:
    """Put a visible node into another folder (of the same owner), maybe renamed."""
    folder = dest.folder.node
    if loc.node.parent_id is None:
        raise InvalidMove("The root folder stays where it is.")
    if not folder.is_folder:
        raise InvalidMove("Things can only be moved into a folder.")
    if folder.owner_id != loc.node.owner_id:
        raise InvalidMove("Things can only be moved between folders of the same owner.")
    if any(n.node_id == loc.node.node_id for n in dest.folder.chain):
        raise InvalidMove()
    return _relocate(loc, dest, grants)


def trash(loc: Located, *, grants: Sequence[Grant] = ()) -> NodeModel:
    """Move a visible node, with everything under it, to its owner's trash."""
    return _relocate(loc, None, grants)


def restore(loc: Located, dest: Destination) -> NodeModel:
    """Bring a trashed node back into a visible folder."""
    return _relocate(loc, dest)


def _relocate(loc: Located, dest: Destination | None, grants: Sequence[Grant] = ()) -> NodeModel:
    """Rename, move, trash or restore ``loc.node`` in one transaction.

    What the checks read is what the transaction guards. Putting a node into another folder
    reads the target's chain (cycle, depth, visibility): every folder of it is guarded. A
    folder's move also reads its subtree (depth, paths): the folder and each folder below it
    are written on condition nothing was added or removed below them since (``updated_at``
    moves with every child count), or, for a subtree too large for one transaction, on the
    owner's ``tree_rev`` as read before the subtree was (every placement bumps it)."""
    node, now = loc.node, utcnow()
    if node.parent_id is None:
        raise InvalidMove("The root folder stays where it is.")
    if node.status == "uploading" and dest is None:
        raise InvalidRequest("This file is still uploading; cancel the upload instead.")
    weight, was_visible = node.weight, node.status != "trashed"
    sums = Sums(now)
    allowed = sums.rely_on(grants, writing=node)
    if was_visible:
        sums.weigh(loc.ancestors, -weight)
        sums.child(loc.ancestors[-1], -1)
    changes: dict[str, Any] = {"updated_at": now}
    descendants: list[NodeModel] = []
    fixes: dict[str, str] = {}
    new_path = node.path
    placed = dest is not None and (dest.folder.node.node_id != node.parent_id or not was_visible)
    rev: int | None = None  # the owner's tree_rev, for a move too large for one transaction
    if dest is None:
        changes.update(status="trashed", trash_owner=node.owner_id, trashed_at=stamp(now))
        changes.update(live_parent=None, sort_name=None, sort_created=None, sort_size=None)
    else:
        folder = dest.folder.node
        if placed:
            check_depth(dest.folder)
            sums.guard(dest.folder.chain)
        sums.weigh(dest.folder.chain, weight)
        sums.child(folder, +1)
        new_path = f"{dest.folder.true_path}{node.node_id}/"
        if new_path != node.path and node.is_folder:
            descendants, rev = _subtree_to_move(node, room=TX_ITEMS - 4 - sums.items())
            if sums.ids() & {n.node_id for n in descendants}:
                raise Stale()  # the target is below the node after all: a move got between
            fixes = true_paths(new_path, node.node_id, descendants)
            if max((_depth(p) for p in fixes.values()), default=0) > MAX_DEPTH:
                raise InvalidMove(f"Folders nest at most {MAX_DEPTH} deep.")
        changes.update(
            name=dest.name,
            parent_id=folder.node_id,
            path=new_path,
            live_parent=folder.node_id,
            **listing_keys(
                kind=node.kind, name=dest.name, created=node.created_at, size=int(node.size)
            ),
        )
        if not was_visible:
            changes.update(status="ready", trash_owner=None, trashed_at=None)
    actions = [
        getattr(NodeModel, k).set(v) if v is not None else getattr(NodeModel, k).remove()
        for k, v in changes.items()
    ]
    condition = structure(node) & (NodeModel.path == node.path) & (NodeModel.name == node.name)
    condition &= NodeModel.purge_started.does_not_exist() & allowed
    if node.is_folder:
        condition &= NodeModel.total_size == weight
        if new_path != node.path:
            condition &= NodeModel.updated_at == node.updated_at  # nothing came in since
    same_guard = (
        dest is not None
        and was_visible
        and dest.folder.node.node_id == node.parent_id
        and name_key(dest.name) == name_key(node.name)
    )
    inline = rev is None
    owner_actions: list[Action] = []
    if was_visible != (dest is not None):  # into the trash, or out of it
        owner_actions.append(UserModel.trash_bytes.add(weight if dest is None else -weight))
    if placed:
        owner_actions.append(UserModel.tree_rev.add(1))
    if not inline:
        record = {"node": node.node_id, "source": node.path, "target": new_path}
        owner_actions.append(UserModel.moving.set(record))

    def build(tx: Transaction) -> None:
        # Item 0: the owner; 1: the node; 2: the new name's guard (if any); then the rest.
        owner_write(tx, node.owner_id, owner_actions, also=None if inline else _rev_is(rev))
        tx.update(node, actions=actions, condition=condition)
        if dest is not None and not same_guard:
            take_name(tx, dest.folder.node.node_id, dest.name, node.node_id)
        if was_visible and not same_guard:
            release_guard(tx, node)
        sums.write(tx)
        if inline:
            for below in descendants:
                if below.node_id in fixes:
                    _rewrite(tx, below, fixes[below.node_id], unchanged=True)

    try:
        transact(build)
    except ConditionsFailed as exc:
        if 0 in exc.failed and (inline or _move_pending(node.owner_id)):
            raise MovePending(node.owner_id) from exc
        if dest is not None and not same_guard and 2 in exc.failed:
            raise NameTaken() from exc
        raise Stale() from exc
    if not inline:
        finish_moves(node.owner_id)
    for name, value in changes.items():
        setattr(node, name, value)
    return node


def _depth(path: str) -> int:
    """Steps from the owner's root down to the node whose path this is."""
    return path.count("/") - 2


def _subtree_to_move(node: NodeModel, *, room: int) -> tuple[list[NodeModel], int | None]:
    """What is below a folder about to move, and None when it fits in the move's transaction
    (``room`` items); else the owner's ``tree_rev``, read before the subtree is read again,
    for the move to condition on (whatever is placed below meanwhile bumps it)."""
    below = subtree(node, exact=True)
    if len(below) <= room:
        return below, None
    try:
        owner = UserModel.get(node.owner_id, consistent_read=True)
    except UserModel.DoesNotExist as exc:
        raise Stale() from exc  # closed meanwhile: a fresh read says so
    return subtree(node, exact=True), int(owner.tree_rev or 0)


def _rev_is(rev: int | None) -> Condition:
    same = UserModel.tree_rev == int(rev or 0)
    return (UserModel.tree_rev.does_not_exist() | same) if not rev else same


def _move_pending(owner_id: str) -> bool:
    """Whether an unfinished move is what refused a large move (rather than its ``tree_rev``
    having moved on, which only needs a fresh read)."""
    try:
        return UserModel.get(owner_id, consistent_read=True).moving is not None
    except UserModel.DoesNotExist:
        return True


def _rewrite(tx: Transaction, node: NodeModel, path: str, *, unchanged: bool = False) -> None:
    """Set a node's path if it still has the one read; with ``unchanged``, a folder must also
    have had nothing added below it or taken away since it was read."""
    condition = NodeModel.path == node.path
    if unchanged and node.is_folder:
        condition &= NodeModel.updated_at == node.updated_at
    tx.update(node, actions=[NodeModel.path.set(path)], condition=condition)


def finish_moves(owner_id: str) -> None:
    """Finish the path rewrite of the owner's unfinished move, if there is one. Safe to run
    at the same time as another finisher: each rewrite is conditional on the path it read."""
    try:
        owner = UserModel.get(owner_id, consistent_read=True)
    except UserModel.DoesNotExist:
        return
    record = owner.moving.as_dict() if owner.moving is not None else None
    if not record:
        return
    moved = get(record["node"])
    if moved is not None:
        below = subtree(moved, also_under=record["source"])
        fixes = true_paths(moved.path, moved.node_id, below)
        stale = [n for n in below if n.node_id in fixes and n.path != fixes[n.node_id]]
        for start in range(0, len(stale), _REWRITE_BATCH):
            _rewrite_batch(stale[start : start + _REWRITE_BATCH], fixes)
    try:
        owner.update(
            actions=[UserModel.moving.remove()],
            condition=UserModel.moving["node"] == record["node"],
        )
    except UpdateError as exc:  # another finisher cleared it first
        if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise


def finish_all_moves() -> int:
    """Finish every owner's unfinished move (a job: it scans the users table for the few rows
    that carry one, which only a crash half-way leaves behind). Returns how many."""
    finished = 0
    for owner in UserModel.scan(UserModel.moving.exists()):
        finish_moves(owner.user_id)
        finished += 1
    return finished


def _rewrite_batch(batch: list[NodeModel], fixes: dict[str, str]) -> None:
    """Rewrite a batch; a node whose path changed meanwhile (another finisher got there) is
    dropped and the rest tried again."""
    pending = list(batch)
    while pending:

        def build(tx: Transaction, nodes: list[NodeModel] = pending) -> None:
            for node in nodes:
                _rewrite(tx, node, fixes[node.node_id])

        try:
            transact(build)
            return
        except ConditionsFailed as exc:
            pending = [n for i, n in enumerate(pending) if i not in exc.failed]
