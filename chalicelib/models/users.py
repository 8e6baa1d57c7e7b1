"""The users table, and the writes that must move an account and its guard items together
(``uniques``): creating, linking a sign-in provider, changing the phone, closing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.errors import Conflict, EmailTaken, NotFound, PhoneTaken, UsernameTaken
from chalicelib.models import nodes
from chalicelib.models.base import ConditionsFailed, TableName, Transaction, transact, utcnow
from chalicelib.models.uniques import UniqueModel, guard, guard_key, identity_kind


class ByUsername(GlobalSecondaryIndex["UserModel"]):
    """People by username prefix: the first letter, then the name (for inviting)."""

    class Meta:
        index_name = "by_username"
        projection = AllProjection()

    name_initial = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class UserModel(Model):
    class Meta:
        table_name = TableName("users")

    user_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    name_initial = UnicodeAttribute(null=True)
    email = UnicodeAttribute()
    email_verified = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute(null=True)
    nickname = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    phone_verified = BooleanAttribute(default=False)
    google_sub = UnicodeAttribute(null=True)
    # Other OpenID Connect providers' subjects linked to this account: provider id → subject.
    identities: MapAttribute[str, Any] = MapAttribute(null=True)
    is_admin = BooleanAttribute(default=False)
    disabled = BooleanAttribute(default=False)
    # "active", or "deleted" until the purge job removes what the account left behind.
    status = UnicodeAttribute(default="active")
    created_at = UTCDateTimeAttribute()
    # When a session last started (a password, Google or token sign-in), for the operators.
    last_sign_in_at = UTCDateTimeAttribute(null=True)
    deleted_at = UTCDateTimeAttribute(null=True)
    quota_bytes = NumberAttribute()
    used_bytes = NumberAttribute(default=0)
    reserved_bytes = NumberAttribute(default=0)
    file_count = NumberAttribute(default=0)
    # quota - used - reserved, moved by the same writes as those three, so that reserving
    # space is one conditional ADD (a condition cannot add attributes together).
    free_bytes = NumberAttribute(default=0)
    # Of used_bytes, what is in the trash; folders (the root aside), trash included.
    trash_bytes = NumberAttribute(default=0)
    folder_count = NumberAttribute(default=0)
    # Ready files and their bytes by category (chalicelib/filetypes.py), for the usage chart.
    count_image = NumberAttribute(default=0)
    count_video = NumberAttribute(default=0)
    count_audio = NumberAttribute(default=0)
    count_document = NumberAttribute(default=0)
    count_archive = NumberAttribute(default=0)
    count_other = NumberAttribute(default=0)
    bytes_image = NumberAttribute(default=0)
    bytes_video = NumberAttribute(default=0)
    bytes_audio = NumberAttribute(default=0)
    bytes_document = NumberAttribute(default=0)
    bytes_archive = NumberAttribute(default=0)
    bytes_other = NumberAttribute(default=0)
    # A folder move whose path rewrite below it is not finished: {node, source, target}.
    # While it is here nothing builds a new path for this owner (chalicelib/models/tree.py).
    moving: MapAttribute[str, Any] = MapAttribute(null=True)
    # Bumped by every write that puts a node into a folder (a new folder or upload, a move, a
    # restore): a move too large for one transaction conditions on it (chalicelib/models/tree.py).
    tree_rev = NumberAttribute(default=0)
    root_folder_id = UnicodeAttribute()
    # The teams this user is a member of (chalicelib/models/teams.py keeps it).
    team_ids = UnicodeSetAttribute(null=True)
    # Bumped to end every session at once (logout-all, password reset, deletion).
    token_version = NumberAttribute(default=0)
    # Session families ended one by one (sign-out, a replayed refresh token): family id →
    # epoch seconds. Their access tokens stop at once; an entry older than the access-token
    # lifetime has nothing left to stop and is pruned.
    revoked_sessions: MapAttribute[str, Any] = MapAttribute(default=dict)

    by_username = ByUsername()


def _conditional_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def update_active(user: UserModel, actions: Sequence[Action]) -> None:
    """Apply ``actions`` to an account that is still open; NotFound once it is closed (an
    unconditional update would bring a purged row back as a stub)."""
    try:
        user.update(actions=list(actions), condition=UserModel.status == "active")
    except UpdateError as exc:
        if _conditional_failed(exc):
            raise NotFound("No such user.") from exc
        raise


def create(user: UserModel, *, extra_guards: Sequence[tuple[str, str]] = ()) -> None:
    """Write a new user with its root folder and the guards of its username, email and
    ``extra_guards``."""
    guards = [("username", user.username), ("email", user.email), *extra_guards]
    root = nodes.new_root(user.user_id, user.root_folder_id)

    def build(tx: Transaction) -> None:
        for kind, value in guards:
            tx.save(guard(kind, value, user.user_id), condition=UniqueModel.key.does_not_exist())
        tx.save(user, condition=UserModel.user_id.does_not_exist())
        tx.save(root, condition=nodes.NodeModel.node_id.does_not_exist())

    try:
        transact(build)
    except ConditionsFailed as exc:
        kinds = {guards[i][0] for i in exc.failed if i < len(guards)}
        if "username" in kinds:
            raise UsernameTaken() from exc
        if "email" in kinds:
            raise EmailTaken() from exc
        raise Conflict("That account is linked already.") from exc


def link_identity(user: UserModel, provider: str, subject: str) -> None:
    """Link ``provider``'s ``subject`` to the account; Conflict if it holds another already."""
    if provider == "google":
        action = UserModel.google_sub.set(subject)
        unlinked = UserModel.google_sub.does_not_exist()
    elif user.identities is None:
        action = UserModel.identities.set({provider: subject})
        unlinked = UserModel.identities.does_not_exist()
    else:
        action = UserModel.identities[provider].set(subject)
        unlinked = UserModel.identities.exists() & UserModel.identities[provider].does_not_exist()

    def build(tx: Transaction) -> None:
        tx.save(
            guard(identity_kind(provider), subject, user.user_id),
            condition=UniqueModel.key.does_not_exist(),
        )
        # Linking was decided on the account's verified email: the write guards it.
        verified = UserModel.email_verified == True  # noqa: E712 (a condition, not a test)
        tx.update(
            user, actions=[action], condition=unlinked & (UserModel.status == "active") & verified
        )

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise Conflict("This account is linked to another account of that provider.") from exc


def _phone_unchanged(user: UserModel) -> Condition:
    """The row still holds the phone (and its verified flag) that ``user`` was read with, so a
    guard is released or taken only for the number the row really has."""
    same_phone = (
        UserModel.phone.does_not_exist() if user.phone is None else UserModel.phone == user.phone
    )
    return (
        (UserModel.status == "active")
        & same_phone
        & (UserModel.phone_verified == bool(user.phone_verified))
    )


def _release(tx: Transaction, kind: str, value: str, owner_id: str) -> None:
    """Delete a guard inside ``tx``, only if ``owner_id`` still holds it."""
    tx.delete(UniqueModel(guard_key(kind, value)), condition=UniqueModel.owner_id == owner_id)


def _changed_meanwhile(user: UserModel) -> Conflict | NotFound:
    try:
        current = UserModel.get(user.user_id, consistent_read=True)
    except UserModel.DoesNotExist:
        current = None
    if current is None or current.status != "active":
        return NotFound("No such user.")
    return Conflict("The profile changed at the same moment. Try again.")


def update_profile(user: UserModel, actions: Sequence[Action], *, new_phone: bool) -> None:
    """Apply profile ``actions``; with ``new_phone``, a verified number frees its guard."""
    released = user.phone if new_phone and user.phone and user.phone_verified else None

    def build(tx: Transaction) -> None:
        tx.update(user, actions=list(actions), condition=_phone_unchanged(user))
        if released:
            _release(tx, "phone", released, user.user_id)

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise _changed_meanwhile(user) from exc


def set_verified_phone(user: UserModel, number: str) -> None:
    """Take ``number`` as the user's verified phone, freeing the one it replaces."""
    previous = user.phone if user.phone_verified and user.phone != number else None

    def build(tx: Transaction) -> None:
        tx.save(
            guard("phone", number, user.user_id),
            condition=UniqueModel.key.does_not_exist() | (UniqueModel.owner_id == user.user_id),
        )
        tx.update(
            user,
            actions=[UserModel.phone.set(number), UserModel.phone_verified.set(True)],
            condition=_phone_unchanged(user),
        )
        if previous:
            _release(tx, "phone", previous, user.user_id)

    try:
        transact(build)
    except ConditionsFailed as exc:
        if 0 in exc.failed:
            raise PhoneTaken() from exc
        raise _changed_meanwhile(user) from exc


def close(user: UserModel) -> None:
    """Mark the account deleted, end its sessions and free its names, all at once."""
    held = [("username", user.username), ("email", user.email)]
    if user.google_sub:
        held.append(("google", user.google_sub))
    linked = user.identities.as_dict() if user.identities is not None else {}
    for provider, subject in sorted(linked.items()):
        held.append((identity_kind(provider), subject))
    if user.phone and user.phone_verified:
        held.append(("phone", user.phone))

    def build(tx: Transaction) -> None:
        tx.update(
            user,
            actions=[
                UserModel.status.set("deleted"),
                UserModel.deleted_at.set(utcnow()),
                UserModel.token_version.add(1),
            ],
            condition=UserModel.status == "active",
        )
        for kind, value in held:
            _release(tx, kind, value, user.user_id)

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise NotFound("No such user.") from exc


def closed(*, older_than_s: int = 0) -> Iterator[UserModel]:
    """Accounts closed more than ``older_than_s`` ago (a job's read: it scans)."""
    cutoff = utcnow().timestamp() - older_than_s
    for user in UserModel.scan(UserModel.status == "deleted"):
        if user.deleted_at is not None and user.deleted_at.timestamp() <= cutoff:
            yield user


def remove_closed(user: UserModel) -> None:
    """Delete a closed account's nodes (with their name guards), then its row: a crash
    half-way leaves the row, so the next run finishes."""
    nodes.purge_owner(user.user_id)
    user.delete(condition=UserModel.status == "deleted")


def by_username_prefix(prefix: str, *, limit: int) -> list[UserModel]:
    """Open accounts whose username starts with ``prefix`` (lower case, not empty), in
    username order (from the index: a new account may take a moment to appear)."""
    found = UserModel.by_username.query(
        prefix[0],
        UserModel.username.startswith(prefix),
        filter_condition=UserModel.status == "active",
        limit=limit,
    )
    return list(found)


# The first letters a username may have, in the order DynamoDB sorts them (bytes): the
# partitions of ``by_username``, which together list every account without a Scan.
INITIALS = "".join(sorted("-._0123456789abcdefghijklmnopqrstuvwxyz"))


def page_by_username(
    initial: str, prefix: str | None, *, limit: int, start: dict[str, Any] | None
) -> tuple[list[UserModel], dict[str, Any] | None]:
    """Up to ``limit`` open accounts whose username starts with ``initial`` (and ``prefix``),
    in username order, and the key to continue from (None at the end of that letter)."""
    result = UserModel.by_username.query(
        initial,
        UserModel.username.startswith(prefix) if prefix else None,
        filter_condition=UserModel.status == "active",
        limit=limit,
        last_evaluated_key=start,
    )
    found = list(result)
    return found, result.last_evaluated_key


def _holds(attribute: Any, value: Any) -> Condition:
    """The row still holds ``value`` (a counter or flag never written reads as 0 or false)."""
    if not value:
        return attribute.does_not_exist() | (attribute == value)
    return attribute == value


def update_if_unchanged(
    user_id: str, actions: Sequence[Action], *, seen: Mapping[str, Any]
) -> UserModel | None:
    """Apply ``actions`` to an open account whose attributes still hold what ``seen`` says
    (name → value) and return it as written; None when one of them changed meanwhile (or
    the account closed)."""
    condition = UserModel.status == "active"
    for name, value in seen.items():
        condition &= _holds(getattr(UserModel, name), value)
    user = UserModel(user_id)
    try:
        user.update(actions=list(actions), condition=condition)
    except UpdateError as exc:
        if _conditional_failed(exc):
            return None
        raise
    return user


def open_accounts() -> Iterator[UserModel]:
    """Every open account (a job's or an operator's read: it scans)."""
    return UserModel.scan(UserModel.status == "active")
