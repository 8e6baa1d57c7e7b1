"""Search by name over the caller's files and folders.

One Query on ``by_owner_path`` (the caller's nodes, in path order) with the substring match
as a filter, plus one Query of the caller's trash to leave out what is under it. DynamoDB
bills the items a Query reads, not the ones the filter keeps, so a search costs about one
read unit per 8 KB of the caller's nodes; a request reads at most ``PAGES`` pages of
``PAGE_ITEMS`` nodes and hands back a cursor to go on (the README's cost model has the numbers).
"""

from __future__ import annotations

from typing import Any

from chalicelib import filetypes
from chalicelib.errors import InvalidRequest
from chalicelib.models.nodes import FILE, FOLDER, NodeModel, name_key
from chalicelib.services import cursors
from chalicelib.services.nodes import node_view

TYPES = ("file", "folder", *filetypes.CATEGORIES)
# Per request: at most PAGES pages of PAGE_ITEMS nodes read (the rest is for the next cursor).
PAGES = 8
PAGE_ITEMS = 500


def search(
    user_id: str, text: str, *, kind: str | None = None, limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """One page of the caller's visible nodes whose name contains ``text``, in path order."""
    text = text.strip()
    needle = name_key(text)
    # Counted in code points of what was asked: folding can lengthen it ("ß" is "ss").
    if not 1 <= len(text) <= 255:
        raise InvalidRequest.fields({"q": "1 to 255 characters"})
    if kind is not None and kind not in TYPES:
        raise InvalidRequest.fields({"type": f"one of {', '.join(TYPES)}"})
    scope = f"{user_id}:search:{needle}:{kind or ''}"
    condition = NodeModel.name_fold.contains(needle) & (NodeModel.status == "ready")
    if kind == FOLDER:
        condition &= NodeModel.kind == FOLDER
    elif kind is not None:
        condition &= NodeModel.kind == FILE
    hidden = [top.path for top in NodeModel.by_trash.query(user_id)]
    pages = NodeModel.by_owner_path.query(
        user_id,
        filter_condition=condition,
        last_evaluated_key=cursors.read(cursor, scope=scope),
        page_size=PAGE_ITEMS,
    ).page_iter
    found: list[dict[str, Any]] = []
    resume: dict[str, Any] | None = None
    for _ in range(PAGES):
        page = next(pages, None)
        if page is None:
            break
        resume = pages.last_evaluated_key
        for raw in page.get("Items", []):
            node = NodeModel.from_raw_data(raw)
            if any(node.path.startswith(prefix) for prefix in hidden) or not _is(node, kind):
                continue
            found.append(node_view(node, "owner"))
            if len(found) == limit:
                # Stopped inside the page: go on after this item next time.
                resume = {key: raw[key] for key in pages.key_names}
                break
        if len(found) == limit or resume is None:
            break
    return {"items": found, "next_cursor": cursors.issue(resume, scope=scope)}


def _is(node: NodeModel, kind: str | None) -> bool:
    if kind in (None, FILE, FOLDER):
        return True
    return filetypes.category(node.content_type) == kind
