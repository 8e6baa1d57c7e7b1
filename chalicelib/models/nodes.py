"""The nodes table: files and folders.

Every node carries ``path``, the ids from its owner's root down to itself (``/root/a/b/``), so a
subtree is one Query on ``by_owner_path`` and a breadcrumb one BatchGet. A visible node carries
``live_parent`` and three sort keys, one per listing order, each prefixed so folders come first;
trashing a node removes ``live_parent`` and with it the node from every listing (sparse indexes).
Names are unique per folder through ``child#{parent}#{casefolded name}`` guard items.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.models.base import TableName, read_together, utcnow
from chalicelib.models.uniques import UniqueModel, guard_key

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


class ByUpload(GlobalSecondaryIndex["NodeModel"]):
    class Meta:
        index_name = "by_upload"
        projection = AllProjection()

    upload_owner = UnicodeAttribute(hash_key=True)
    upload_started = UnicodeAttribute(range_key=True)


class NodeModel(Model):
    class Meta:
        table_name = TableName("nodes")

    node_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    name = UnicodeAttribute()
    # The casefolded name, which search matches against.
    name_fold = UnicodeAttribute(null=True)
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
    # Files: the thumbnail state (chalicelib/models/media.py) and what the media function read
    # of a picture or video: its size as shown, a video's duration and rotation.
    thumbnail: MapAttribute[str, Any] = MapAttribute(null=True)
    media: MapAttribute[str, Any] = MapAttribute(null=True)
    # Folders: the teams this folder is shared with, by access (chalicelib/models/teams.py).
    shared_read = UnicodeSetAttribute(null=True)
    shared_write = UnicodeSetAttribute(null=True)
    # A file on its way (status "uploading"): the declared size, how it is cut, S3's id of
    # the multipart upload (none for a single PUT), and the keys of the sparse by_upload index.
    declared_size = NumberAttribute(null=True)
    part_size = NumberAttribute(null=True)
    part_count = NumberAttribute(null=True)
    s3_upload_id = UnicodeAttribute(null=True)
    upload_owner = UnicodeAttribute(null=True)
    upload_started = UnicodeAttribute(null=True)
    # Index keys; see the module's docstring.
    live_parent = UnicodeAttribute(null=True)
    sort_name = UnicodeAttribute(null=True)
    sort_created = UnicodeAttribute(null=True)
    sort_size = UnicodeAttribute(null=True)
    trash_owner = UnicodeAttribute(null=True)
    trashed_at = UnicodeAttribute(null=True)
    # Set when a trashed node starts to be deleted for good: from then on it cannot come back.
    purge_started = UTCDateTimeAttribute(null=True)

    by_parent_name = ByParentName()
    by_parent_created = ByParentCreated()
    by_parent_size = ByParentSize()
    by_owner_path = ByOwnerPath()
    by_trash = ByTrash()
    by_upload = ByUpload()

    @property
    def is_folder(self) -> bool:
        return self.kind == FOLDER

    @property
    def weight(self) -> int:
        """The bytes this node adds to the folders above it: a folder's total, a ready file's
        size; an uploading file weighs nothing yet."""
        if self.is_folder:
            return int(self.total_size)
        return int(self.size) if self.status != "uploading" else 0


# A range key holds at most 1024 bytes: sort keys keep a prefix of the folded name (names that
# share 1000 bytes sort among themselves in no set order), and ``path`` limits the depth.
SORT_TEXT_BYTES = 1000
MAX_DEPTH = 25


def name_key(name: str) -> str:
    """The one spelling of a name that uniqueness, sorting and search compare: composed, case
    folded, composed again (folding can decompose: "\u01f0" folds to "j\u030c")."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _clip(text: str, limit: int) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def child_guard_value(parent_id: str, name: str) -> str:
    """What the ``child#`` guard holds: the folder and a digest of the folded name (a folded
    name can outgrow a key)."""
    return f"{parent_id}#{hashlib.sha256(name_key(name).encode()).hexdigest()}"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def listing_keys(*, kind: str, name: str, created: datetime, size: int) -> dict[str, Any]:
    """The sort keys of a visible node (and the folded name search reads). Folders sort by
    name under "size" too."""
    rank = RANK[kind]
    by_size = f"{size:016d}" if kind == FILE else _clip(name_key(name), SORT_TEXT_BYTES)
    return {
        "name_fold": name_key(name),
        "sort_name": f"{rank}#{_clip(name_key(name), SORT_TEXT_BYTES)}",
        "sort_created": f"{rank}#{stamp(created)}",
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
    """The nodes that exist among ``node_ids``, read consistently, by id."""
    return read_together([(NodeModel, node_ids)])[0]


def path_ids(node: NodeModel) -> list[str]:
    """The ids ``path`` names, root first, the node itself last."""
    return [i for i in node.path.split("/") if i]


@dataclass(frozen=True)
class Located:
    """A node with the folders above it (root first, parent last), as parent links say now."""

    node: NodeModel
    ancestors: tuple[NodeModel, ...]
    # A folder above was deleted for good: ``ancestors`` holds only those below the gap.
    broken: bool = False

    @property
    def chain(self) -> tuple[NodeModel, ...]:
        return (*self.ancestors, self.node)

    @property
    def hidden(self) -> bool:
        """In the trash, itself or below a trashed folder."""
        return any(n.status == "trashed" for n in self.chain)

    @property
    def true_path(self) -> str:
        return "/" + "".join(f"{n.node_id}/" for n in self.chain)


def locate(
    node_ids: Sequence[str], read: Mapping[str, NodeModel | None] | None = None
) -> dict[str, Located]:
    """Each node that exists among ``node_ids`` with its chain of folders; ``read`` holds
    those of them read (consistently, None when absent) earlier in this request.

    ``path`` names the ancestors, so one BatchGet usually fetches them all; ``parent_id`` is
    what decides, so a path still being rewritten by a move costs an extra round, never a
    wrong answer. A node whose chain is broken (a folder above it deleted for good) comes back
    marked ``broken``.
    """
    read = read or {}
    fetched = {i: n for i, n in read.items() if n is not None}
    fetched.update(batch(i for i in node_ids if i not in read))
    gone = set(node_ids) - fetched.keys()
    for _ in range(MAX_DEPTH + 2):
        wanted: set[str] = set()
        for node_id in node_ids:
            node = fetched.get(node_id)
            for _ in range(MAX_DEPTH + 1):  # a longer chain is cut there (``_chain``)
                if node is None or node.parent_id is None:
                    break
                parent = fetched.get(node.parent_id)
                if parent is None:
                    if node.parent_id not in gone:
                        # Not read yet: its path names the rest of the chain, probably.
                        wanted.add(node.parent_id)
                        wanted.update(path_ids(node)[:-1])
                    break
                node = parent
        missing = wanted - fetched.keys() - gone
        if not missing:
            break
        fetched.update(batch(missing))
        gone |= missing - fetched.keys()
    found: dict[str, Located] = {}
    for node_id in node_ids:
        if node_id in fetched:
            chain, whole = _chain(fetched, node_id)
            found[node_id] = Located(node=chain[-1], ancestors=tuple(chain[:-1]), broken=not whole)
    return found


def _chain(fetched: dict[str, NodeModel], node_id: str) -> tuple[list[NodeModel], bool]:
    """The chain from the root (or from the gap where a folder is missing) down to the node,
    and whether it reaches the root. No node lies deeper than MAX_DEPTH (every write that
    places one is conditioned on the chain it checked), so a longer walk is a damaged chain:
    it is cut there and counts as broken, never followed round a cycle."""
    chain = [fetched[node_id]]
    while chain[-1].parent_id is not None:
        parent = fetched.get(chain[-1].parent_id)
        if parent is None or len(chain) > MAX_DEPTH:
            return chain[::-1], False
        chain.append(parent)
    return chain[::-1], True


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
