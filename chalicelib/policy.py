"""Who may do what to a node: the one access check every node route asks.

Today a node is its owner's alone; team members will reach shared folders through here too.
What a caller may not see is reported as NotFound, never as Forbidden, so ids reveal nothing.
"""

from __future__ import annotations

from typing import Literal

from chalicelib.errors import NotFound
from chalicelib.models import nodes
from chalicelib.models.nodes import NodeModel

Access = Literal["owner", "write", "read"]
RANKS: dict[str, int] = {"read": 1, "write": 2, "owner": 3}


def access(user_id: str, node: NodeModel) -> Access | None:
    if node.owner_id == user_id:
        return "owner"
    return None


def require(user_id: str, node_id: str, *, at_least: Access = "read") -> tuple[NodeModel, Access]:
    """The node and the caller's access to it, or NotFound (missing, trashed, or not theirs)."""
    node = nodes.get(node_id)
    granted = access(user_id, node) if node is not None else None
    if node is None or granted is None or node.status == "trashed":
        raise NotFound("No such file or folder.")
    if RANKS[granted] < RANKS[at_least]:
        raise NotFound("No such file or folder.")
    return node, granted
