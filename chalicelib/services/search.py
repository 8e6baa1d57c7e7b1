"""Search by name over every file and folder the caller can see.

The caller's own nodes are one Query on ``by_owner_path`` (their nodes, in path order) with the
substring match as a filter. What teams share with them is one more such Query per shared
folder, bounded to the folder's subtree by its path prefix: the folders come from the team
items of the caller's teams (one Query per team), read in one BatchGet, and the policy
(``policy.reach``) keeps those that give the caller access, outermost only, so no node is
found twice. Each owner's trash is read once (one Query of ``by_trash``) to leave out what is
under it.

DynamoDB bills the items a Query reads, not the ones the filter keeps, so a search costs about
one read unit per 8 KB of the nodes it walks; a request reads at most ``PAGES`` pages of
``PAGE_ITEMS`` nodes in all, and hands back a cursor (which source, and where in it) to go on.
The README's cost model has the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalicelib import filetypes, policy
from chalicelib.errors import InvalidRequest
from chalicelib.models import nodes, teams
from chalicelib.models.nodes import FILE, FOLDER, NodeModel, name_key
from chalicelib.services import cursors, rules
from chalicelib.services.nodes import node_view

if TYPE_CHECKING:
    from chalicelib.services.sessions import Actor

TYPES = ("file", "folder", *filetypes.CATEGORIES)
# Per request: at most PAGES pages of PAGE_ITEMS nodes read (the rest is for the next cursor).
PAGES = 8
PAGE_ITEMS = 500
OWN = "own"


@dataclass(frozen=True)
class Source:
    """A subtree searched with one Query: the caller's whole drive, or a folder shared with
    them (``name`` is its id, which orders the sources and names them in cursors)."""

    name: str
    owner_id: str
    prefix: str | None


def search(
    caller: Actor,
    text: str,
    *,
    kind: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """One page of the nodes the caller can see whose name contains ``text``: their own in
    path order, then each folder shared with them, in the order of the folders' ids."""
    text = rules.nfc(text).strip()
    needle = name_key(text)
    # Counted in code points of what was asked, composed as names are (folding can lengthen
    # it: "ß" is "ss"); the needle is spelled as ``name_fold`` is, so "cafe\u0301" finds "café".
    if not 1 <= len(text) <= 255:
        raise InvalidRequest.fields({"q": "1 to 255 characters"})
    if kind is not None and kind not in TYPES:
        raise InvalidRequest.fields({"type": f"one of {', '.join(TYPES)}"})
    scope = f"{caller.user_id}:search:{needle}:{kind or ''}"
    position = cursors.read(cursor, scope=scope) or {}
    condition = NodeModel.name_fold.contains(needle) & (NodeModel.status == "ready")
    if kind == FOLDER:
        condition &= NodeModel.kind == FOLDER
    elif kind is not None:
        condition &= NodeModel.kind == FILE

    shared = _shared(caller)
    sources = [Source(OWN, caller.user_id, None)]
    sources += [Source(top.node_id, top.owner_id, top.path) for top in shared.tops]
    # Resume at the source the cursor names; if it is no longer shared, at the next one.
    at = str(position.get("source", OWN))
    first = next((i for i, s in enumerate(sources) if _after(s.name, at)), len(sources))
    key = position.get("key") if first < len(sources) and sources[first].name == at else None
    if key is not None and not _within(sources[first], key):
        key = None  # the folder moved since: its subtree is read again from its new place

    found: list[dict[str, Any]] = []
    trash: dict[str, list[str]] = {}
    budget = PAGES
    resume: dict[str, Any] | None = None
    for index in range(first, len(sources)):
        source = sources[index]
        if source.owner_id not in trash:
            trash[source.owner_id] = [t.path for t in NodeModel.by_trash.query(source.owner_id)]
        hidden = trash[source.owner_id]
        pages = NodeModel.by_owner_path.query(
            source.owner_id,
            NodeModel.path.startswith(source.prefix) if source.prefix else None,
            filter_condition=condition,
            last_evaluated_key=key,
            page_size=PAGE_ITEMS,
        ).page_iter
        key = None
        while budget and len(found) < limit:
            page = next(pages, None)
            if page is None:
                break
            budget -= 1
            key = pages.last_evaluated_key
            for raw in page.get("Items", []):
                node = NodeModel.from_raw_data(raw)
                if any(node.path.startswith(top) for top in hidden) or not _is(node, kind):
                    continue
                granted = "owner" if source.name == OWN else shared.access(node)
                if granted is None:
                    continue
                found.append(node_view(node, granted))
                if len(found) == limit:
                    # Stopped inside the page: go on after this item next time.
                    key = {name: raw[name] for name in pages.key_names}
                    break
            if key is None:
                break
        if key is not None:
            resume = {"source": source.name, "key": key}
            break
        if not budget or len(found) == limit:
            # This source is done; the next request starts the next one.
            if index + 1 < len(sources):
                resume = {"source": sources[index + 1].name}
            break
    return {"items": found, "next_cursor": cursors.issue(resume, scope=scope)}


def _after(name: str, at: str) -> bool:
    """Whether source ``name`` is ``at`` or comes after it (the caller's own comes first)."""
    if at == OWN:
        return True
    return name != OWN and name >= at


def _within(source: Source, key: dict[str, Any]) -> bool:
    """Whether a cursor's key still lies in the source's subtree (DynamoDB refuses a start
    key outside the Query's key condition)."""
    path = key.get("path", {}).get("S", "")
    return source.prefix is None or (isinstance(path, str) and path.startswith(source.prefix))


def _shared(caller: Actor) -> policy.Reach:
    """The folders the caller's teams give them."""
    team_ids = caller.user.team_ids or set()
    if not team_ids:
        return policy.Reach(())
    items = teams.shared_folders(team_ids)
    return policy.reach(caller, nodes.batch({str(item.folder_id) for item in items}).values())


def _is(node: NodeModel, kind: str | None) -> bool:
    if kind in (None, FILE, FOLDER):
        return True
    return filetypes.category(node.content_type) == kind
