"""Who may do what to a node: the one access check every node route asks.

Today a node is its owner's alone; team members will reach shared folders through here too
(the chain of folders above a node is read anyway: the nodes a request names come in the
same BatchGet as the caller's user row, and their ancestors in one more, whatever the depth).
What a caller may not see is NotFound, never Forbidden, so ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from chalicelib.errors import NotFound
from chalicelib.models import nodes
from chalicelib.models.nodes import Located, NodeModel

if TYPE_CHECKING:
    from chalicelib.services.sessions import Actor

Access = Literal["owner", "write", "read"]
RANKS: dict[str, int] = {"read": 1, "write": 2, "owner": 3}


def access(user_id: str, chain: Sequence[NodeModel]) -> Access | None:
    """The caller's access to the last node of ``chain`` (root first)."""
    if chain and chain[-1].owner_id == user_id:
        return "owner"
    return None


def _not_found() -> NotFound:
    return NotFound("No such file or folder.")


def _granted(user_id: str, found: Located | None, at_least: Access) -> Access:
    granted = access(user_id, found.chain) if found is not None else None
    if granted is None or RANKS[granted] < RANKS[at_least]:
        raise _not_found()
    return granted


def visible(
    caller: Actor, node_ids: Sequence[str], *, at_least: Access = "read", below_trash: bool = False
) -> list[tuple[Located, Access]]:
    """Each node with its folders and the caller's access; NotFound if any is missing, in the
    trash (itself or, unless ``below_trash``, a folder above it) or not the caller's to see."""
    found = nodes.locate(node_ids, caller.take(node_ids))
    result = []
    for node_id in node_ids:
        here = found.get(node_id)
        granted = _granted(caller.user_id, here, at_least)
        assert here is not None
        if here.broken or (here.hidden and not (below_trash and here.node.status != "trashed")):
            raise _not_found()
        result.append((here, granted))
    return result


def require(
    caller: Actor, node_id: str, *, at_least: Access = "read", below_trash: bool = False
) -> tuple[Located, Access]:
    """One visible node and the caller's access to it (see ``visible``)."""
    return visible(caller, [node_id], at_least=at_least, below_trash=below_trash)[0]


def trashed(caller: Actor, node_id: str) -> Located:
    """A node at the top of the caller's trash, with what is left of the folders it came from
    (only its owner sees it there)."""
    found = nodes.locate([node_id], caller.take([node_id])).get(node_id)
    if found is None or found.node.status != "trashed" or found.node.trash_owner != caller.user_id:
        raise _not_found()
    return found
