"""What must hold between the tables after any sequence of operations, read straight from
DynamoDB (consistent scans): every counter equals what the nodes say, every path follows the
parent links, every visible name holds exactly one guard."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import boto3

from chalicelib import filetypes
from chalicelib.models.nodes import MAX_DEPTH, name_key

REGION = "us-east-1"


@functools.cache
def _client(endpoint_url: str | None = None) -> Any:
    # One for the session: making a client costs a good part of a second.
    return boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint_url)


# Where the checks read: the test stage in this process's moto, unless ``against`` says a
# local stack's (its moto server and stage).
_target: list[tuple[str | None, str]] = [(None, "test")]


@contextlib.contextmanager
def against(endpoint_url: str, stage: str) -> Iterator[None]:
    """Read the tables of the stack at ``endpoint_url`` named for ``stage`` meanwhile."""
    _target.append((endpoint_url, stage))
    try:
        yield
    finally:
        _target.pop()


def _scan(table: str, **only: str) -> list[dict[str, Any]]:
    """Every item of a table; ``only`` narrows the read (a filter, a projection)."""
    endpoint_url, stage = _target[-1]
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": f"{stage}-{table}", "ConsistentRead": True, **only}
    while True:
        page = _client(endpoint_url).scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _exists(table: str, key: dict[str, Any]) -> bool:
    endpoint_url, stage = _target[-1]
    got = _client(endpoint_url).get_item(TableName=f"{stage}-{table}", Key=key, ConsistentRead=True)
    return "Item" in got


def plain(item: dict[str, Any]) -> dict[str, Any]:
    """An item's attributes as plain values (strings, ints, dicts of those)."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        ((kind, raw),) = value.items()
        out[key] = int(raw) if kind == "N" else plain(raw) if kind == "M" else raw
    return out


def nodes_table() -> dict[str, dict[str, Any]]:
    return {n["node_id"]: n for n in map(plain, _scan("nodes"))}


def users_table() -> dict[str, dict[str, Any]]:
    return {u["user_id"]: u for u in map(plain, _scan("users"))}


def _weight(node: dict[str, Any]) -> int:
    if node["kind"] == "folder":
        return int(node.get("total_size", 0))
    return 0 if node.get("status") == "uploading" else int(node.get("size", 0))


def _guard_key(node: dict[str, Any]) -> str:
    folded = hashlib.sha256(name_key(node["name"]).encode()).hexdigest()
    return f"child#{node.get('parent_id')}#{folded}"


def _in_trash(node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> bool:
    """Trashed itself or below a trashed folder (a chain cut by a deleted folder counts: only
    the trash holds such nodes)."""
    current: dict[str, Any] | None = node
    for _ in range(MAX_DEPTH + 2):
        if current is None or current.get("status") == "trashed":
            return True
        parent_id = current.get("parent_id")
        if not parent_id:
            return False
        current = nodes.get(parent_id)
    return True  # no root within reach: ``check`` reports the chain


def _steps_to_root(node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> int | None:
    """How many parent links lead from ``node`` to its owner's root; None when they do not get
    there within MAX_DEPTH + 1 (a cycle, or a chain too deep) or a link is to another owner."""
    current = node
    for steps in range(MAX_DEPTH + 2):
        parent_id = current.get("parent_id")
        if not parent_id:
            return steps
        parent = nodes.get(parent_id)
        if parent is None:
            return steps  # deleted for good above it: only the trash holds it (see _in_trash)
        if parent["owner_id"] != node["owner_id"]:
            return None
        current = parent
    return None


def check(user_ids: set[str] | None = None) -> None:
    """Assert every invariant for these users (all users when None)."""
    nodes = nodes_table()
    users = users_table()
    owners = user_ids if user_ids is not None else set(users)
    mine = {i: n for i, n in nodes.items() if n["owner_id"] in owners}
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in mine.values():
        if node.get("parent_id"):
            children[node["parent_id"]].append(node)
    problems: list[str] = []
    for node_id, node in mine.items():
        steps = _steps_to_root(node, nodes)
        if steps is None or steps > MAX_DEPTH:
            problems.append(f"{node_id} is {steps or 'never'} steps from its owner's root")
            continue
        parent = nodes.get(node.get("parent_id", ""))
        expected_path = (parent["path"] if parent else "/") + f"{node_id}/"
        if parent is not None and node["path"] != expected_path:
            problems.append(f"{node_id} path {node['path']} != {expected_path}")
        if node["kind"] != "folder":
            continue
        kids = children.get(node_id, [])
        visible = [k for k in kids if k.get("status") != "trashed"]
        if int(node.get("child_count", 0)) != len(visible):
            problems.append(
                f"folder {node_id} child_count {node.get('child_count')} != {len(visible)}"
            )
        total = sum(_weight(k) for k in visible)
        if int(node.get("total_size", 0)) != total:
            problems.append(f"folder {node_id} total_size {node.get('total_size')} != {total}")
    for user_id in owners:
        user = users.get(user_id)
        if user is None or user.get("status") != "active":
            continue
        files = [n for n in mine.values() if n["owner_id"] == user_id and n["kind"] == "file"]
        stored = [f for f in files if f.get("status") != "uploading"]
        pending = [f for f in files if f.get("status") == "uploading"]
        used = sum(int(f["size"]) for f in stored)
        reserved = sum(int(f.get("declared_size", f["size"])) for f in pending)
        folders = [n for n in mine.values() if n["owner_id"] == user_id and n["kind"] == "folder"]
        expect = {
            "used_bytes": used,
            "trash_bytes": sum(int(f["size"]) for f in stored if _in_trash(f, nodes)),
            "file_count": len(stored),
            "folder_count": sum(1 for f in folders if f.get("parent_id")),
            "reserved_bytes": reserved,
            "free_bytes": int(user["quota_bytes"]) - used - reserved,
        }
        for category in filetypes.CATEGORIES:
            typed = [f for f in stored if filetypes.category(f.get("content_type")) == category]
            expect[f"count_{category}"] = len(typed)
            expect[f"bytes_{category}"] = sum(int(f["size"]) for f in typed)
        for name, value in expect.items():
            if int(user.get(name, 0)) != value:
                problems.append(f"user {user_id} {name} {user.get(name, 0)} != {value}")
    guards = {
        g["key"]: g["owner_id"]
        for g in map(plain, _scan("uniques"))
        if g["key"].startswith("child#")
    }
    held = defaultdict(list)
    for key, owner in guards.items():
        held[owner].append(key)
        holder = nodes.get(owner)
        if holder is None or holder.get("status") == "trashed" or _guard_key(holder) != key:
            problems.append(f"guard {key} is held by {owner}, which does not have that name")
    for node_id, node in mine.items():
        if not node.get("parent_id"):
            continue
        key = _guard_key(node)
        if node.get("status") == "trashed":
            if held.get(node_id):
                problems.append(f"trashed {node_id} still holds {held[node_id]}")
        elif guards.get(key) != node_id:
            problems.append(f"{node_id} ({node['name']!r}) does not hold its name guard")
    assert not problems, "\n".join(problems)


def check_teams() -> None:
    """Every team's member count equals its members; a member's user row names the team and
    nobody else's does; a folder is in a team's shared sets exactly when the team has its
    item, with the same access; a folder is shared only with a team its owner is a member
    of."""
    items = [plain(i) for i in _scan("teams")]
    users = {
        u["user_id"]: u
        for u in map(plain, _scan("users", ProjectionExpression="user_id, team_ids"))
    }
    # Only folders that are shared say anything here; a folder an item names but that is not
    # shared (any more) is read below.
    nodes = {
        n["node_id"]: n
        for n in map(
            plain,
            _scan(
                "nodes",
                FilterExpression="attribute_exists(shared_read) OR attribute_exists(shared_write)",
                ProjectionExpression="node_id, shared_read, shared_write",
            ),
        )
    }
    problems: list[str] = []
    teams = {i["team_id"]: i for i in items if i["item"] == "team"}
    members: dict[str, set[str]] = defaultdict(set)
    shared: dict[tuple[str, str], str] = {}
    owners: dict[tuple[str, str], str] = {}
    for item in items:
        if item["item"].startswith("member#"):
            members[item["team_id"]].add(item["person"])
        if item["item"].startswith("folder#"):
            shared[(item["team_id"], item["folder_id"])] = item["access"]
            owners[(item["team_id"], item["folder_id"])] = item["owner_id"]
    for team_id, team in teams.items():
        if int(team.get("member_count", 0)) != len(members[team_id]):
            problems.append(
                f"team {team_id} count {team.get('member_count')} != {len(members[team_id])}"
            )
        if team.get("status") == "active" and team.get("leader_id") not in members[team_id]:
            problems.append(f"team {team_id} leader {team.get('leader_id')} is not a member")
    for user_id, user in users.items():
        named = set(user.get("team_ids", []))
        belongs = {t for t, people in members.items() if user_id in people}
        if named != belongs:
            problems.append(f"user {user_id} team_ids {sorted(named)} != {sorted(belongs)}")
    for node_id, node in nodes.items():
        for access in ("read", "write"):
            for team_id in node.get(f"shared_{access}", []):
                if shared.get((team_id, node_id)) != access:
                    problems.append(
                        f"folder {node_id} shared_{access} has {team_id} without its item"
                    )
    for (team_id, folder_id), owner_id in owners.items():
        if owner_id not in members[team_id]:
            problems.append(f"team {team_id} has {folder_id} of {owner_id}, not a member")
    for (team_id, folder_id), access in shared.items():
        node = nodes.get(folder_id)
        if node is None and _exists("nodes", {"node_id": {"S": folder_id}}):
            node = {}  # there, but shared with nobody
        if node is not None and team_id not in node.get(f"shared_{access}", []):
            problems.append(f"team {team_id} item for {folder_id} ({access}) not on the folder")
    assert not problems, "\n".join(problems)
