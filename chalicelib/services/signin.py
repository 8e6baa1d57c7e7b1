"""Signing in and out: passwords with throttling, Google ID tokens, and ending sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.config import get_settings
from chalicelib.errors import (
    AccountDisabled,
    AppError,
    Conflict,
    EmailNotVerified,
    GoogleEmailUnverified,
    GoogleLinkUnverified,
    InvalidCredentials,
    InvalidRequest,
    RateLimited,
    UsernameTaken,
)
from chalicelib.models import tokens, users
from chalicelib.models.base import ConditionsFailed, transact
from chalicelib.models.uniques import UniqueModel, guard, owner_of
from chalicelib.models.users import UserModel
from chalicelib.services import accounts, google, passwords, rules, sessions


@dataclass(frozen=True)
class SignedIn:
    user: dict[str, Any]
    tokens: sessions.Tokens
    created: bool = False


def _throttle_key(subject: str) -> str:
    return f"throttle#login#{subject}"


def _spend_attempt(subject: str) -> None:
    """Count an attempt before checking it, so parallel guesses cannot all slip under the
    limit; past the limit, refuse until the window closes (a success clears the count)."""
    settings = get_settings()
    key = _throttle_key(subject)
    if tokens.window_hit(key, window_s=settings.login_fail_window_s) > settings.login_fail_limit:
        _, left = tokens.window_count(key, window_s=settings.login_fail_window_s)
        raise RateLimited(left, "Too many failed sign-ins. Try again later.")


def check_password(user: UserModel, password: str, *, error: type[AppError]) -> None:
    """Raise ``error`` unless ``password`` is the user's; attempts count toward throttling."""
    _spend_attempt(user.user_id)
    if not passwords.verify_password(user.password_hash, password):
        raise error()
    tokens.discard(_throttle_key(user.user_id))


def login(login_name: str, password: str) -> SignedIn:
    """Start a session for a username or email and its password.

    Unknown accounts and wrong passwords answer alike and take alike long; throttling counts
    per account (or per unknown name), so an attacker cannot lock out everyone at once.
    """
    user = accounts.find_by_login(login_name)
    subject = user.user_id if user else f"name#{login_name.strip().casefold()}"
    _spend_attempt(subject)
    if not passwords.verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials()
    assert user is not None
    if user.disabled:
        raise AccountDisabled()
    if not user.email_verified:
        raise EmailNotVerified(details={"email": rules.mask_email(user.email)})
    tokens.discard(_throttle_key(subject))
    return SignedIn(accounts.user_view(user), sessions.start(user))


def refresh(refresh_token: str) -> SignedIn:
    new_tokens, user = sessions.rotate(refresh_token)
    return SignedIn(accounts.user_view(user), new_tokens)


def logout(*, family_id: str | None = None, refresh_token: str | None = None) -> None:
    if family_id:
        sessions.revoke(family_id)
    elif refresh_token:
        sessions.revoke_by_refresh(refresh_token)


def logout_everywhere(user_id: str) -> None:
    """End every session of the user at once, access tokens included."""
    user = accounts.load(user_id)
    users.update_active(user, [UserModel.token_version.add(1)])


def google_sign_in(credential: str) -> SignedIn:
    """Sign in with a Google ID token, linking or creating the account.

    An existing account is linked only when its own email is verified: otherwise someone could
    register a victim's address first and wait for the victim to sign in with Google.
    """
    identity = google.verify(credential)
    owner = owner_of("google", identity.subject)
    if owner is not None:
        user = accounts.load(owner)
        return _signed_in(user)
    if not identity.email_verified:
        raise GoogleEmailUnverified()
    address = _google_address(identity.email)
    existing = accounts.find_by_login(address)
    if existing is not None:
        if not existing.email_verified:
            raise GoogleLinkUnverified()
        _link(existing, identity.subject)
        return _signed_in(accounts.load(existing.user_id))
    user = _create_from_google(identity)
    return _signed_in(user, created=True)


def _signed_in(user: UserModel, *, created: bool = False) -> SignedIn:
    if user.disabled:
        raise AccountDisabled()
    return SignedIn(accounts.user_view(user), sessions.start(user), created)


def _link(user: UserModel, subject: str) -> None:
    def build(tx: TransactWrite) -> None:
        tx.save(guard("google", subject, user.user_id), condition=UniqueModel.key.does_not_exist())
        tx.update(
            user,
            actions=[UserModel.google_sub.set(subject)],
            condition=UserModel.google_sub.does_not_exist() & (UserModel.status == "active"),
        )

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise Conflict("This account is linked to another Google account.") from exc


def _google_address(email: str) -> str:
    try:
        return rules.email(email)
    except InvalidRequest as exc:
        raise InvalidRequest.fields(
            {"credential": "the Google account's email address is not one we can mail"}
        ) from exc


def _username_from(email: str) -> str:
    local = email.partition("@")[0].lower()
    cleaned = "".join(c for c in local if c in "abcdefghijklmnopqrstuvwxyz0123456789_.-")
    return (cleaned or "user")[:24].ljust(3, "0")


def _create_from_google(identity: google.GoogleIdentity) -> UserModel:
    base = _username_from(identity.email)
    for attempt in range(6):
        name = base if attempt == 0 else f"{base}-{secrets.token_hex(2)}"
        user = accounts.new_user(
            username=name,
            email=_google_address(identity.email),
            email_verified=True,
            google_sub=identity.subject,
            nickname=rules.nickname(rules.CONTROL.sub("", identity.name or "")[:50]),
        )
        try:
            accounts.create(user, extra_guards=(("google", identity.subject),))
            return user
        except UsernameTaken:
            continue
        except Conflict:
            # A sign-in with the same Google account raced this one and won: use its account.
            owner = owner_of("google", identity.subject)
            if owner is None:
                raise
            return accounts.load(owner)
    raise Conflict("Could not choose a free username; try again.")
