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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from chalicelib.errors import Forbidden, NotFound
from chalicelib.models import nodes
from chalicelib.models import teams as team_items
from chalicelib.models.nodes import Located, NodeModel
from chalicelib.models.tree import Grant

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


def grants(caller: Actor, *chains: Sequence[NodeModel]) -> list[Grant]:
    """What a write by the caller to the end of each chain relies on, for the write to
    condition on (chalicelib/models/tree.py, ``Grant``): nothing for the owner; for a member,
    the highest folder shared with one of their teams to write, and that membership."""
    found: list[Grant] = []
    teams = set(caller.user.team_ids or ())
    for chain in chains:
        if not chain or chain[-1].owner_id == caller.user_id:
            continue
        for folder in chain:
            through = sorted(teams & set(folder.shared_write or ()))
            if through:
                team_id = through[0]
                found.append(Grant(folder, team_id, team_items.staying(team_id, caller.user_id)))
                break
    return found


def visible_chain(caller: Actor, chain: Sequence[NodeModel]) -> Sequence[NodeModel]:
    """The part of ``chain`` the caller may see: all of it for its owner; for a team member,
    from the highest folder shared with them down (a breadcrumb shows nothing above)."""
    if chain and chain[-1].owner_id == caller.user_id:
        return chain
    return chain[_through_teams(caller, chain)[0] :]


@dataclass(frozen=True)
class Reach:
    """The folders of others that the caller's teams give them, as search walks them: each
    with the access it gives by itself, so a node below any of them is answered from its path
    (same owner, path below the folder's) without reading its chain."""

    grants: tuple[tuple[NodeModel, Access], ...]

    @property
    def tops(self) -> list[NodeModel]:
        """The outermost of them (none of the others above it), in id order: every node the
        caller reaches through a team is in exactly one top's subtree."""
        folders = [folder for folder, _ in self.grants]
        return sorted(
            (f for f in folders if not any(g is not f and _below(f, g) for g in folders)),
            key=lambda f: f.node_id,
        )

    def access(self, node: NodeModel) -> Access | None:
        """The best access any of them above (or at) ``node`` gives."""
        best: Access | None = None
        for folder, granted in self.grants:
            if _below(node, folder) and (best is None or RANKS[granted] > RANKS[best]):
                best = granted
        return best


def _below(node: NodeModel, folder: NodeModel) -> bool:
    return node.owner_id == folder.owner_id and node.path.startswith(folder.path)


def reach(caller: Actor, folders: Iterable[NodeModel]) -> Reach:
    """Of ``folders`` (those shared with the caller's teams), the ones that give the caller
    access and are not theirs. A folder in the trash gives nothing; one below a trashed folder
    still counts here, and the caller of this leaves out what is under the trash."""
    grants = []
    for folder in folders:
        if folder.owner_id == caller.user_id or folder.status != "ready":
            continue
        granted = _through_teams(caller, [folder])[1]
        if granted is not None:
            grants.append((folder, granted))
    return Reach(tuple(grants))


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
