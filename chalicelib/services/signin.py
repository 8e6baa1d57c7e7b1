"""Signing in and out: passwords with throttling, providers' ID tokens, and ending sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib.config import OidcProvider, get_settings
from chalicelib.errors import (
    AccountDisabled,
    Conflict,
    EmailNotVerified,
    GoogleEmailUnverified,
    GoogleLinkUnverified,
    InvalidCredentials,
    InvalidRequest,
    NotFound,
    ProviderEmailUnverified,
    ProviderLinkUnverified,
    UsernameTaken,
)
from chalicelib.models import tokens, users
from chalicelib.models.uniques import identity_kind, owner_of
from chalicelib.models.users import UserModel
from chalicelib.services import (
    accounts,
    attempts,
    devices,
    oidc,
    passwords,
    phones,
    rules,
    sessions,
)


@dataclass(frozen=True)
class SignedIn:
    user: dict[str, Any]
    tokens: sessions.Tokens
    created: bool = False


def login(login_name: str, password: str, *, client: devices.Client | None = None) -> SignedIn:
    """Start a session for a username, email or verified phone and its password.

    Unknown accounts and wrong passwords answer alike and take alike long; throttling counts
    per account (or per unknown name), so an attacker cannot lock out everyone at once.
    """
    user = accounts.find_by_login(login_name, phones=True)
    subject = user.user_id if user else f"name#{login_name.strip().casefold()}"
    attempts.spend(subject)
    if not passwords.verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials()
    assert user is not None
    return _admitted(user, subject, client)


def login_with_code(
    login_name: str, code: str, *, client: devices.Client | None = None
) -> SignedIn:
    """Start a session for a verified phone number and the code texted to it (purpose
    ``sign_in``). A wrong code counts toward the same throttle as a wrong password; a right
    one is used up."""
    number, given = rules.collect(
        lambda: rules.phone(login_name, field="login"), lambda: phones.code(code)
    )
    if number is None:
        raise InvalidRequest.fields({"login": "required"})
    user, subject, item = phones.code_try(number, given, purpose="sign_in")
    if item is None or tokens.take(item.key) is None:
        raise InvalidCredentials("Wrong or expired code.")
    assert user is not None
    return _admitted(user, subject, client)


def _admitted(user: UserModel, subject: str, client: devices.Client | None) -> SignedIn:
    """A session for an account whose secret was right: unless it is disabled or its email
    unverified; the sign-in throttle of ``subject`` starts again."""
    if user.disabled:
        raise AccountDisabled()
    if not user.email_verified:
        raise EmailNotVerified(details={"email": rules.mask_email(user.email)})
    attempts.clear(subject)
    return SignedIn(accounts.user_view(user), sessions.start(user, client=client))


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


def providers() -> list[dict[str, str]]:
    """The sign-in buttons to show: every configured provider, in configuration order."""
    return [{"id": p.id, "name": p.name, "kind": p.kind} for p in get_settings().sign_in_providers]


def provider_sign_in(
    provider_id: str, credential: str, *, client: devices.Client | None = None
) -> SignedIn:
    """Sign in with a provider's ID token, linking or creating the account.

    An existing account is linked only when its own email is verified: otherwise someone could
    register a victim's address first and wait for the victim to sign in with the provider.
    """
    provider = _provider(provider_id)
    identity = oidc.verify(provider, credential)
    kind = identity_kind(provider.id)
    google = provider.id == "google"
    owner = owner_of(kind, identity.subject)
    if owner is not None:
        user = accounts.load(owner)
        return _signed_in(user, client=client)
    if not identity.email_verified:
        raise GoogleEmailUnverified() if google else ProviderEmailUnverified()
    address = _provider_address(identity.email, provider.name)
    existing = accounts.find_by_login(address)
    if existing is not None:
        if not existing.email_verified:
            raise GoogleLinkUnverified() if google else ProviderLinkUnverified()
        users.link_identity(existing, provider.id, identity.subject)
        return _signed_in(accounts.load(existing.user_id), client=client)
    user = _create_from(identity, address)
    return _signed_in(user, created=True, client=client)


def _provider(provider_id: str) -> OidcProvider:
    for provider in get_settings().sign_in_providers:
        if provider.id == provider_id:
            return provider
    raise NotFound("No such sign-in provider is enabled here.")


def _signed_in(
    user: UserModel, *, created: bool = False, client: devices.Client | None = None
) -> SignedIn:
    if user.disabled:
        raise AccountDisabled()
    return SignedIn(accounts.user_view(user), sessions.start(user, client=client), created)


def _provider_address(email: str, provider_name: str) -> str:
    try:
        return rules.email(email)
    except InvalidRequest as exc:
        raise InvalidRequest.fields(
            {"credential": f"the {provider_name} account's email address is not one we can mail"}
        ) from exc


def _username_from(email: str) -> str:
    local = email.partition("@")[0].lower()
    cleaned = "".join(c for c in local if c in "abcdefghijklmnopqrstuvwxyz0123456789_.-")
    return (cleaned or "user")[:24].ljust(3, "0")


def _create_from(identity: oidc.Identity, address: str) -> UserModel:
    base = _username_from(identity.email)
    kind = identity_kind(identity.provider)
    link: dict[str, Any] = (
        {"google_sub": identity.subject}
        if identity.provider == "google"
        else {"identities": {identity.provider: identity.subject}}
    )
    for attempt in range(6):
        name = base if attempt == 0 else f"{base}-{secrets.token_hex(2)}"
        user = accounts.new_user(
            username=name,
            email=address,
            email_verified=True,
            nickname=rules.nickname(rules.scrub(identity.name or "")[:50]),
            **link,
        )
        try:
            users.create(user, extra_guards=((kind, identity.subject),))
            return user
        except UsernameTaken:
            continue
        except Conflict:
            # A sign-in with the same provider account raced this one and won: use its account.
            owner = owner_of(kind, identity.subject)
            if owner is None:
                raise
            return accounts.load(owner)
    raise Conflict("Could not choose a free username; try again.")
