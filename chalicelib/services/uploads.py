"""Uploads straight from the browser to S3: how a file is cut, signed part URLs, resuming,
completing (with the size check that settles the reservation) and aborting.

Every upload is an S3 multipart upload, even of one part (or none: a 0-byte file is completed
with one empty part). Every URL we sign is an UploadPart URL of that upload, so once it is
completed or aborted S3 refuses them all: a ready file's bytes cannot change, and no bytes land
that no reservation pays for. (A single-PUT URL would stay good until it expired.)
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from chalicelib import policy, storage
from chalicelib.config import MIB, get_settings
from chalicelib.errors import Conflict, InvalidRequest, NotFound, SizeMismatch
from chalicelib.models import nodes, uploads
from chalicelib.models.base import utcnow
from chalicelib.models.nodes import Located, NodeModel
from chalicelib.models.users import UserModel
from chalicelib.services import cursors, rules
from chalicelib.services.nodes import first_then, node_view, retried, under_free_name
from chalicelib.services.sessions import Actor

MAX_SIZE = 5 * 1024**4  # 5 TiB, S3's largest object
MAX_PARTS = 10_000


def cut(size: int, minimum: int) -> tuple[int, int]:
    """(part size, part count): parts of at least ``minimum`` bytes, whole MiB, few enough
    for S3's 10,000; one part for a file that fits in one."""
    part_size = max(minimum, math.ceil(size / MAX_PARTS / MIB) * MIB)
    return part_size, max(1, math.ceil(size / part_size))


def part_length(node: NodeModel, number: int) -> int:
    size, part_size = int(node.declared_size), int(node.part_size)
    return min(part_size, size - part_size * (number - 1))


def start(
    caller: Actor,
    *,
    parent_id: str,
    name: str,
    size: int,
    content_type: str | None,
    on_conflict: str = "rename",
) -> dict[str, Any]:
    """Reserve ``size`` bytes and describe how to send them (201 body)."""
    name, kind = rules.collect(
        lambda: rules.node_name(name), lambda: rules.content_type(content_type)
    )
    parent, _ = policy.require(caller, parent_id, at_least="write")
    if not parent.node.is_folder:
        raise NotFound("No such folder.")
    file_id = uuid.uuid4().hex
    key = storage.file_key(parent.node.owner_id, file_id)
    part_size, part_count = cut(size, get_settings().upload_part_bytes)
    s3_upload_id = storage.start_multipart(key, kind)
    plan = uploads.Plan(
        size=size, part_size=part_size, part_count=part_count, s3_upload_id=s3_upload_id
    )
    try:
        node = _reserve(caller, parent, file_id, name, kind, plan, rename=on_conflict == "rename")
    except Exception:
        storage.abort(parent.node.owner_id, file_id, s3_upload_id)
        raise
    reply: dict[str, Any] = {
        "upload_id": file_id,
        "file": node_view(node, "owner" if node.owner_id == caller.user_id else "write"),
        "part_size": part_size,
        "part_count": part_count,
    }
    if part_count == 1:
        # The one part's URL at once: a small file needs no other request before its bytes.
        lifetime = storage.url_lifetime(get_settings().upload_url_ttl_s)
        urls = storage.sign_parts(key, s3_upload_id, {1: size}, lifetime_s=lifetime)
        reply["url"], reply["expires_at"] = urls["1"], storage.expires_at(lifetime)
    return reply


def _reserve(
    caller: Actor,
    parent: Located,
    file_id: str,
    name: str,
    kind: str,
    plan: uploads.Plan,
    *,
    rename: bool,
) -> NodeModel:
    located = first_then(
        parent, lambda: policy.require(caller, parent.node.node_id, at_least="write")[0]
    )

    def attempt() -> NodeModel:
        folder = located()
        return under_free_name(
            folder.node.node_id,
            name,
            lambda candidate: uploads.start(
                folder,
                file_id,
                name=candidate,
                content_type=kind,
                plan=plan,
                uploaded_by=caller.user_id,
                grants=policy.grants(caller, folder.chain),
            ),
            rename=rename,
        )

    return retried(attempt)


def _pending(caller: Actor, upload_id: str, *, cancel: bool = False) -> tuple[Located, str]:
    """An upload the caller started (or a file they may write, once it is ready), even in a
    folder trashed since it started: it finishes there and comes back with the folder. To
    ``cancel`` it, an upload into the caller's drive that someone else started counts too."""
    here, access = policy.require(caller, upload_id, at_least="write", below_trash=True)
    node = here.node
    theirs = cancel and node.owner_id == caller.user_id
    if node.is_folder or (
        node.status == "uploading" and node.uploaded_by != caller.user_id and not theirs
    ):
        raise NotFound("No such upload.")
    return here, access


def sign_parts(caller: Actor, upload_id: str, part_numbers: Sequence[int]) -> dict[str, Any]:
    """Signed URLs for some parts, each with that part's exact length signed in."""
    here, _ = _pending(caller, upload_id)
    node = here.node
    if node.status != "uploading":
        raise NotFound("No such upload.")
    count = int(node.part_count)
    wrong = [n for n in part_numbers if not 1 <= n <= count]
    if wrong:
        raise InvalidRequest.fields({"part_numbers": f"each must be from 1 to {count}"})
    if node.s3_upload_id is None:
        # Started as one PUT before every upload was multipart: its URL is out already.
        raise NotFound("This upload cannot be signed again: start it again.")
    key = storage.file_key(node.owner_id, node.node_id)
    lifetime = storage.url_lifetime(get_settings().upload_url_ttl_s)
    lengths = {n: part_length(node, n) for n in sorted(set(part_numbers))}
    urls = storage.sign_parts(key, node.s3_upload_id, lengths, lifetime_s=lifetime)
    return {"urls": urls, "expires_at": storage.expires_at(lifetime)}


def parts(caller: Actor, upload_id: str) -> dict[str, Any]:
    """The parts S3 holds already, for a client that resumes."""
    here, _ = _pending(caller, upload_id)
    node = here.node
    if node.status != "uploading":
        raise NotFound("No such upload.")
    held: list[dict[str, Any]] = []
    if node.s3_upload_id is not None:
        held = (
            storage.list_parts(storage.file_key(node.owner_id, node.node_id), node.s3_upload_id)
            or []
        )
    shown = [{k: p[k] for k in ("part_number", "etag", "size")} for p in held]
    return {"parts": shown, "part_size": int(node.part_size), "part_count": int(node.part_count)}


def complete(
    caller: Actor, upload_id: str, sent: Sequence[tuple[int, str]] | None
) -> dict[str, Any]:
    """Join the parts, check the size against the declaration, and settle the reservation.
    Completing a completed upload answers the file again."""
    here, access = _pending(caller, upload_id)
    node = here.node
    if node.status == "ready":
        return {"file": node_view(node, access)}
    key = storage.file_key(node.owner_id, node.node_id)
    joined = True
    if node.s3_upload_id is not None:
        joined = _join(key, node, sent)
    size = storage.object_size(key)
    if size is None:
        if node.s3_upload_id is not None and not joined:
            # S3 no longer has the upload nor an object: it was aborted under us.
            _release(caller, here)
            raise NotFound("This upload was aborted.")
        raise InvalidRequest("Nothing has been uploaded yet.")
    declared = int(node.declared_size)
    if size != declared:
        _release(caller, here)
        storage.abort(node.owner_id, node.node_id, node.s3_upload_id)
        raise SizeMismatch(details={"declared": declared, "received": size})

    located = first_then(here, lambda: _pending(caller, upload_id)[0])

    def settle() -> NodeModel:
        current = located()
        if current.node.status == "ready":
            return current.node
        return uploads.settle(current, grants=policy.grants(caller, current.chain))

    try:
        settled = retried(settle)
    except NotFound:
        # Aborted while we joined the parts: leave no object behind.
        storage.delete(storage.object_keys(node.owner_id, node.node_id))
        raise
    return {"file": node_view(settled, access)}


def _join(key: str, node: NodeModel, sent: Sequence[tuple[int, str]] | None) -> bool:
    """Complete the multipart upload with ``sent``; False when S3 no longer has it. A one-part
    upload may come without its part list: the part S3 holds completes it, and a 0-byte file
    that got none is completed with an empty part of ours."""
    upload_id = str(node.s3_upload_id)
    if not sent and int(node.part_count) == 1:
        held = storage.list_parts(key, upload_id)
        if held is None:
            return False
        if held:
            sent = [(1, str(held[0]["etag"]))]
        elif int(node.declared_size) == 0:
            sent = [(1, storage.put_empty_part(key, upload_id))]
        else:
            raise InvalidRequest("Nothing has been uploaded yet.")
    if not sent:
        raise InvalidRequest.fields({"parts": "required: every part's number and ETag"})
    numbers = [n for n, _ in sent]
    if numbers != sorted(set(numbers)) or not all(1 <= n <= int(node.part_count) for n in numbers):
        raise InvalidRequest.fields(
            {"parts": "part numbers must be ascending, unique and in range"}
        )
    return storage.complete_multipart(key, upload_id, sent)


def _release(caller: Actor, here: Located) -> None:
    """Release a pending upload's reservation, reading it again if it changed meanwhile."""
    located = first_then(here, lambda: _pending(caller, here.node.node_id, cancel=True)[0])

    def attempt() -> None:
        current = located()
        if current.node.status != "uploading":
            raise Conflict("This upload was completed at the same moment.")
        parent = current.ancestors[-1] if current.ancestors else None
        uploads.release(current.node, parent)

    retried(attempt)


def abort(caller: Actor, upload_id: str) -> None:
    """Abort an upload, by who started it or by the owner of the drive it goes into: its parts
    are deleted and its reservation given back."""
    here, _ = _pending(caller, upload_id, cancel=True)
    node = here.node
    if node.status != "uploading":
        raise NotFound("No such upload.")
    # The reservation first: once it is released nothing can complete this upload, so
    # deleting the parts cannot race a completion.
    _release(caller, here)
    storage.abort(node.owner_id, node.node_id, node.s3_upload_id)


# --- Uploads into a drive, as its owner sees them, and what ends them without a request ------

# How long a reservation is kept for an upload that receives no bytes.
IDLE = timedelta(hours=1)
# Pending uploads one pass of a job or of an ended share looks at (the next pass goes on).
_MAX_PER_PASS = 10_000


def in_progress(caller: Actor, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """The uploads in progress into the caller's drive, theirs and members' alike, oldest
    first: what each holds of their quota, who sends it and since when."""
    scope = f"{caller.user_id}:uploads"
    page, last = uploads.pending_of(
        caller.user_id, limit=limit, start=cursors.read(cursor, scope=scope)
    )
    folders = nodes.batch({str(n.parent_id) for n in page if n.parent_id})
    people = _people(str(n.uploaded_by) for n in page if n.uploaded_by)
    items = []
    for node in page:
        folder = folders.get(str(node.parent_id))
        sender = people.get(str(node.uploaded_by))
        known = sender is not None and sender.status == "active"
        items.append(
            {
                "upload_id": node.node_id,
                "name": node.name,
                "parent_id": node.parent_id,
                "folder_name": folder.name if folder is not None else None,
                "size": int(node.declared_size),
                "uploaded_by": {
                    "id": node.uploaded_by,
                    "username": sender.username if known and sender else None,
                    "nickname": sender.nickname if known and sender else None,
                },
                "started_at": str(node.upload_started)[:19] + "Z",
            }
        )
    return {"items": items, "next_cursor": cursors.issue(last, scope=scope)}


def _people(user_ids: Iterable[str]) -> dict[str, UserModel]:
    """Their rows, read consistently (a membership may have ended a moment ago)."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[str, UserModel] = {}
    for start in range(0, len(ids), 100):
        for user in UserModel.batch_get(ids[start : start + 100], consistent_read=True):
            found[user.user_id] = user
    return found


def _cancel(node_id: str) -> bool:
    """Release a pending upload's reservation (read afresh), then abort it in S3; False when
    it is no longer pending (completed or cancelled meanwhile)."""

    def attempt() -> NodeModel | None:
        here = nodes.locate([node_id]).get(node_id)
        if here is None or here.node.status != "uploading":
            return None
        parent = here.ancestors[-1] if here.ancestors else None
        uploads.release(here.node, parent)
        return here.node

    first = nodes.get(node_id)
    if first is None:
        return False
    try:
        node = retried(attempt)
    except Conflict:
        return False  # it keeps changing: the next pass looks again
    if node is None:
        return False
    storage.abort(node.owner_id, node.node_id, node.s3_upload_id)
    return True


def cancel_into(owner_id: str, folder_ids: Iterable[str], uploader_ids: Iterable[str]) -> int:
    """Cancel the uploads ``uploader_ids`` send into ``owner_id``'s folders ``folder_ids`` (or
    below them) that they may no longer write to: a membership or a share ended. Returns how
    many."""
    folders, senders = set(folder_ids), set(uploader_ids) - {owner_id}
    if not folders or not senders:
        return 0
    pending: list[NodeModel] = []
    start: dict[str, Any] | None = None
    for _ in range(_MAX_PER_PASS // 100):
        page, start = uploads.pending_of(owner_id, limit=100, start=start)
        pending += [n for n in page if n.uploaded_by in senders]
        if start is None:
            break
    found = nodes.locate([n.node_id for n in pending])
    people = _people(str(n.uploaded_by) for n in pending)
    cancelled = 0
    for node in pending:
        here = found.get(node.node_id)
        if here is None or not folders & {f.node_id for f in here.ancestors}:
            continue
        sender = people.get(str(node.uploaded_by))
        if sender is not None and sender.status == "active":
            actor = Actor(user_id=sender.user_id, family_id="", is_admin=False, user=sender)
            if policy.access(actor, here.chain) in ("owner", "write"):
                continue  # they still may, through another team
        cancelled += _cancel(node.node_id)
    return cancelled


def release_idle(now: datetime | None = None) -> int:
    """Release the reservations of uploads that have received no bytes for ``IDLE`` (a job),
    so nobody holds a quota with an upload that sends nothing. Returns how many."""
    cutoff = (now or utcnow()) - IDLE
    released = 0
    for node in itertools.islice(uploads.stale(cutoff), _MAX_PER_PASS):
        if _received_since(node, cutoff):
            continue
        released += _cancel(node.node_id)
    return released


def _received_since(node: NodeModel, moment: datetime) -> bool:
    """Whether S3 got bytes of this upload after ``moment`` (a part), or holds the object
    already (joined there, not yet settled here: ``complete`` settles it, or the day-old
    upload job cancels it and deletes the object)."""
    key = storage.file_key(node.owner_id, node.node_id)
    held = storage.list_parts(key, node.s3_upload_id) if node.s3_upload_id else None
    if held is None:
        return storage.object_size(key) is not None
    return any(part["last_modified"] > moment for part in held)


def abort_stale(now: datetime | None = None) -> int:
    """Abort uploads left pending too long (a job). Returns how many."""
    cutoff = (now or utcnow()) - timedelta(seconds=get_settings().upload_stale_s)
    aborted = 0
    for node in itertools.islice(uploads.stale(cutoff), _MAX_PER_PASS):
        aborted += _cancel(node.node_id)
    return aborted
