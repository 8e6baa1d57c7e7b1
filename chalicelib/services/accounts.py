"""Accounts: sign-up, email verification, the profile, and closing an account."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from pynamodb.attributes import Attribute
from pynamodb.expressions.update import Action

from chalicelib import delivery, emails, queues, storage
from chalicelib.config import get_settings
from chalicelib.errors import (
    InvalidRequest,
    InvalidToken,
    NotFound,
    WrongPassword,
)
from chalicelib.models import tokens, users
from chalicelib.models.base import utcnow
from chalicelib.models.uniques import owner_of
from chalicelib.models.users import UserModel
from chalicelib.services import attempts, passwords, rules, sessions

UNSET: Any = object()
MAILS_PER_HOUR = 5
# As long as a mail job can be handed over again (the mail queue keeps one 4 days).
_JOB_DECISION_TTL_S = 5 * 24 * 3600


def set_or_remove(attribute: Attribute[str], value: str | None) -> Action:
    return attribute.remove() if value is None else attribute.set(value)


def user_view(user: UserModel) -> dict[str, Any]:
    """The contract's ``user`` object."""
    return {
        "id": user.user_id,
        "username": user.username,
        "email": user.email,
        "email_verified": bool(user.email_verified),
        "nickname": user.nickname,
        "phone": user.phone,
        "phone_verified": bool(user.phone_verified),
        "is_admin": bool(user.is_admin),
        "created_at": iso(user.created_at),
        "storage": {
            "quota_bytes": int(user.quota_bytes),
            "used_bytes": int(user.used_bytes),
            "file_count": int(user.file_count),
            "root_folder_id": user.root_folder_id,
        },
    }


def iso(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def load(user_id: str) -> UserModel:
    """An account that exists and is not closed, or NotFound."""
    try:
        user = UserModel.get(user_id, consistent_read=True)
    except UserModel.DoesNotExist as exc:
        raise NotFound("No such user.") from exc
    if user.status != "active":
        raise NotFound("No such user.")
    return user


# A login that could be a phone number: digits with an optional "+" and the separators
# people write (usernames may be digits too: such a login tries the phone first).
_PHONE_LIKE = re.compile(r"\+?[0-9\s()-]{7,30}")


def find_by_login(login: str, *, phones: bool = False) -> UserModel | None:
    """The account whose username, email (it has an @) or, with ``phones`` (signing in and
    getting back in only: a phone number is no way to look people up), verified phone is
    ``login``.

    A phone number may be written in any common form (see ``rules.phone``); only a verified
    number holds a ``phone#`` guard, so an unverified one finds nobody. A login that reads as
    a phone number but that no one verified is tried as a username.
    """
    cleaned = login.strip()
    if "@" in cleaned:
        return _active(owner_of("email", cleaned))
    if phones and _PHONE_LIKE.fullmatch(cleaned):
        found = find_by_phone(cleaned)
        if found is not None:
            return found
    return _active(owner_of("username", cleaned))


def find_by_phone(phone: str) -> UserModel | None:
    """The account whose verified phone is ``phone`` (any form ``rules.phone`` reads)."""
    try:
        number = rules.phone(phone)
    except InvalidRequest:
        return None
    user = None if number is None else _active(owner_of("phone", number))
    return user if user and user.phone_verified and user.phone == number else None


def _active(owner: str | None) -> UserModel | None:
    if owner is None:
        return None
    try:
        user = UserModel.get(owner)
    except UserModel.DoesNotExist:
        return None
    return user if user.status == "active" else None


def new_user(*, username: str, email: str, **fields: Any) -> UserModel:
    quota = get_settings().default_quota_bytes
    return UserModel(
        uuid.uuid4().hex,
        username=username,
        name_initial=username[0],
        email=email,
        created_at=utcnow(),
        quota_bytes=quota,
        free_bytes=quota,
        root_folder_id=uuid.uuid4().hex,
        **fields,
    )


def register(
    *,
    username: str,
    email: str,
    password: str,
    nickname: str | None = None,
    phone: str | None = None,
) -> dict[str, Any]:
    """Create an unverified account and have the mail function email it a verification link
    (and text a code to its phone, if it gave one)."""
    name, address, _, nick, number = rules.collect(
        lambda: rules.username(username),
        lambda: rules.email(email),
        lambda: rules.password(password, username_value=username.strip()),
        lambda: rules.nickname(nickname),
        lambda: rules.phone(phone),
    )
    user = new_user(
        username=name,
        email=address,
        password_hash=passwords.hash_password(password),
        nickname=nick,
        phone=number,
    )
    users.create(user)
    queues.post_mail_job({"kind": "verify", "user_id": user.user_id}, group=user.email)
    if number is not None:
        # Its code waits for the first sign-in: POST /auth/phone/verify needs a session.
        queues.post_mail_job(
            {"kind": "phone_code", "user_id": user.user_id, "phone": number}, group=user.user_id
        )
    return user_view(user)


def emailed_link(kind: str, user: UserModel, *, path: str, ttl_s: int, **extra: Any) -> str:
    """Store a single-use token of ``kind`` for the user's current address; return the site
    link that carries it (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    tokens.put(
        f"{kind}#{tokens.hashed(token)}",
        ttl_s=ttl_s,
        user_id=user.user_id,
        email=user.email,
        **extra,
    )
    return f"{get_settings().public_url}{path}?token={token}"


def send_first_verification(user_id: str) -> None:
    """The mail function's half of sign-up: the verification link, unless already verified."""
    try:
        user = load(user_id)
    except NotFound:
        return  # closed before its mail left
    if not user.email_verified:
        send_verification(user)


def send_verification(user: UserModel) -> None:
    settings = get_settings()
    link = emailed_link("verify", user, path="/verify-email", ttl_s=settings.verify_ttl_s)
    delivery.send_email(
        user.email, emails.verification(user.username, link, settings.verify_ttl_s // 3600)
    )


def mail_allowed(kind: str, user_id: str, *, job_id: str) -> bool:
    """At most a few mails of a kind per account an hour, so nobody can flood an inbox."""
    return job_allowed(job_id, {f"throttle#mail#{kind}#{user_id}": MAILS_PER_HOUR})


def job_allowed(job_id: str, limits: dict[str, int]) -> bool:
    """Count one mail job against every hourly counter in ``limits`` (counter key → most
    allowed); False when any is past its limit. Each job is judged once: one SQS hands over
    again (its send failed) gets the first answer, so retries neither eat the allowance nor
    drop the mail."""
    decided = f"mailjob#{job_id}#allowed"
    earlier = tokens.find(decided)
    if earlier is not None:
        return bool(earlier.hits)
    allowed = True
    for key, most in limits.items():
        allowed = tokens.window_hit(key, window_s=3600) <= most and allowed
    tokens.put(decided, ttl_s=_JOB_DECISION_TTL_S, hits=int(allowed))
    return allowed


def verify_email(token: str) -> dict[str, Any]:
    item = tokens.take(f"verify#{tokens.hashed(token)}")
    if item is None:
        raise InvalidToken()
    try:
        user = load(str(item.user_id))
    except NotFound as exc:
        raise InvalidToken() from exc
    if user.email != item.email:
        raise InvalidToken("This link was for an address the account no longer has.")
    users.update_active(user, [UserModel.email_verified.set(True)])
    return user_view(user)


def resend_verification(email: str) -> None:
    """Have the mail function send a new link if an unverified account has this address; the
    request does the same (one queued job) either way."""
    address = rules.email(email)
    queues.post_mail_job({"kind": "resend_verification", "email": address}, group=address)


def send_verification_again(email: str, *, job_id: str) -> None:
    """The mail function's half of resend-verification."""
    user = find_by_login(email)
    if user is None or user.email_verified:
        return
    if not mail_allowed("verify", user.user_id, job_id=job_id):
        return
    send_verification(user)


def profile(user_id: str) -> dict[str, Any]:
    return user_view(load(user_id))


def update_profile(user_id: str, *, nickname: Any = UNSET, phone: Any = UNSET) -> dict[str, Any]:
    """Change the nickname and/or phone; a new phone number is unverified until its code."""
    user = load(user_id)
    actions: list[Action] = []
    new_phone = False
    if nickname is not UNSET:
        actions.append(set_or_remove(UserModel.nickname, rules.nickname(nickname)))
    if phone is not UNSET:
        number = rules.phone(phone)
        new_phone = number != user.phone
        if new_phone:
            actions += [set_or_remove(UserModel.phone, number), UserModel.phone_verified.set(False)]
    if actions:
        users.update_profile(user, actions, new_phone=new_phone)
    return profile(user_id)


def change_password(user_id: str, *, current: str | None, new: str, keep_session: str) -> None:
    """Set a new password and end every session but the caller's."""
    user = load(user_id)
    rules.password(new, username_value=user.username, field="new_password")
    if user.password_hash is not None:
        if not current:
            raise InvalidRequest.fields({"current_password": "required"})
        attempts.check_password(user, current, error=WrongPassword)
    users.update_active(user, [UserModel.password_hash.set(passwords.hash_password(new))])
    sessions.end_others(user_id, keep=keep_session)


def delete(user_id: str, *, password: str | None) -> None:
    """Close the account now: the teams it leads go to their oldest other member (or are
    deleted), it leaves the others, its sessions end and its names are freed; the purge job
    removes the rest in the background."""
    # Deferred: teams reads accounts (logins, views); this is the one way back.
    from chalicelib.services import teams

    user = load(user_id)
    if user.password_hash is not None:
        attempts.check_password(user, password or "", error=WrongPassword)
    teams.hand_on(user)
    users.close(user)
    # Once more for a team made or joined since the first pass (neither can follow the close).
    teams.hand_on(UserModel.get(user_id, consistent_read=True))


def purge_closed() -> int:
    """Remove what closed accounts left: their files in S3, their nodes, then their rows (a
    job; each step can run again after a crash). Returns how many accounts."""
    removed = 0
    for user in users.closed():
        for prefix in storage.owner_prefixes(user.user_id):
            storage.delete_prefix(prefix)
        users.remove_closed(user)
        removed += 1
    return removed


def search(caller_id: str, q: str) -> dict[str, Any]:
    """Up to 10 other people whose username starts with ``q`` (for inviting to a team)."""
    prefix = q.strip().lower()
    if not 1 <= len(prefix) <= 30:
        raise InvalidRequest.fields({"q": "1 to 30 characters of a username"})
    found = [u for u in users.by_username_prefix(prefix, limit=11) if u.user_id != caller_id]
    items = [{"id": u.user_id, "username": u.username, "nickname": u.nickname} for u in found]
    return {"items": items[:10]}
