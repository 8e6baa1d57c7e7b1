"""Sessions: short-lived JWT access tokens and rotating opaque refresh tokens.

A sign-in starts a family. Each refresh rotates the family's token; showing a rotated token
again means it was stolen or replayed, so the whole family is revoked:

    login ─> R1 ──refresh──> R2 ──refresh──> R3
              └── R1 shown again ──> family revoked: R3 and every access token of it stop

A revoked family is noted on the user row (``revoked_sessions``), which each request reads
anyway, so ending one session costs requests no extra read.

Access tokens carry the user's ``token_version`` (``ver``) and the family id (``sid``); bumping
the version ends every session of the user at once, and each request checks it.

A family also keeps what a person needs to recognise it in their list of signed-in devices: when
it started, the device and coarse network it came from (services/devices.py), and when it was
last refreshed. That is written at sign-in and at refresh only, so requests pay no write for it.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.config import get_settings
from chalicelib.errors import AccountDisabled, NotFound, Unauthenticated
from chalicelib.models import base, tokens, users
from chalicelib.models.nodes import NodeModel
from chalicelib.models.users import UserModel
from chalicelib.services import devices, signing

ALGORITHM = "HS256"
AUDIENCE = "teamdrive-api"


@dataclass(frozen=True)
class Actor:
    """Who is calling, as the access token and the user row say."""

    user_id: str
    family_id: str
    is_admin: bool
    # The user row as this request read it (consistently), and the nodes the request names,
    # read in the same round trip (None: not there).
    user: UserModel = field(compare=False, repr=False)
    read: dict[str, NodeModel | None] = field(default_factory=dict, compare=False, repr=False)

    def take(self, node_ids: Iterable[str]) -> dict[str, NodeModel | None]:
        """What was read of ``node_ids`` with the session, handed out once: an attempt that
        runs again after a conflict must read afresh."""
        return {i: self.read.pop(i) for i in node_ids if i in self.read}


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    family_id: str


def _refresh_key(refresh_token: str) -> str:
    return f"refresh#{tokens.hashed(refresh_token)}"


def _family_key(family_id: str) -> str:
    return f"family#{family_id}"


def issue_access(user_id: str, *, version: int, family_id: str) -> str:
    import jwt  # deferred: PyJWT loads cryptography, ~0.1 s the API's cold start need not pay

    settings = get_settings()
    ring = signing.key_ring()
    now = int(time.time())
    claims = {
        "iss": settings.public_url,
        "aud": AUDIENCE,
        "sub": user_id,
        "iat": now,
        "exp": now + settings.access_ttl_s,
        "ver": version,
        "sid": family_id,
    }
    return jwt.encode(
        claims, ring.keys[ring.current], algorithm=ALGORITHM, headers={"kid": ring.current}
    )


def decode_access(token: str) -> dict:
    """The verified claims of an access token, or Unauthenticated."""
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        key = signing.verification_key(str(header.get("kid", "")))
        if key is None or header.get("alg") != ALGORITHM:
            raise Unauthenticated()
        return jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=get_settings().public_url,
            options={"require": ["exp", "iat", "sub", "ver", "sid", "iss", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthenticated() from exc


def authenticate(access_token: str, *, nodes: Sequence[str] = ()) -> Actor:
    """The actor behind a valid access token whose session is still current, with the
    ``nodes`` the request names read alongside the user row.

    The read is consistent: a sign-out everywhere must stop the very next request.
    """
    claims = decode_access(access_token)
    wanted = [i for i in nodes if i]
    found_users, found_nodes = base.read_together(
        [(UserModel, [claims["sub"]]), (NodeModel, wanted)]
    )
    user = found_users.get(claims["sub"])
    if user is None:
        raise Unauthenticated()
    if user.status != "active" or user.token_version != claims["ver"]:
        raise Unauthenticated()
    if user.revoked_sessions is not None and claims["sid"] in user.revoked_sessions.as_dict():
        raise Unauthenticated("This session has ended.")
    if user.disabled:
        raise AccountDisabled()
    return Actor(
        user_id=user.user_id,
        family_id=claims["sid"],
        is_admin=bool(user.is_admin),
        user=user,
        read={i: found_nodes.get(i) for i in wanted},
    )


def start(user: UserModel, *, client: devices.Client | None = None) -> Tokens:
    """Open a new session family for a user who has just proved who they are, from
    ``client``."""
    family_id = uuid.uuid4().hex
    ttl = get_settings().refresh_ttl_s
    now = base.utcnow()
    client = client or devices.Client()
    users.update_active(user, [UserModel.last_sign_in_at.set(now)])
    tokens.put(
        _family_key(family_id),
        ttl_s=ttl,
        user_id=user.user_id,
        family_owner=user.user_id,
        status="active",
        version=int(user.token_version),
        created_at=now,
        last_used_at=now,
        device=devices.device(client.user_agent),
        network=devices.network(client.source_ip),
    )
    return _issue(user, family_id)


def _issue(user: UserModel, family_id: str) -> Tokens:
    settings = get_settings()
    refresh_token = secrets.token_urlsafe(32)
    tokens.put(
        _refresh_key(refresh_token),
        ttl_s=settings.refresh_ttl_s,
        user_id=user.user_id,
        family_id=family_id,
        status="active",
    )
    access = issue_access(user.user_id, version=int(user.token_version), family_id=family_id)
    return Tokens(access, refresh_token, settings.access_ttl_s, family_id)


def rotate(refresh_token: str) -> tuple[Tokens, UserModel]:
    """Trade a refresh token for a new pair; a replayed token revokes its family."""
    item = tokens.find(_refresh_key(refresh_token))
    if item is None or item.family_id is None:
        raise Unauthenticated("The session has ended. Sign in again.")
    signing.key_ring()  # fail before spending the token, not after: a retry is not a replay
    if not tokens.transition(item, from_status="active", to_status="rotated"):
        revoke(item.family_id)
        raise Unauthenticated("This session was ended because its token was used twice.")
    family = tokens.find(_family_key(item.family_id))
    try:
        user = UserModel.get(str(item.user_id), consistent_read=True)
    except UserModel.DoesNotExist as exc:
        raise Unauthenticated() from exc
    if (
        family is None
        or family.status != "active"
        or family.version != user.token_version
        or user.status != "active"
    ):
        raise Unauthenticated("The session has ended. Sign in again.")
    if user.disabled:
        raise AccountDisabled()
    # The session lives on while it is used: its family outlives the newest refresh token.
    tokens.extend(family.key, ttl_s=get_settings().refresh_ttl_s, used=True)
    return _issue(user, item.family_id), user


def revoke(family_id: str) -> None:
    """End one session: its refresh token fails, and its access tokens stop at once."""
    family = tokens.find(_family_key(family_id))
    if family is not None:
        _revoke(family, family_id)


def _revoke(family: tokens.TokenModel, family_id: str) -> None:
    tokens.transition(family, from_status="active", to_status="revoked")
    try:
        user = UserModel.get(str(family.user_id))
    except UserModel.DoesNotExist:
        return
    now = int(time.time())
    cutoff = now - get_settings().access_ttl_s
    noted = user.revoked_sessions.as_dict()
    stale = [sid for sid, at in noted.items() if int(at) < cutoff]
    actions = [
        UserModel.revoked_sessions[family_id].set(now),
        *(UserModel.revoked_sessions[sid].remove() for sid in stale if sid != family_id),
    ]
    try:
        users.update_active(user, actions)
    except NotFound:
        pass  # a closed account has no sessions left to stop


def revoke_by_refresh(refresh_token: str) -> None:
    item = tokens.find(_refresh_key(refresh_token))
    if item is not None and item.family_id:
        revoke(item.family_id)


def end_others(user_id: str, *, keep: str) -> int:
    """End every session of the user but ``keep`` (the caller's); returns how many ended."""
    ended = 0
    for family in tokens.families_of(user_id):
        family_id = family.key.removeprefix("family#")
        if family_id != keep:
            revoke(family_id)
            ended += 1
    return ended


def listed(caller: Actor) -> list[dict[str, Any]]:
    """The caller's live sessions, the caller's own first, then the most recently used."""
    live = {
        family.key.removeprefix("family#"): family
        for family in tokens.families_of(caller.user_id)
        if family.version == caller.user.token_version
    }
    if caller.family_id not in live:
        # The index is eventually consistent: a session started a moment ago may not be in it
        # yet, but the caller's own is always listed.
        own = tokens.find(_family_key(caller.family_id))
        if own is not None and own.family_owner == caller.user_id and own.status == "active":
            live[caller.family_id] = own
    views = [_view(family_id, family, caller) for family_id, family in live.items()]
    views.sort(key=lambda view: view["last_used_at"] or "", reverse=True)
    views.sort(key=lambda view: not view["current"])
    return views


def _view(family_id: str, family: tokens.TokenModel, caller: Actor) -> dict[str, Any]:
    def at(moment: Any) -> str | None:
        return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "id": family_id,
        "device": family.device,
        "network": family.network,
        "created_at": at(family.created_at),
        "last_used_at": at(family.last_used_at or family.created_at),
        "current": family_id == caller.family_id,
    }


def end(user_id: str, family_id: str) -> None:
    """End one of the user's sessions at once; another user's (or none) is NotFound."""
    family = tokens.find(_family_key(family_id))
    if family is None or family.family_owner != user_id:
        raise NotFound("No such session.")
    _revoke(family, family_id)
