"""Folders: making them, and listing one a page at a time with its breadcrumb."""

from __future__ import annotations

from typing import Any

from chalicelib import policy
from chalicelib.errors import InvalidRequest, NotFound
from chalicelib.models import nodes, tree
from chalicelib.services import cursors, rules
from chalicelib.services.nodes import node_view, retried
from chalicelib.services.sessions import Actor

SORTS = ("name", "-name", "created", "-created", "size", "-size")


def create(caller: Actor, *, parent_id: str, name: str) -> dict[str, Any]:
    """A new folder in a folder the caller may write to."""
    folder_name = rules.node_name(name)

    def attempt() -> tuple[nodes.NodeModel, str]:
        parent, access = policy.require(caller, parent_id, at_least="write")
        if not parent.node.is_folder:
            raise NotFound("No such folder.")
        grants = policy.grants(caller, parent.chain)
        return tree.create_folder(parent, folder_name, grants=grants), access

    node, access = retried(attempt)
    return node_view(node, access)


def listing(
    caller: Actor, folder_id: str, *, sort: str = "name", limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """One page of a folder: the folder, its breadcrumb, its children and the next cursor."""
    if sort not in SORTS:
        raise InvalidRequest.fields({"sort": f"one of {', '.join(SORTS)}"})
    here, access = policy.require(caller, folder_id)
    if not here.node.is_folder:
        raise NotFound("No such folder.")
    scope = f"{caller.user_id}:{folder_id}:{sort}"
    items, last = nodes.children(
        folder_id,
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
        limit=limit,
        start=cursors.read(cursor, scope=scope),
    )
    return {
        "folder": node_view(here.node, access),
        "path": [
            {"id": n.node_id, "name": n.name} for n in policy.visible_chain(caller, here.chain)
        ],
        "items": [node_view(item, access) for item in items],
        "next_cursor": cursors.issue(last, scope=scope),
    }
