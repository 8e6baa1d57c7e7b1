"""The nodes table: files and folders.

Every node carries ``path``, the ids from its owner's root down to itself (``/root/a/b/``), so a
subtree is one Query on ``by_owner_path`` and a breadcrumb one BatchGet. A visible node carries
``live_parent`` and three sort keys, one per listing order, each prefixed so folders come first;
trashing a node removes ``live_parent`` and with it the node from every listing (sparse indexes).
Names are unique per folder through ``child#{parent}#{casefolded name}`` guard items.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.errors import InvalidRequest, NameTaken, NotFound
from chalicelib.models.base import ConditionsFailed, TableName, transact, utcnow
from chalicelib.models.uniques import UniqueModel, guard, guard_key

FOLDER, FILE = "folder", "file"
RANK = {FOLDER: "0", FILE: "1"}
SORTS = {"name": "by_parent_name", "created": "by_parent_created", "size": "by_parent_size"}


class ByParentName(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_parent_name"
        projection = AllProjection()

    live_parent = UnicodeAttribute(hash_key=True)
    sort_name = UnicodeAttribute(range_key=True)


class ByParentCreated(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_parent_created"
        projection = AllProjection()

    live_parent = UnicodeAttribute(hash_key=True)
    sort_created = UnicodeAttribute(range_key=True)


class ByParentSize(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_parent_size"
        projection = AllProjection()

    live_parent = UnicodeAttribute(hash_key=True)
    sort_size = UnicodeAttribute(range_key=True)


class ByOwnerPath(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_owner_path"
        projection = AllProjection()

    owner_id = UnicodeAttribute(hash_key=True)
    path = UnicodeAttribute(range_key=True)


class ByTrash(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_trash"
        projection = AllProjection()

    trash_owner = UnicodeAttribute(hash_key=True)
    trashed_at = UnicodeAttribute(range_key=True)


class NodeModel(Model):
    class Meta:
        table_name = TableName("nodes")

    node_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    name = UnicodeAttribute()
    parent_id = UnicodeAttribute(null=True)
    owner_id = UnicodeAttribute()
    path = UnicodeAttribute()
    # "ready", "uploading" (a file whose bytes are on their way) or "trashed".
    status = UnicodeAttribute(default="ready")
    size = NumberAttribute(default=0)
    content_type = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    uploaded_by = UnicodeAttribute(null=True)
    # Folders: visible children, and the bytes of every ready file below.
    child_count = NumberAttribute(default=0)
    total_size = NumberAttribute(default=0)
    thumbnail: MapAttribute[str, Any] = MapAttribute(null=True)
    # Index keys; see the module's docstring.
    live_parent = UnicodeAttribute(null=True)
    sort_name = UnicodeAttribute(null=True)
    sort_created = UnicodeAttribute(null=True)
    sort_size = UnicodeAttribute(null=True)
    trash_owner = UnicodeAttribute(null=True)
    trashed_at = UnicodeAttribute(null=True)

    by_parent_name = ByParentName()
    by_parent_created = ByParentCreated()
    by_parent_size = ByParentSize()
    by_owner_path = ByOwnerPath()
    by_trash = ByTrash()

    @property
    def is_folder(self) -> bool:
        return self.kind == FOLDER


# A range key holds at most 1024 bytes: sort keys keep a prefix of the folded name (names that
# share 1000 bytes sort among themselves in no set order), and ``path`` limits the depth.
SORT_TEXT_BYTES = 1000
MAX_DEPTH = 25


def name_key(name: str) -> str:
    return name.casefold()


def _clip(text: str, limit: int) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def child_guard_value(parent_id: str, name: str) -> str:
    """What the ``child#`` guard holds: the folder and a digest of the folded name (a folded
    name can outgrow a key)."""
    return f"{parent_id}#{hashlib.sha256(name_key(name).encode()).hexdigest()}"


def depth(node: NodeModel) -> int:
    return node.path.strip("/").count("/")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def listing_keys(*, kind: str, name: str, created: datetime, size: int) -> dict[str, Any]:
    """The sort keys of a visible node. Folders sort by name under "size" too."""
    rank = RANK[kind]
    by_size = f"{size:016d}" if kind == FILE else _clip(name_key(name), SORT_TEXT_BYTES)
    return {
        "sort_name": f"{rank}#{_clip(name_key(name), SORT_TEXT_BYTES)}",
        "sort_created": f"{rank}#{_stamp(created)}",
        "sort_size": f"{rank}#{by_size}",
    }


def new_root(owner_id: str, root_id: str) -> NodeModel:
    """The folder every account starts with; it has no parent and is never listed."""
    now = utcnow()
    return NodeModel(
        root_id,
        kind=FOLDER,
        name="",
        owner_id=owner_id,
        path=f"/{root_id}/",
        created_at=now,
        updated_at=now,
    )


def get(node_id: str) -> NodeModel | None:
    try:
        return NodeModel.get(node_id, consistent_read=True)
    except NodeModel.DoesNotExist:
        return None


def batch(node_ids: Iterable[str]) -> dict[str, NodeModel]:
    ids = list(dict.fromkeys(node_ids))
    return {node.node_id: node for node in NodeModel.batch_get(ids)} if ids else {}


def create_folder(parent: NodeModel, name: str, *, owner_id: str) -> NodeModel:
    """A new folder in ``parent``: its name guard, the node and the parent's count at once."""
    if depth(parent) + 1 > MAX_DEPTH:
        raise InvalidRequest.fields({"parent_id": f"folders nest at most {MAX_DEPTH} deep"})
    node_id = uuid.uuid4().hex
    now = utcnow()
    node = NodeModel(
        node_id,
        kind=FOLDER,
        name=name,
        parent_id=parent.node_id,
        owner_id=owner_id,
        path=f"{parent.path}{node_id}/",
        created_at=now,
        updated_at=now,
        live_parent=parent.node_id,
        **listing_keys(kind=FOLDER, name=name, created=now, size=0),
    )

    def build(tx: TransactWrite) -> None:
        tx.save(
            guard("child", child_guard_value(parent.node_id, name), node_id),
            condition=UniqueModel.key.does_not_exist(),
        )
        tx.save(node, condition=NodeModel.node_id.does_not_exist())
        tx.update(
            parent,
            actions=[NodeModel.child_count.add(1), NodeModel.updated_at.set(now)],
            condition=(NodeModel.status == "ready") & (NodeModel.kind == FOLDER),
        )

    try:
        transact(build)
    except ConditionsFailed as exc:
        if 0 in exc.failed:
            raise NameTaken() from exc
        raise NotFound("No such folder.") from exc
    return node


def children(
    parent_id: str,
    *,
    sort: str,
    descending: bool,
    limit: int,
    start: dict[str, Any] | None,
) -> tuple[list[NodeModel], dict[str, Any] | None]:
    """One page of a folder's visible children and the key to continue from (or None)."""
    index = getattr(NodeModel, SORTS[sort])
    result = index.query(
        parent_id,
        scan_index_forward=not descending,
        limit=limit,
        last_evaluated_key=start,
    )
    items = list(result)
    return items, result.last_evaluated_key


def names_of(ids: Sequence[str]) -> list[tuple[str, str]]:
    """(id, name) for each id in order; ids that no longer exist are left out."""
    found = batch(ids)
    return [(node_id, found[node_id].name) for node_id in ids if node_id in found]


def purge_owner(owner_id: str) -> int:
    """Delete every node of an owner and each one's name guard (a job's work: it may stop
    half-way and run again, as each pass deletes what is left). Returns how many nodes."""
    removed = 0
    for node in NodeModel.by_owner_path.query(owner_id):
        if node.parent_id is not None:
            _release_name(node)
        node.delete()
        removed += 1
    return removed


def _release_name(node: NodeModel) -> None:
    name_guard = UniqueModel(guard_key("child", child_guard_value(str(node.parent_id), node.name)))
    try:
        name_guard.delete(condition=UniqueModel.owner_id == node.node_id)
    except DeleteError as exc:
        if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise
