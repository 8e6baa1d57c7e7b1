"""Share links: a public URL to a file or a folder that expires, may ask for a password and
may count its downloads.

Every public request checks everything again: the link exists and is not revoked (else 404),
has not expired nor been used up (else 410), its node is still there and out of the trash
(else 404), and what it names lies inside the shared subtree (else 404). Then it hands out a
presigned GET that lives at most 60 seconds, so a revoked or expired link stops working at
once. A download is counted by one conditional write, so a limit of 3 lets exactly 3 through
however many arrive together. Wrong passwords are throttled per link like sign-ins.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from chalicelib import policy, storage
from chalicelib.config import get_settings
from chalicelib.errors import Gone, InvalidRequest, NotFound, WrongPassword
from chalicelib.models import nodes
from chalicelib.models import shares as model
from chalicelib.models.base import utcnow
from chalicelib.models.nodes import Located, NodeModel
from chalicelib.models.shares import ShareModel
from chalicelib.models.users import UserModel
from chalicelib.services import attempts, cursors, downloads, passwords
from chalicelib.services.accounts import iso
from chalicelib.services.sessions import Actor

MIN_EXPIRY_S = 60
MAX_EXPIRY_S = 30 * 24 * 3600
DEFAULT_EXPIRY_S = 7 * 24 * 3600
MAX_DOWNLOADS = 10_000
MIN_PASSWORD, MAX_PASSWORD = 4, 128
# Wrong passwords a link takes in LOGIN_FAIL_WINDOW_S before it answers 429 (API.md).
PASSWORD_FAIL_LIMIT = 20
# The longest a URL handed out by a public route lives.
URL_TTL_S = 60


def _state(item: ShareModel) -> str:
    if item.status != "active":
        return str(item.status)
    if item.expires_at <= utcnow():
        return "expired"
    if item.max_downloads is not None and int(item.downloads) >= int(item.max_downloads):
        return "used_up"
    return "active"


def share_view(item: ShareModel) -> dict[str, Any]:
    return {
        "id": item.share_id,
        "node_id": item.node_id,
        "created_at": iso(item.created_at),
        "expires_at": iso(item.expires_at),
        "password_required": item.password_hash is not None,
        "max_downloads": int(item.max_downloads) if item.max_downloads is not None else None,
        "downloads": int(item.downloads),
        "status": _state(item),
    }


def create(
    caller: Actor,
    node_id: str,
    *,
    expires_in: int | None,
    password: str | None,
    max_downloads: int | None,
) -> dict[str, Any]:
    """A new link to a node the caller may write to (owners and write members share); the
    route has checked the bounds of each setting."""
    lifetime = DEFAULT_EXPIRY_S if expires_in is None else expires_in
    here, _ = policy.require(caller, node_id, at_least="write")
    if here.node.status != "ready":
        raise NotFound("No such file or folder.")
    if here.node.parent_id is None:
        raise InvalidRequest.fields(
            {"node_id": "share a file or folder inside the drive, not all of it"}
        )
    token = secrets.token_urlsafe(32)
    item = model.create(
        token,
        node_id=node_id,
        owner_id=here.node.owner_id,
        created_by=caller.user_id,
        expires_at=utcnow() + timedelta(seconds=lifetime),
        password_hash=passwords.hash_password(password) if password is not None else None,
        max_downloads=max_downloads,
    )
    return {"share": share_view(item), "url": f"{get_settings().public_url}/s/{token}"}


def mine(
    caller: Actor, node_id: str | None, *, limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """The caller's links (of one node they can see, when asked), newest first."""
    if node_id is not None:
        policy.require(caller, node_id)
    views = [share_view(i) for i in model.of_creator(caller.user_id, node_id)]
    scope = f"{caller.user_id}:shares:{node_id or ''}"
    return cursors.page(views, limit=limit, cursor=cursor, scope=scope)


def revoke(caller: Actor, sid: str) -> None:
    """Revoke a link the caller made (or one to a node they own)."""
    item = model.get(sid) if len(sid) == 64 else None
    if item is None or caller.user_id not in (item.created_by, item.owner_id):
        raise NotFound("No such share link.")
    model.revoke(item)


# --- The public side ------------------------------------------------------------------------


def _open(token: str) -> tuple[ShareModel, Located]:
    """The link and its node, if the link may be used now: not revoked, expired or used up,
    its node out of the trash, and its maker still allowed to share that node (a member who
    left the team, or whose folder was unshared, takes their links with them)."""
    item = model.get(model.share_id(token)) if 0 < len(token) <= 200 else None
    if item is None or item.status == "revoked":
        raise NotFound("No such share link.")
    state = _state(item)
    if state == "expired":
        raise Gone("This link has expired.")
    if state == "used_up":
        raise Gone("This link has been used as many times as it may be.")
    top = nodes.locate([item.node_id]).get(item.node_id)
    if top is None or top.broken or top.hidden:
        raise NotFound("No such share link.")
    if item.created_by != top.node.owner_id and not _maker_may_share(item, top):
        raise NotFound("No such share link.")
    return item, top


def _maker_may_share(item: ShareModel, top: Located) -> bool:
    try:
        maker = UserModel.get(item.created_by, consistent_read=True)
    except UserModel.DoesNotExist:
        return False
    if maker.status != "active":
        return False
    as_maker = Actor(user_id=maker.user_id, family_id="", is_admin=False, user=maker)
    granted = policy.access(as_maker, top.chain)
    return granted is not None and policy.RANKS[granted] >= policy.RANKS["write"]


def _within(item: ShareModel, top: Located, node_id: str | None) -> Located:
    """``node_id`` (the shared node when None) if it lies inside the shared subtree."""
    if node_id is None or node_id == item.node_id:
        return top
    if not top.node.is_folder:
        raise NotFound("No such file or folder.")
    here = nodes.locate([node_id]).get(node_id) if len(node_id) <= 64 else None
    if here is None or here.broken or here.hidden:
        raise NotFound("No such file or folder.")
    if item.node_id not in (n.node_id for n in here.ancestors):
        raise NotFound("No such file or folder.")
    return here


def _password_ok(item: ShareModel, given: str | None) -> bool:
    """Whether ``given`` opens the link (always, for a link without a password). A wrong one
    counts toward the link's throttle; too many is 429."""
    if item.password_hash is None:
        return True
    if given is None:
        return False
    subject = f"share:{item.share_id}"
    attempts.spend(
        subject,
        limit=PASSWORD_FAIL_LIMIT,
        message="Too many wrong passwords for this link. Try again later.",
    )
    if not passwords.verify_password(item.password_hash, given):
        return False
    attempts.clear(subject)
    return True


def _thumbnail_url(node: NodeModel) -> str | None:
    if node.is_folder or node.thumbnail is None or node.thumbnail["status"] != "ready":
        return None
    side = min(storage.THUMB_SIDES)
    return storage.sign_thumb(
        node.owner_id, node.node_id, side, lifetime_s=storage.url_lifetime(URL_TTL_S)
    )


def _public_item(node: NodeModel, *, thumbnails: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": node.node_id,
        "name": node.name,
        "kind": node.kind,
        "size": int(node.total_size if node.is_folder else node.size),
        "content_type": node.content_type,
        "updated_at": iso(node.updated_at),
    }
    url = _thumbnail_url(node) if thumbnails else None
    if url:
        view["thumbnail_url"] = url
    return view


def view(
    token: str,
    *,
    folder_id: str | None,
    password: str | None,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """What a link shows: its node, and for a folder a page of what is in it (or in a folder
    below it). A link with a password shows names and thumbnails only with the password."""
    item, top = _open(token)
    opened = _password_ok(item, password)
    if password is not None and not opened:
        raise WrongPassword("That is not the link's password.")
    # Without the password, only the link's own top shows: no name below it.
    here = _within(item, top, folder_id if opened else None)
    shown = _public_item(here.node, thumbnails=opened)
    reply: dict[str, Any] = {
        **shown,
        "expires_at": iso(item.expires_at),
        "password_required": item.password_hash is not None,
    }
    if here.node.is_folder and opened:
        scope = f"share:{item.share_id}:{here.node.node_id}"
        children, last = nodes.children(
            here.node.node_id,
            sort="name",
            descending=False,
            limit=limit,
            start=cursors.read(cursor, scope=scope),
        )
        reply["items"] = [_public_item(c, thumbnails=True) for c in children if c.status == "ready"]
        reply["next_cursor"] = cursors.issue(last, scope=scope)
        chain = [n.node_id for n in here.chain]
        shown_chain = here.chain[chain.index(item.node_id) :]  # nothing above the link's top
        reply["path"] = [{"id": n.node_id, "name": n.name} for n in shown_chain]
    return reply


def download(token: str, *, password: str | None, file_id: str | None) -> dict[str, Any]:
    """A URL of at most 60 seconds to a file of the link, counted against its limit."""
    item, top = _open(token)
    if not _password_ok(item, password):
        raise WrongPassword("That is not the link's password.")
    if top.node.is_folder and file_id is None:
        raise InvalidRequest.fields({"file_id": "required: which file of the folder"})
    here = _within(item, top, file_id)
    node = here.node
    if node.is_folder or node.status != "ready":
        raise NotFound("No such file.")
    if not model.count_download(item):
        fresh = model.get(item.share_id)
        if fresh is None or fresh.status == "revoked":
            raise NotFound("No such share link.")
        raise Gone("This link has expired or been used as many times as it may be.")
    lifetime = storage.url_lifetime(URL_TTL_S)
    url = downloads.signed_get(node, inline=False, lifetime_s=lifetime)
    return {"url": url, "expires_at": storage.expires_at(lifetime)}


def retire_expired() -> int:
    """Mark links past their expiry as expired (a job every 2 minutes)."""
    return model.retire_expired(utcnow())
