"""Folders: making them, listing them a page at a time, and reading one node."""

from __future__ import annotations

from typing import Any

from chalicelib import policy
from chalicelib.errors import InvalidRequest, NotFound
from chalicelib.models import nodes
from chalicelib.models.nodes import NodeModel
from chalicelib.services import cursors, rules
from chalicelib.services.accounts import iso

SORTS = ("name", "-name", "created", "-created", "size", "-size")


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
    return view


def _thumbnail(node: NodeModel) -> dict[str, Any]:
    stored = node.thumbnail.as_dict() if node.thumbnail is not None else {}
    return {"status": stored.get("status", "pending")}


def create(user_id: str, *, parent_id: str, name: str) -> dict[str, Any]:
    """A new folder in a folder the caller may write to."""
    folder_name = rules.node_name(name)
    parent, access = policy.require(user_id, parent_id, at_least="write")
    if not parent.is_folder:
        raise NotFound("No such folder.")
    node = nodes.create_folder(parent, folder_name, owner_id=parent.owner_id)
    return node_view(node, access)


def get(user_id: str, node_id: str) -> dict[str, Any]:
    node, access = policy.require(user_id, node_id)
    return node_view(node, access)


def listing(
    user_id: str, folder_id: str, *, sort: str = "name", limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """One page of a folder: the folder, its breadcrumb, its children and the next cursor."""
    if sort not in SORTS:
        raise InvalidRequest.fields({"sort": f"one of {', '.join(SORTS)}"})
    folder, access = policy.require(user_id, folder_id)
    if not folder.is_folder:
        raise NotFound("No such folder.")
    scope = f"{user_id}:{folder_id}:{sort}"
    items, last = nodes.children(
        folder_id,
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
        limit=limit,
        start=cursors.read(cursor, scope=scope),
    )
    crumbs = [i for i in folder.path.strip("/").split("/") if i]
    return {
        "folder": node_view(folder, access),
        "path": [{"id": i, "name": name} for i, name in nodes.names_of(crumbs)],
        "items": [node_view(item, access) for item in items],
        "next_cursor": cursors.issue(last, scope=scope),
    }
