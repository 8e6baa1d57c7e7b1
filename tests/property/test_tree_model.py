"""The tree against a model: hypothesis drives random sequences of folder, upload, rename, move,
trash, restore, delete-forever, empty-trash and daily-purge operations through the HTTP API
for one signed-in user, and after every step checks

- every counter, aggregate, name guard and path in the tables (tests/invariants.py),
- the user's nodes in DynamoDB against the model this test keeps (kind, name, parent, status,
  size), the trash listing against the model's trash, and
- GET /users/me/stats against the model (used, reserved and free bytes, file count, bytes by
  type; the trash counts as used).

Invalid operations (a move into the node's own subtree or into a file, a name that is taken,
trashing the root or an upload in progress, …) must be refused and change nothing. An upload
whose folder went to the trash can still be completed or aborted (it comes back with the
folder); one whose folder was deleted for good cannot.

One moto stack serves the test and every example signs up a fresh user. ``PROPERTY_EXAMPLES``
(and ``PROPERTY_STEPS``) run more: ``PROPERTY_EXAMPLES=300 .venv/bin/pytest tests/property``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import requests
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from chalicelib.services import jobs
from tests import files, invariants
from tests.client import Api, Reply, assert_error
from tests.conftest import REGION, User

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "15"))
STEPS = int(os.environ.get("PROPERTY_STEPS", "20"))
MAX_DEPTH = 25  # folders below the root (the contract's limit)
OLD = timedelta(days=40)  # older than TRASH_RETENTION_DAYS' default of 30

# Few names, so that clashes happen; "ß" and "ss" are one name once case is folded.
NAMES = ["a", "A", "b", "Docs", "docs", "x.txt", "X.TXT", "ß", "ss", "報告"]
CATEGORY = {
    "image/png": "image",
    "image/svg+xml": "image",
    "video/mp4": "video",
    "audio/mpeg": "audio",
    "application/pdf": "document",
    "text/plain": "document",
    "application/zip": "archive",
    "application/octet-stream": "other",
}
CATEGORIES = ("image", "video", "audio", "document", "archive", "other")
UNKNOWN_ID = "0123456789abcdef0123456789abcdef"

names = st.sampled_from(NAMES)
sizes = st.integers(min_value=0, max_value=2000)
content_types = st.sampled_from(sorted(CATEGORY))


def content(size: int, first: int) -> bytes:
    """``size`` bytes that differ from file to file."""
    return bytes((first + i * 7) % 256 for i in range(size))


def fold(name: str) -> str:
    return name.casefold()


@dataclass
class Node:
    id: str
    kind: str  # "file" or "folder"
    name: str
    parent: str | None
    status: str = "ready"  # its own status: "ready", "uploading" or "trashed"
    size: int = 0
    content_type: str | None = None
    data: bytes = b""
    upload: dict[str, Any] | None = None  # POST /uploads' reply, while uploading


@dataclass
class Model:
    """What the user's tree must be."""

    root: str
    nodes: dict[str, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.nodes[self.root] = Node(self.root, "folder", "", None)

    def children(self, node_id: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == node_id]

    def chain(self, node_id: str) -> list[Node]:
        """The node and the folders above it, root last (shorter when a folder above is gone
        for good: only a trashed node can be left so)."""
        found = []
        node = self.nodes.get(node_id)
        while node is not None:
            found.append(node)
            node = self.nodes.get(node.parent) if node.parent else None
        return found

    def reachable(self, node_id: str) -> bool:
        """Its parent links lead to the root (they do not when a folder above was deleted for
        good while something trashed on its own inside it stayed in the trash)."""
        chain = self.chain(node_id)
        return bool(chain) and chain[-1].id == self.root

    def visible(self, node_id: str) -> bool:
        """Reachable, and neither it nor a folder above it is in the trash."""
        chain = self.chain(node_id)
        return self.reachable(node_id) and all(n.status != "trashed" for n in chain)

    def below(self, node_id: str) -> list[Node]:
        """Everything under a node, whatever its status."""
        found, todo = [], [node_id]
        while todo:
            kids = self.children(todo.pop())
            found += kids
            todo += [k.id for k in kids]
        return found

    def taken(self, parent: str, name: str, *, but: str | None = None) -> bool:
        """A child that is not in the trash holds the name (case folded) in ``parent``."""
        return any(
            fold(n.name) == fold(name) and n.status != "trashed" and n.id != but
            for n in self.children(parent)
        )

    def height(self, node_id: str) -> int:
        depth = len(self.chain(node_id))
        return max((len(self.chain(n.id)) - depth for n in self.below(node_id)), default=0)

    def tops(self) -> list[str]:
        return [n.id for n in self.nodes.values() if n.status == "trashed"]

    def doomed(self, top: str) -> list[str]:
        """What deleting a trash top for good removes: it and what is under it, except what
        was trashed on its own inside it (that stays in the trash, with what is under it)."""
        gone, todo = [top], [top]
        while todo:
            for kid in self.children(todo.pop()):
                if kid.status != "trashed":
                    gone.append(kid.id)
                    todo.append(kid.id)
        return gone

    def forget(self, node_ids: list[str]) -> None:
        for node_id in node_ids:
            del self.nodes[node_id]

    def stats(self) -> dict[str, Any]:
        stored = [n for n in self.nodes.values() if n.kind == "file" and n.status != "uploading"]
        pending = [n for n in self.nodes.values() if n.status == "uploading"]
        by_type = {c: {"count": 0, "bytes": 0} for c in CATEGORIES}
        for node in stored:
            typed = by_type[CATEGORY[node.content_type or ""]]
            typed["count"] += 1
            typed["bytes"] += node.size
        return {
            "used_bytes": sum(n.size for n in stored),
            "trash_bytes": sum(n.size for n in stored if self.in_trash(n)),
            "reserved_bytes": sum(n.size for n in pending),
            "file_count": len(stored),
            "folder_count": sum(1 for n in self.nodes.values() if n.kind == "folder" and n.parent),
            "by_type": by_type,
        }

    def in_trash(self, node: Any) -> bool:
        """Trashed itself or below a trashed folder (or below one deleted for good)."""
        while node is not None:
            if node.status == "trashed":
                return True
            if not node.parent:
                return False
            node = self.nodes.get(node.parent)
        return True

    def rows(self) -> dict[str, tuple[Any, ...]]:
        return {
            n.id: (n.kind, n.name, n.parent, n.status, n.size if n.kind == "file" else None)
            for n in self.nodes.values()
        }


def refused(reply: Reply, status: int, code: str, why: str) -> None:
    """The contract's error, counted in hypothesis' statistics (--hypothesis-show-statistics)."""
    assert_error(reply, status, code)
    event(why)


def nodes_of(client: Any, owner_id: str) -> dict[str, dict[str, Any]]:
    """The owner's rows in the nodes table, by id (one Query on by_owner_path: moto answers
    it at once, and it reads only this owner's rows where a scan reads every example's)."""
    rows: dict[str, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {
        "TableName": "test-nodes",
        "IndexName": "by_owner_path",
        "KeyConditionExpression": "owner_id = :owner",
        "ExpressionAttributeValues": {":owner": {"S": owner_id}},
    }
    while True:
        page = client.query(**kwargs)
        for item in page["Items"]:
            row = {k: int(v["N"]) if "N" in v else next(iter(v.values())) for k, v in item.items()}
            rows[row["node_id"]] = row
        if "LastEvaluatedKey" not in page:
            return rows
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def age_in_dynamodb(client: Any, node_id: str) -> None:
    """Make a trashed node look as if it went to the trash long ago."""
    old = (datetime.now(UTC) - OLD).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    client.update_item(
        TableName="test-nodes",
        Key={"node_id": {"S": node_id}},
        UpdateExpression="SET trashed_at = :old",
        ConditionExpression="#s = :trashed",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":old": {"S": old}, ":trashed": {"S": "trashed"}},
    )


def make_machine(
    make_user: Callable[..., User], login: Callable[[User], Api]
) -> type[RuleBasedStateMachine]:
    # One client for the whole run: making one costs more than the requests it sends.
    dynamodb = boto3.client("dynamodb", region_name=REGION)

    class TreeMachine(RuleBasedStateMachine):
        """One fresh user per example; the model says what their tree must be."""

        def __init__(self) -> None:
            super().__init__()
            self.user = make_user()
            self.client = login(self.user)
            me = self.client.get("/users/me")
            assert me.status == 200, me.body
            self.model = Model(me.json["user"]["storage"]["root_folder_id"])
            stats = self.client.get("/users/me/stats").json
            self.quota = stats["quota_bytes"]

        def teardown(self) -> None:
            """Leave the tables small for the next example (invariants.check scans all of
            them after every step): close the account and let the daily job remove what it
            left. Best effort: after a failure the example's own error is the one to report."""
            with contextlib.suppress(Exception):
                self.client.delete("/users/me", {"password": self.user.password})
                jobs.daily()

        # --- what to pick from ----------------------------------------------------------------

        def pick(self, data: st.DataObject, candidates: list[str], label: str) -> str:
            """One of ``candidates``, which come in the order the model made them (ids are
            random: an order by id would make hypothesis replay a different example)."""
            return data.draw(st.sampled_from(candidates), label=label)

        def visible_folders(self) -> list[str]:
            m = self.model
            return [n.id for n in m.nodes.values() if n.kind == "folder" and m.visible(n.id)]

        def pending(self) -> list[str]:
            return [n.id for n in self.model.nodes.values() if n.status == "uploading"]

        def everything(self) -> list[str]:
            return list(self.model.nodes)

        def not_root(self) -> list[str]:
            """Every node but the root (which has a rule of its own, or it would be picked
            first and most often)."""
            return [i for i in self.model.nodes if i != self.model.root]

        # --- making things ---------------------------------------------------------------------

        @rule(data=st.data(), name=names)
        def create_folder(self, data: st.DataObject, name: str) -> None:
            m = self.model
            parent = self.pick(data, self.visible_folders(), "parent")

            reply = self.client.post("/folders", {"parent_id": parent, "name": name})

            if len(m.chain(parent)) > MAX_DEPTH:
                refused(reply, 400, "invalid_request", "create folder: too deep")
            elif m.taken(parent, name):
                refused(reply, 409, "name_taken", "create folder: name taken")
            else:
                assert reply.status == 201, reply.body
                node = reply.json["node"]
                assert (node["name"], node["parent_id"]) == (name, parent)
                m.nodes[node["id"]] = Node(node["id"], "folder", name, parent)

        def _start(
            self, data: st.DataObject, name: str, size: int, content_type: str
        ) -> tuple[Reply, str, bool]:
            parent = self.pick(data, self.visible_folders(), "parent")
            fail = data.draw(st.booleans(), label="on_conflict=fail")
            extra = {"on_conflict": "fail"} if fail else {}
            reply = files.start(self.client, parent, name, size, content_type, **extra)
            if fail and self.model.taken(parent, name):
                refused(reply, 409, "name_taken", "upload: name taken")
                return reply, parent, False
            assert reply.status == 201, reply.body
            node = reply.json["file"]
            assert node["parent_id"] == parent
            assert node["status"] == "uploading"
            self.assert_fresh_name(parent, name, node["name"])
            self.model.nodes[node["id"]] = Node(
                node["id"],
                "file",
                node["name"],
                parent,
                status="uploading",
                size=size,
                content_type=content_type,
                data=content(size, data.draw(st.integers(0, 255), label="first byte")),
                upload=reply.json,
            )
            return reply, parent, True

        def assert_fresh_name(self, parent: str, wanted: str, given: str) -> None:
            """``wanted`` if it was free in ``parent``, else another name that was free."""
            if not self.model.taken(parent, wanted):
                assert given == wanted, (wanted, given)
            else:
                assert given != wanted and not self.model.taken(parent, given), (wanted, given)
                event("renamed on a clash")

        @rule(data=st.data(), name=names, size=sizes, content_type=content_types)
        def upload_file(self, data: st.DataObject, name: str, size: int, content_type: str) -> None:
            reply, _, started = self._start(data, name, size, content_type)
            if started:
                self._complete(reply.json["upload_id"])

        @rule(data=st.data(), name=names, size=sizes, content_type=content_types)
        def start_upload(
            self, data: st.DataObject, name: str, size: int, content_type: str
        ) -> None:
            self._start(data, name, size, content_type)

        def _complete(self, upload_id: str) -> None:
            node = self.model.nodes[upload_id]
            assert node.upload is not None
            files.put_parts(self.client, node.upload, node.data)
            done = files.complete(self.client, upload_id)
            assert done.status == 200, done.body
            assert (done.json["file"]["status"], done.json["file"]["size"]) == ("ready", node.size)
            node.status, node.upload = "ready", None

        @precondition(lambda self: self.pending())
        @rule(data=st.data())
        def complete_upload(self, data: st.DataObject) -> None:
            upload_id = self.pick(data, self.pending(), "upload")
            where = "in the trash" if not self.model.visible(upload_id) else "visible"
            if not self.model.reachable(upload_id):
                refused(files.complete(self.client, upload_id), 404, "not_found", "complete: lost")
            elif data.draw(st.booleans(), label="complete before sending"):
                reply = files.complete(self.client, upload_id)
                refused(reply, 400, "invalid_request", f"complete: nothing sent, {where}")
            else:
                self._complete(upload_id)
                event(f"complete: done, {where}")

        @precondition(lambda self: self.pending())
        @rule(data=st.data())
        def abort_upload(self, data: st.DataObject) -> None:
            upload_id = self.pick(data, self.pending(), "upload")

            reply = self.client.delete(f"/uploads/{upload_id}")

            if not self.model.reachable(upload_id):
                refused(reply, 404, "not_found", "abort: lost")
            else:
                assert reply.status == 204, reply.body
                event("abort: " + ("visible" if self.model.visible(upload_id) else "in the trash"))
                self.model.forget([upload_id])

        # --- renaming and moving ---------------------------------------------------------------

        @precondition(lambda self: self.not_root())
        @rule(data=st.data(), name=names)
        def rename(self, data: st.DataObject, name: str) -> None:
            m = self.model
            node_id = self.pick(data, self.not_root(), "node")
            node = m.nodes[node_id]

            reply = self.client.patch(f"/nodes/{node_id}", {"name": name})

            if not m.visible(node_id):
                refused(reply, 404, "not_found", "rename: hidden")
            elif node.parent is None:
                refused(reply, 400, "invalid_move", "rename: the root")  # its name stays empty
            elif name != node.name and m.taken(node.parent, name, but=node_id):
                refused(reply, 409, "name_taken", "rename: name taken")
            else:
                assert reply.status == 200, reply.body
                assert reply.json["node"]["name"] == name
                node.name = name

        @precondition(lambda self: self.not_root())
        @rule(data=st.data())
        def move(self, data: st.DataObject) -> None:
            m = self.model
            node_id = self.pick(data, self.not_root(), "node")
            if data.draw(st.booleans(), label="into anything"):
                target = self.pick(data, [*self.everything(), UNKNOWN_ID], "into")
            else:
                target = self.pick(data, self.visible_folders(), "into a visible folder")
            node = m.nodes[node_id]

            reply = self.client.patch(f"/nodes/{node_id}", {"parent_id": target})

            self.expect_move(reply, node, target)

        @rule(data=st.data())
        def refused_operations(self, data: st.DataObject) -> None:
            """What is always refused, and changes nothing."""
            refusals = [self.the_root_stays_as_it_is, self.restore_what_is_not_a_top_of_the_trash]
            if len(self.visible_folders()) > 1:
                refusals.append(self.move_into_own_subtree)
            data.draw(st.sampled_from(refusals), label="refusal")(data)

        def move_into_own_subtree(self, data: st.DataObject) -> None:
            """Into itself or below itself."""
            m = self.model
            folders = [i for i in self.visible_folders() if i != m.root]
            node_id = self.pick(data, folders, "node")
            inside = [n.id for n in m.below(node_id) if n.kind == "folder" and m.visible(n.id)]
            target = self.pick(data, [node_id, *inside], "into")

            reply = self.client.patch(f"/nodes/{node_id}", {"parent_id": target})

            refused(reply, 400, "invalid_move", "move: into its own subtree")

        def expect_move(self, reply: Reply, node: Node, target: str) -> None:
            m = self.model
            if not (m.visible(node.id) and target in m.nodes and m.visible(target)):
                refused(reply, 404, "not_found", "move: hidden or unknown")
            elif target == node.parent:
                assert reply.status == 200, reply.body  # where it is already: nothing to do
                event("move: where it is")
            elif m.nodes[target].kind != "folder":
                refused(reply, 400, "invalid_move", "move: into a file")
            elif target == node.id or any(n.id == target for n in m.below(node.id)):
                refused(reply, 400, "invalid_move", "move: into its own subtree")
            elif node.parent is None:
                refused(reply, 400, "invalid_move", "move: the root")
            elif node.kind == "folder" and len(m.chain(target)) + m.height(node.id) > MAX_DEPTH:
                refused(reply, 400, "invalid_move", "move: too deep")
            elif m.taken(target, node.name):
                refused(reply, 409, "name_taken", "move: name taken")
            else:
                assert reply.status == 200, reply.body
                event(f"move: a {node.kind}, done")
                assert reply.json["node"]["parent_id"] == target
                assert reply.json["node"]["name"] == node.name
                node.parent = target

        def the_root_stays_as_it_is(self, data: st.DataObject) -> None:
            """The root cannot be renamed, moved or trashed."""
            root = self.model.root
            name = data.draw(names, label="name")
            into = self.pick(data, self.visible_folders(), "into")
            for reply in (
                self.client.patch(f"/nodes/{root}", {"name": name}),
                self.client.patch(f"/nodes/{root}", {"parent_id": into}),
                self.client.delete(f"/nodes/{root}"),
            ):
                assert_error(reply, 400, "invalid_move")
            event("refused: the root")

        # --- the trash -------------------------------------------------------------------------

        @precondition(lambda self: self.not_root())
        @rule(data=st.data())
        def trash(self, data: st.DataObject) -> None:
            m = self.model
            node_id = self.pick(data, self.not_root(), "node")
            node = m.nodes[node_id]

            reply = self.client.delete(f"/nodes/{node_id}")

            if not m.visible(node_id):
                refused(reply, 404, "not_found", "trash: hidden")
            elif node.parent is None:
                refused(reply, 400, "invalid_move", "trash: the root")
            elif node.status == "uploading":
                refused(reply, 400, "invalid_request", "trash: an upload in progress")
            else:
                assert reply.status == 204, reply.body
                event(f"trash: a {node.kind}, done")
                node.status = "trashed"

        @precondition(lambda self: self.model.tops())
        @rule(data=st.data())
        def restore(self, data: st.DataObject) -> None:
            m = self.model
            node_id = self.pick(data, m.tops(), "top")
            node = m.nodes[node_id]
            old_parent = node.parent
            home = old_parent if old_parent in m.nodes and m.visible(old_parent) else m.root

            reply = self.client.post(f"/trash/{node_id}/restore")

            assert reply.status == 200, reply.body
            restored = reply.json["node"]
            assert restored["parent_id"] == home, (restored["parent_id"], home, old_parent)
            assert restored["status"] == "ready"
            self.assert_fresh_name(home, node.name, restored["name"])
            event("restore: " + ("to its folder" if home == old_parent else "to the root"))
            node.parent, node.name, node.status = home, restored["name"], "ready"

        def restore_what_is_not_a_top_of_the_trash(self, data: st.DataObject) -> None:
            """Visible nodes and nodes under a trashed folder are not in the trash."""
            m = self.model
            node_id = self.pick(data, [*self.everything(), UNKNOWN_ID], "node")
            if node_id in m.tops():
                return
            for reply in (
                self.client.post(f"/trash/{node_id}/restore"),
                self.client.delete(f"/trash/{node_id}"),
            ):
                assert_error(reply, 404, "not_found")
            event("refused: not in the trash")

        @precondition(lambda self: self.model.tops())
        @rule(data=st.data())
        def delete_forever(self, data: st.DataObject) -> None:
            m = self.model
            node_id = self.pick(data, m.tops(), "top")

            reply = self.client.delete(f"/trash/{node_id}")

            assert reply.status == 204, reply.body
            doomed = m.doomed(node_id)
            event("delete forever: " + ("a subtree" if len(doomed) > 1 else "one node"))
            m.forget(doomed)

        @precondition(lambda self: self.model.tops())
        @rule()
        def empty_trash(self) -> None:
            m = self.model
            reply = self.client.delete("/trash")

            assert reply.status == 204, reply.body
            for top in m.tops():
                if top in m.nodes:  # a top inside another goes with it when that one is first
                    m.forget([i for i in m.doomed(top) if i in m.nodes])
            assert not m.tops()

        @precondition(lambda self: self.model.tops())
        @rule(data=st.data())
        def daily_purge(self, data: st.DataObject) -> None:
            """Some of the trash is old: the daily job deletes exactly that."""
            m = self.model
            old = data.draw(st.lists(st.sampled_from(m.tops()), unique=True), label="old tops")
            for top in old:
                age_in_dynamodb(dynamodb, top)
            event(f"daily purge: {min(len(old), 3)}{'+' if len(old) > 3 else ''} old tops")

            jobs.daily()

            for top in old:
                if top in m.nodes:
                    m.forget([i for i in m.doomed(top) if i in m.nodes])

        # --- reading ---------------------------------------------------------------------------

        @rule(data=st.data())
        def look(self, data: st.DataObject) -> None:
            """Download a file, list a folder or list the trash."""
            readers = [self.list_folder, self.list_trash]
            if any(n.kind == "file" for n in self.model.nodes.values()):
                readers.append(self.download)
            data.draw(st.sampled_from(readers), label="look")(data)

        def download(self, data: st.DataObject) -> None:
            m = self.model
            files_ = [n.id for n in m.nodes.values() if n.kind == "file"]
            node = m.nodes[self.pick(data, files_, "file")]

            reply = self.client.get(f"/files/{node.id}/download?redirect=0")

            if not m.visible(node.id) or node.status != "ready":
                refused(reply, 404, "not_found", "download: hidden or uploading")
                return
            assert reply.status == 200, reply.body
            event("download: done")
            fetched = requests.get(reply.json["url"], timeout=30)
            assert fetched.status_code == 200, fetched.text
            assert fetched.content == node.data

        def list_folder(self, data: st.DataObject) -> None:
            m = self.model
            folder = self.pick(data, self.visible_folders(), "folder")

            reply = self.client.get(f"/folders/{folder}?limit=200")

            assert reply.status == 200, reply.body
            listed = {(i["id"], i["name"], i["status"]) for i in reply.json["items"]}
            expected = {
                (n.id, n.name, n.status) for n in m.children(folder) if n.status != "trashed"
            }
            assert listed == expected
            assert reply.json["folder"]["total_size"] == self.weight(folder)
            assert reply.json["folder"]["child_count"] == len(expected)
            sizes_ = {i["id"]: i["size"] for i in reply.json["items"]}
            for kid in m.children(folder):
                if kid.status == "trashed":
                    continue
                weight = self.weight(kid.id)
                assert sizes_[kid.id] == (kid.size if kid.kind == "file" else weight), kid

        def list_trash(self, _data: st.DataObject) -> None:
            reply = self.client.get("/trash?limit=200")

            assert reply.status == 200, reply.body
            assert {item["id"] for item in reply.json["items"]} == set(self.model.tops())
            assert {item["status"] for item in reply.json["items"]} <= {"trashed"}
            assert reply.json["next_cursor"] is None

        def weight(self, folder_id: str) -> int:
            """The bytes of the ready files a folder holds (not counting the trash)."""
            total = 0
            for kid in self.model.children(folder_id):
                if kid.status == "trashed":
                    continue
                if kid.kind == "folder":
                    total += self.weight(kid.id)
                elif kid.status == "ready":
                    total += kid.size
            return total

        # --- after every step ------------------------------------------------------------------

        @invariant()
        def tables_and_stats_agree_with_the_model(self) -> None:
            m = self.model
            invariants.check({self.user.id})
            stored = {
                node_id: (
                    row["kind"],
                    row["name"],
                    row.get("parent_id"),
                    row.get("status", "ready"),
                    int(row.get("size", 0)) if row["kind"] == "file" else None,
                )
                for node_id, row in nodes_of(dynamodb, self.user.id).items()
            }
            assert stored == m.rows()

            stats = self.client.get("/users/me/stats")
            assert stats.status == 200, stats.body
            expected = m.stats()
            used, reserved = expected["used_bytes"], expected["reserved_bytes"]
            assert stats.json == {
                "quota_bytes": self.quota,
                "free_bytes": self.quota - used - reserved,
                **expected,
            }

    return TreeMachine


def test_the_tree_keeps_its_invariants_under_random_operations(make_user, login):
    machine = make_machine(make_user, login)

    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            print_blob=True,
        ),
    )
