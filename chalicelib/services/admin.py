"""The operators' work: finding and listing accounts, admins, quotas, disabling, running the
purge now, failed thumbnails and the media dead letters. The API's ``/admin`` routes and the
command line (``python -m chalicelib.admin``) both call these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib import queues
from chalicelib.errors import Conflict, InvalidRequest, NotFound, SelfLockout
from chalicelib.models import media as media_states
from chalicelib.models import users
from chalicelib.models.users import UserModel
from chalicelib.services import accounts, cursors, jobs, media, passwords, rules

UNSET: Any = object()
# A quota past this is a typo (1 PiB; one upload may be 5 TiB).
MAX_QUOTA_BYTES = 2**50
USERNAME_PREFIX = re.compile(r"[a-z0-9_.-]{1,30}")
USER_ID = re.compile(r"[0-9a-f]{32}")
# Queries one page of the whole list may make (one per first letter of a username, and more
# when closed accounts are filtered out): a page stays bounded, possibly short, with a cursor.
_PAGE_QUERIES = 48
_UPDATE_ATTEMPTS = 4
# How long a dead letter being replayed stays hidden: a copy sent but not yet deleted is not
# read twice by one run.
_REPLAY_HIDE_S = 300


def admin_view(user: UserModel) -> dict[str, Any]:
    """The contract's ``user`` object, and what operators see besides."""
    last = user.last_sign_in_at
    return {
        **accounts.user_view(user),
        "disabled": bool(user.disabled),
        "last_sign_in_at": accounts.iso(last) if last is not None else None,
    }


def find(who: str) -> UserModel:
    """An open account by id, username or email (an email has an @); NotFound otherwise."""
    text = who.strip()
    if USER_ID.fullmatch(text):
        return accounts.load(text)
    found = accounts.find_by_login(text) if text else None
    if found is None:
        raise NotFound("No such user.")
    return found


def list_users(
    viewer: str, *, q: str = "", limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """Open accounts in username order, a page at a time: all of them, those whose username
    starts with ``q``, or the one whose email is ``q``. Queries the ``by_username`` index one
    first letter after another; never scans."""
    text = q.strip()
    if "@" in text:
        address = rules.email(text, field="q")
        exact = accounts.find_by_login(address)
        return {"items": [admin_view(exact)] if exact else [], "next_cursor": None}
    prefix = text.lower()
    if prefix and not USERNAME_PREFIX.fullmatch(prefix):
        raise InvalidRequest.fields({"q": "the start of a username, or an email address"})
    scope = f"{viewer}:admin-users:{prefix}"
    initials = prefix[:1] or users.INITIALS
    state = cursors.read(cursor, scope=scope) or {"i": 0, "k": None}
    at, key = state.get("i"), state.get("k")
    if not isinstance(at, int) or not 0 <= at < len(initials):
        raise InvalidRequest.fields({"cursor": "not a cursor of this list"})
    items: list[UserModel] = []
    for _ in range(_PAGE_QUERIES):
        found, key = users.page_by_username(
            initials[at], prefix or None, limit=limit - len(items), start=key
        )
        items += found
        if key is None:
            at += 1
        if at == len(initials) or len(items) == limit:
            break
    more = cursors.issue({"i": at, "k": key}, scope=scope) if at < len(initials) else None
    return {"items": [admin_view(u) for u in items], "next_cursor": more}


def update_user(
    user_id: str,
    *,
    by: str | None,
    quota_bytes: Any = UNSET,
    disabled: Any = UNSET,
    is_admin: Any = UNSET,
) -> dict[str, Any]:
    """Change an account's quota, disabled flag and/or admin flag in one conditional update.
    ``by`` is the admin asking (None: the command line), who may not disable or demote
    themselves. Disabling ends every session of the account at once."""
    if by is not None and by == user_id and (disabled is True or is_admin is False):
        raise SelfLockout()
    if not USER_ID.fullmatch(user_id):
        raise NotFound("No such user.")  # ids are uuid4 hex; anything else names nobody
    if quota_bytes is not UNSET and not 0 <= quota_bytes <= MAX_QUOTA_BYTES:
        raise InvalidRequest.fields({"quota_bytes": f"must be from 0 to {MAX_QUOTA_BYTES}"})
    for _ in range(_UPDATE_ATTEMPTS):
        user = accounts.load(user_id)
        actions: list[Any] = []
        seen: dict[str, Any] = {}
        if quota_bytes is not UNSET and quota_bytes != int(user.quota_bytes):
            # free = quota − used − reserved moves with the quota, so the next reservation
            # sees the new limit (and a quota below what is used leaves free negative).
            seen["quota_bytes"] = int(user.quota_bytes)
            actions += [
                UserModel.quota_bytes.set(quota_bytes),
                UserModel.free_bytes.add(quota_bytes - int(user.quota_bytes)),
            ]
        if disabled is not UNSET and disabled != bool(user.disabled):
            seen["disabled"] = bool(user.disabled)
            actions.append(UserModel.disabled.set(disabled))
            if disabled:
                actions.append(UserModel.token_version.add(1))
        if is_admin is not UNSET and is_admin != bool(user.is_admin):
            seen["is_admin"] = bool(user.is_admin)
            actions.append(UserModel.is_admin.set(is_admin))
        if not actions:
            return admin_view(user)
        written = users.update_if_unchanged(user_id, actions, seen=seen)
        if written is not None:
            return admin_view(written)
    raise Conflict("The account changed at the same moment. Try again.")


def create_admin(*, username: str, email: str, password: str) -> dict[str, Any]:
    """A new account, verified and an admin, with this password."""
    name, address, _ = rules.collect(
        lambda: rules.username(username),
        lambda: rules.email(email),
        lambda: rules.password(password, username_value=username.strip()),
    )
    user = accounts.new_user(
        username=name,
        email=address,
        email_verified=True,
        is_admin=True,
        password_hash=passwords.hash_password(password),
    )
    users.create(user)
    return admin_view(user)


def failed_thumbnails() -> list[dict[str, Any]]:
    """Every file whose thumbnails failed, with the reason (scans the nodes table)."""
    return [
        {
            "id": node.node_id,
            "owner_id": node.owner_id,
            "name": node.name,
            "content_type": node.content_type,
            "size": int(node.size),
            "reason": media_states.state(node).get("reason"),
        }
        for node in media_states.failed_files()
    ]


def requeue_thumbnails() -> int:
    """Make failed thumbnails pending again and queue their files' events; how many."""
    return media.requeue_failed()


def purge_now() -> dict[str, int]:
    """Run the daily job now: finish unfinished moves, empty what has been in the trash
    longer than the retention, and remove what closed accounts left."""
    return jobs.daily()


@dataclass(frozen=True)
class Replayed:
    moved: int
    # Received but refused by the media queue: they stay in the dead-letter queue.
    failed: int


def replay_dead_letters(*, limit: int | None = None) -> Replayed:
    """Move what the media dead-letter queue holds (up to ``limit`` messages) back into the
    media queue, ten at a time: each batch is sent before it is deleted, so a run that stops
    half-way leaves a message in both queues (the media function ignores the duplicate),
    never in neither."""
    target = queues.media_queue_url()
    source = queues.dead_letter_url(target)
    moved = failed = 0
    while limit is None or moved + failed < limit:
        most = queues.BATCH if limit is None else limit - moved - failed
        batch = queues.receive(source, most=most, hide_s=_REPLAY_HIDE_S)
        if not batch:
            break
        sent = queues.send(target, batch)
        moved += queues.delete(source, [batch[i] for i in sent])
        failed += len(batch) - len(sent)
        if not sent:
            break  # the media queue refuses everything: stop rather than spin
    return Replayed(moved, failed)
