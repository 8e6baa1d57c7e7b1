"""The trash: listing it, restoring from it, and deleting from it for good (by hand, by
emptying it, or by the daily purge of what has been there too long)."""

from __future__ import annotations

from typing import Any

from chalicelib import policy, storage
from chalicelib.config import get_settings
from chalicelib.errors import NotFound
from chalicelib.models import nodes, purge, teams, tree
from chalicelib.models.nodes import FILE, Located, NodeModel, path_ids
from chalicelib.services import cursors
from chalicelib.services.nodes import node_view, retried, under_free_name
from chalicelib.services.sessions import Actor


def listing(user_id: str, *, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """The tops of the caller's trash, most recently trashed first."""
    scope = f"{user_id}:trash"
    result = NodeModel.by_trash.query(
        user_id,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=cursors.read(cursor, scope=scope),
    )
    items = [node_view(node, "owner") for node in result]
    return {"items": items, "next_cursor": cursors.issue(result.last_evaluated_key, scope=scope)}


def restore(caller: Actor, node_id: str) -> dict[str, Any]:
    """Put a trashed node back in its old folder, or in the root when that folder is gone or
    in the trash itself; a name taken meanwhile becomes ``name (1)``."""

    def attempt() -> NodeModel:
        found = policy.trashed(caller, node_id)
        node = found.node
        if node.purge_started is not None:
            raise NotFound("This is being deleted for good.")
        dest = _restore_target(caller, found)
        return under_free_name(
            dest.node.node_id,
            node.name,
            lambda name: tree.restore(Located(node, ()), tree.Destination(dest, name)),
        )

    return node_view(retried(attempt), "owner")


def _restore_target(caller: Actor, found: Located) -> Located:
    """The old folder when it is still there and visible, else the owner's root."""
    above = found.ancestors
    if above and not found.broken and not any(n.status == "trashed" for n in above):
        if policy.access(caller, above):
            return Located(above[-1], above[:-1])
    if above and above[0].parent_id is None:
        return Located(above[0], ())
    root = nodes.get(path_ids(found.node)[0])
    if root is None or root.parent_id is not None:
        raise NotFound("No such folder.")
    return Located(root, ())


def delete(user_id: str, node_id: str) -> None:
    """Delete a trashed node and what is under it for good."""
    top = purge.mark(node_id, owner_id=user_id)
    if top is None:
        raise NotFound("No such file or folder.")
    _remove_retried(top)


def empty(user_id: str) -> int:
    """Delete everything in the caller's trash for good. Returns how many tops."""
    removed = 0
    for top in NodeModel.by_trash.query(user_id):
        _remove_retried(top)
        removed += 1
    return removed


def remove(top: NodeModel) -> None:
    """Delete a trashed subtree: the mark, the S3 objects, then the nodes in batches (see
    chalicelib/models/purge.py for why a crash anywhere is harmless)."""
    if top.purge_started is None:
        marked = purge.mark(top.node_id, owner_id=str(top.trash_owner))
        if marked is None:
            return  # restored or deleted meanwhile
        top = marked
    doomed = purge.doomed(top)
    files = [n for n in doomed if n.kind == FILE]
    for node in files:
        if node.status == "uploading" and node.s3_upload_id:
            storage.abort(node.owner_id, node.node_id, node.s3_upload_id)
    storage.delete(key for n in files for key in storage.object_keys(n.owner_id, n.node_id))
    purge.remove(doomed, top_id=top.node_id)
    for folder in doomed:
        for team_id in set(folder.shared_read or ()) | set(folder.shared_write or ()):
            teams.unshare(team_id, folder.node_id)  # the team's entry, the folder being gone


def _remove_retried(top: NodeModel) -> None:
    """``remove``, finishing the owner's unfinished move first if it meets one."""

    def attempt() -> None:
        remove(top)

    retried(attempt)


def purge_expired() -> int:
    """Delete what has been in any trash longer than the retention (a job). Returns how
    many tops."""
    removed = 0
    for top in purge.expired(get_settings().trash_retention_days):
        _remove_retried(top)
        removed += 1
    return removed
