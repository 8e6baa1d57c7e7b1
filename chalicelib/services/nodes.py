"""Nodes: how one looks in the API, reading one, and renaming, moving or trashing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib import policy, storage
from chalicelib.config import get_settings
from chalicelib.errors import Conflict, InvalidMove, NameTaken
from chalicelib.models import tree
from chalicelib.models.nodes import NodeModel
from chalicelib.services import rules
from chalicelib.services.accounts import iso
from chalicelib.services.sessions import Actor

T = TypeVar("T")
_ATTEMPTS = 4


def node_view(node: NodeModel, access: str) -> dict[str, Any]:
    """The contract's ``node`` object."""
    view: dict[str, Any] = {
        "id": node.node_id,
        "kind": node.kind,
        "name": node.name,
        "parent_id": node.parent_id,
        "owner_id": node.owner_id,
        "size": int(node.size) if not node.is_folder else int(node.total_size),
        "content_type": node.content_type,
        "created_at": iso(node.created_at),
        "updated_at": iso(node.updated_at),
        "status": node.status,
        "thumbnail": {"status": "none"} if node.is_folder else _thumbnail(node),
        "access": access,
    }
    if node.is_folder:
        view["child_count"] = int(node.child_count)
        view["total_size"] = int(node.total_size)
    if node.uploaded_by and node.uploaded_by != node.owner_id:
        view["uploaded_by"] = node.uploaded_by
    if node.trashed_at:
        view["trashed_at"] = node.trashed_at[:19] + "Z"
    if node.media is not None:
        view["media"] = {k: v for k, v in node.media.as_dict().items() if k in _MEDIA_FIELDS}
    return view


_MEDIA_FIELDS = ("width", "height", "duration_s", "rotation")


def _thumbnail(node: NodeModel) -> dict[str, Any]:
    """The thumbnail's state; a ready one with signed URLs of the grid size (``url``, whose
    ``width`` and ``height`` are given) and the preview size (``preview_url``)."""
    stored = node.thumbnail.as_dict() if node.thumbnail is not None else {}
    status = stored.get("status", "none")
    if status == "failed":
        return {"status": status, "reason": stored.get("reason", "")}
    if status != "ready":
        return {"status": status}
    lifetime = storage.url_lifetime(get_settings().thumbnail_url_ttl_s)
    grid, preview = min(storage.THUMB_SIDES), max(storage.THUMB_SIDES)
    return {
        "status": status,
        "url": storage.sign_thumb(node.owner_id, node.node_id, grid, lifetime_s=lifetime),
        "preview_url": storage.sign_thumb(
            node.owner_id, node.node_id, preview, lifetime_s=lifetime
        ),
        "width": int(stored["width"]),
        "height": int(stored["height"]),
    }


def retried(attempt: Callable[[], T]) -> T:
    """Run a tree write, reading again when what it read changed meanwhile (``Stale``) and
    finishing the unfinished move of the drive's owner first when there is one
    (``MovePending``: a member writing in a shared folder meets the owner's)."""
    for _ in range(_ATTEMPTS):
        try:
            return attempt()
        except tree.MovePending as pending:
            tree.finish_moves(pending.owner_id)
        except tree.Stale:
            continue
    raise Conflict("Something here changed at the same moment. Try again.")


def first_then(first: T, again: Callable[[], T]) -> Callable[[], T]:
    """``first`` (already read) on the first call, ``again()`` on every retry after it."""
    kept = [first]
    return lambda: kept.pop() if kept else again()


def under_free_name(
    folder_id: str, name: str, place: Callable[[str], T], *, rename: bool = True
) -> T:
    """``place(name)``; when the name is taken, ``place`` again under ``name (1)``, ``name
    (2)``… (those free a moment ago), unless ``rename`` is off."""
    candidates = [name]
    for _ in range(_ATTEMPTS):
        for candidate in candidates:
            try:
                return place(candidate)
            except NameTaken:
                if not rename:
                    raise
        candidates = tree.free_names(folder_id, name)[:3]
        if not candidates:
            raise NameTaken("Too many things of that name are in this folder already.")
    raise Conflict("Names here kept being taken at the same moment. Try again.")


def get(caller: Actor, node_id: str) -> dict[str, Any]:
    here, access = policy.require(caller, node_id)
    return node_view(here.node, access)


def update(
    caller: Actor, node_id: str, *, name: str | None = None, parent_id: str | None = None
) -> dict[str, Any]:
    """Rename and/or move a node the caller may write to (into a folder they may write to)."""
    new_name = rules.node_name(name) if name is not None else None

    def attempt() -> tuple[NodeModel, str]:
        ids = [node_id] if parent_id is None else [node_id, parent_id]
        found = policy.visible(caller, ids, at_least="write")
        here, access = found[0]
        if here.node.parent_id is None:
            raise InvalidMove("The root folder stays where it is.")
        target = new_name if new_name is not None else here.node.name
        if parent_id is None or parent_id == here.node.parent_id:
            if target == here.node.name:
                return here.node, access
            return tree.rename(here, target, grants=policy.grants(caller, here.chain)), access
        destination = found[1][0]
        if destination.node.owner_id != here.node.owner_id:
            raise InvalidMove("Things move only within one person's drive.")
        grants = policy.grants(caller, here.chain, destination.chain)
        return tree.move(here, tree.Destination(destination, target), grants=grants), access

    node, access = retried(attempt)
    return node_view(node, access)


def trash(caller: Actor, node_id: str) -> None:
    """Move a node (and what is under it) to its owner's trash."""

    def attempt() -> None:
        here, _ = policy.require(caller, node_id, at_least="write")
        tree.trash(here, grants=policy.grants(caller, here.chain))

    retried(attempt)
