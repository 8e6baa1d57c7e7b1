"""Who may do what to a node: the one access check every node route asks.

A node is its owner's; a team member reaches a folder shared with one of their teams and
everything below it, with the access it was shared with. Both facts the answer needs are
read anyway: the caller's teams are on their user row (read by the session check) and a
folder's teams on the folder, which is in the chain of folders above the node. So the check
costs no read of its own: the nodes a request names come in the same BatchGet as the user
row, and their ancestors in one more, whatever the depth. What a caller may not see is
NotFound, never Forbidden, so ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from chalicelib.errors import Forbidden, NotFound
from chalicelib.models import nodes
from chalicelib.models.nodes import Located, NodeModel

if TYPE_CHECKING:
    from chalicelib.services.sessions import Actor

Access = Literal["owner", "write", "read"]
RANKS: dict[str, int] = {"read": 1, "write": 2, "owner": 3}


def access(caller: Actor, chain: Sequence[NodeModel]) -> Access | None:
    """The caller's access to the last node of ``chain`` (root first): its owner's, or the
    best a folder in the chain is shared with one of the caller's teams."""
    if not chain:
        return None
    if chain[-1].owner_id == caller.user_id:
        return "owner"
    return _through_teams(caller, chain)[1]


def _through_teams(caller: Actor, chain: Sequence[NodeModel]) -> tuple[int, Access | None]:
    """The best access the caller's teams give to the end of ``chain``, and the index of the
    highest folder that gives any (where what the caller sees of the chain begins)."""
    teams = set(caller.user.team_ids or ())
    best: Access | None = None
    entry = len(chain)
    for index, folder in enumerate(chain):
        if teams & set(folder.shared_write or ()):
            return min(entry, index), "write"
        if teams & set(folder.shared_read or ()):
            best, entry = "read", min(entry, index)
    return entry, best


def visible_chain(caller: Actor, chain: Sequence[NodeModel]) -> Sequence[NodeModel]:
    """The part of ``chain`` the caller may see: all of it for its owner; for a team member,
    from the highest folder shared with them down (a breadcrumb shows nothing above)."""
    if chain and chain[-1].owner_id == caller.user_id:
        return chain
    return chain[_through_teams(caller, chain)[0] :]


def _not_found() -> NotFound:
    return NotFound("No such file or folder.")


def _granted(caller: Actor, found: Located, at_least: Access) -> Access:
    """The caller's access; NotFound when they have none, Forbidden when they see it but
    may not do this (a read-only member writing)."""
    granted = access(caller, found.chain)
    if granted is None:
        raise _not_found()
    if RANKS[granted] < RANKS[at_least]:
        raise Forbidden("You may only look at this: it is shared with you to read.")
    return granted


def visible(
    caller: Actor, node_ids: Sequence[str], *, at_least: Access = "read", below_trash: bool = False
) -> list[tuple[Located, Access]]:
    """Each node with its folders and the caller's access; NotFound if any is missing, in the
    trash (itself or, unless ``below_trash``, a folder above it) or not the caller's to see;
    Forbidden if the caller sees it but with less than ``at_least``."""
    found = nodes.locate(node_ids, caller.take(node_ids))
    result = []
    for node_id in node_ids:
        here = found.get(node_id)
        if here is None or here.broken:
            raise _not_found()
        if here.hidden and not (below_trash and here.node.status != "trashed"):
            raise _not_found()
        result.append((here, _granted(caller, here, at_least)))
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
