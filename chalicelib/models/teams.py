"""The teams table: a team, its members, its invitations and the folders shared with it, all
in the team's partition, so one Query reads a team whole.

    (team_id, "team")                name, leader_id, member_count, created_at, status
    (team_id, "member#{user_id}")    person, joined_at, leaving
    (team_id, "invite#{user_id}")    person, invited_by, invited_at
    (team_id, "folder#{folder_id}")  folder_id, owner_id, access, sharer_id, shared_at

Two facts are kept twice, by the same transactions: a member's teams are on their user row
(``team_ids``), and a shared folder's teams on the folder (``shared_read``/``shared_write``).
So the access check reads nothing beyond the user row the session check reads and the chain
of folders it reads anyway (chalicelib/policy.py). Both are sets, which ADD and DELETE can
change whether or not they exist yet. The sparse index ``by_person`` lists a user's
memberships and invitations.

A team being deleted is marked ``closing`` first: every other write checks the team is
``active``, so nothing joins or is shared while its folders are unshared and its members
let go, and a deletion that stops half-way is finished by running it again.

A membership ends the same way: marked ``leaving`` first, which a share checks is absent, so
the member's shares read after the mark are all there will ever be; then they are unshared,
then the membership (which must be so marked, and not the leader's) is deleted:

    share:  membership there, not leaving? ──> write the share     (either before the mark)
    leave:  mark leaving ──> read the shares, unshare ──> end the membership
                             (or refused after it: the team's folders never outlive it)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.models.base import ConditionsFailed, TableName, Transaction, transact, utcnow
from chalicelib.models.nodes import NodeModel
from chalicelib.models.tree import structure
from chalicelib.models.users import UserModel

TEAM = "team"
ACCESSES = ("read", "write")


class ByPerson(GlobalSecondaryIndex["TeamModel"]):
    class Meta:
        index_name = "by_person"
        projection = AllProjection()

    person = UnicodeAttribute(hash_key=True)
    team_id = UnicodeAttribute(range_key=True)


class TeamModel(Model):
    class Meta:
        table_name = TableName("teams")

    team_id = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)
    # The team row.
    name = UnicodeAttribute(null=True)
    leader_id = UnicodeAttribute(null=True)
    member_count = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # "active", or "closing" while it is deleted
    # Members and invitations: whose (the by_person index's key).
    person = UnicodeAttribute(null=True)
    joined_at = UTCDateTimeAttribute(null=True)
    leaving = UTCDateTimeAttribute(null=True)  # set when the membership starts to end
    invited_by = UnicodeAttribute(null=True)
    invited_at = UTCDateTimeAttribute(null=True)
    # Shared folders.
    folder_id = UnicodeAttribute(null=True)
    owner_id = UnicodeAttribute(null=True)
    access = UnicodeAttribute(null=True)
    sharer_id = UnicodeAttribute(null=True)
    shared_at = UTCDateTimeAttribute(null=True)

    by_person = ByPerson()


class TeamChanged(Exception):
    """A condition failed: the team, a membership or the folder is not as the write assumed
    (read again and decide). ``folder``: it was the folder (or a folder above it) that
    changed, not the team or the membership."""

    def __init__(self, *, folder: bool = False):
        super().__init__("the folder changed" if folder else "the team changed")
        self.folder = folder


def member_item(user_id: str) -> str:
    return f"member#{user_id}"


def invite_item(user_id: str) -> str:
    return f"invite#{user_id}"


def folder_item(folder_id: str) -> str:
    return f"folder#{folder_id}"


def _run(build: Callable[[Transaction], None]) -> None:
    try:
        transact(build)
    except ConditionsFailed as exc:
        raise TeamChanged() from exc


def _staying() -> Any:
    """A membership that is there and not ending."""
    return TeamModel.person.exists() & TeamModel.leaving.does_not_exist()


def staying(team_id: str, user_id: str) -> Callable[[Transaction], None]:
    """A check, for a transaction, that ``user_id`` is a member of the team and not leaving
    (what a write a member makes through the team relies on: chalicelib/models/tree.py)."""

    def check(tx: Transaction) -> None:
        tx.condition_check(TeamModel, team_id, member_item(user_id), condition=_staying())

    return check


def _active(tx: Transaction, team_id: str) -> None:
    tx.condition_check(TeamModel, team_id, TEAM, condition=TeamModel.status == "active")


def get(team_id: str) -> TeamModel | None:
    try:
        found = TeamModel.get(team_id, TEAM, consistent_read=True)
    except TeamModel.DoesNotExist:
        return None
    return found


def whole(team_id: str) -> list[TeamModel]:
    """Every item of a team (the row, members, invitations, shared folders), read
    consistently."""
    return list(TeamModel.query(team_id, consistent_read=True))


def teams(team_ids: set[str]) -> list[TeamModel]:
    """The rows of these teams that exist."""
    if not team_ids:
        return []
    return list(TeamModel.batch_get([(t, TEAM) for t in team_ids], consistent_read=True))


def shared_folders(team_ids: Iterable[str]) -> list[TeamModel]:
    """The shared-folder items of these teams: one Query each (a user is in at most
    ``MAX_TEAMS``; see chalicelib/services/teams.py)."""
    return [
        item
        for team_id in sorted(team_ids)
        for item in TeamModel.query(team_id, TeamModel.item.startswith("folder#"))
    ]


def of_person(user_id: str) -> Iterator[TeamModel]:
    """A user's membership and invitation items (from the index: may lag a moment)."""
    return TeamModel.by_person.query(user_id)


def create(team_id: str, name: str, leader_id: str) -> TeamModel:
    now = utcnow()
    row = TeamModel(
        team_id,
        TEAM,
        name=name,
        leader_id=leader_id,
        member_count=1,
        created_at=now,
        status="active",
    )

    def build(tx: Transaction) -> None:
        tx.save(row, condition=TeamModel.team_id.does_not_exist())
        tx.save(
            TeamModel(team_id, member_item(leader_id), person=leader_id, joined_at=now),
            condition=TeamModel.team_id.does_not_exist(),
        )
        tx.update(
            UserModel(leader_id),
            actions=[UserModel.team_ids.add({team_id})],
            condition=UserModel.status == "active",
        )

    _run(build)
    return row


def rename(team_id: str, name: str) -> None:
    row = TeamModel(team_id, TEAM)
    try:
        row.update(actions=[TeamModel.name.set(name)], condition=TeamModel.status == "active")
    except Exception as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise TeamChanged() from exc
        raise


def hand_over(team_id: str, leader_id: str, new_leader_id: str) -> None:
    """Make a member the leader, if ``leader_id`` still leads."""

    def build(tx: Transaction) -> None:
        tx.update(
            TeamModel(team_id, TEAM),
            actions=[TeamModel.leader_id.set(new_leader_id)],
            condition=(TeamModel.status == "active") & (TeamModel.leader_id == leader_id),
        )
        tx.condition_check(TeamModel, team_id, member_item(new_leader_id), condition=_staying())

    _run(build)


def invite(team_id: str, user_id: str, invited_by: str) -> TeamModel:
    """Invite someone who is neither a member nor invited (TeamChanged otherwise)."""
    item = TeamModel(
        team_id, invite_item(user_id), person=user_id, invited_by=invited_by, invited_at=utcnow()
    )

    def build(tx: Transaction) -> None:
        _active(tx, team_id)
        tx.save(item, condition=TeamModel.team_id.does_not_exist())
        tx.condition_check(
            TeamModel, team_id, member_item(user_id), condition=TeamModel.team_id.does_not_exist()
        )

    _run(build)
    return item


def drop_invitation(team_id: str, user_id: str) -> None:
    """Cancel or decline an invitation that exists (TeamChanged otherwise)."""

    def build(tx: Transaction) -> None:
        tx.delete(TeamModel(team_id, invite_item(user_id)), condition=TeamModel.person.exists())

    _run(build)


def accept(team_id: str, user_id: str, *, max_members: int) -> None:
    """The invitation becomes a membership, if the team has room."""
    now = utcnow()

    def build(tx: Transaction) -> None:
        tx.delete(TeamModel(team_id, invite_item(user_id)), condition=TeamModel.person.exists())
        tx.save(
            TeamModel(team_id, member_item(user_id), person=user_id, joined_at=now),
            condition=TeamModel.team_id.does_not_exist(),
        )
        tx.update(
            TeamModel(team_id, TEAM),
            actions=[TeamModel.member_count.add(1)],
            condition=(TeamModel.status == "active") & (TeamModel.member_count < max_members),
        )
        tx.update(
            UserModel(user_id),
            actions=[UserModel.team_ids.add({team_id})],
            condition=UserModel.status == "active",
        )

    _run(build)


def begin_leaving(team_id: str, user_id: str) -> None:
    """Mark a membership as ending (again is harmless): from now on its member shares
    nothing more with the team, and it cannot be handed the team. The leader's cannot."""

    def build(tx: Transaction) -> None:
        tx.update(
            TeamModel(team_id, member_item(user_id)),
            actions=[TeamModel.leaving.set(TeamModel.leaving | utcnow())],
            condition=TeamModel.person.exists(),
        )
        tx.condition_check(
            TeamModel,
            team_id,
            TEAM,
            condition=(TeamModel.status == "active") & (TeamModel.leader_id != user_id),
        )

    _run(build)


def let_go(team_id: str, user_id: str, *, closing: bool = False) -> None:
    """End a membership: one marked leaving (``begin_leaving``) whose shared folders have
    been unshared since, of someone who does not lead the team; or, when the team is being
    deleted (``closing``), any."""

    def build(tx: Transaction) -> None:
        tx.delete(
            TeamModel(team_id, member_item(user_id)),
            condition=TeamModel.person.exists() if closing else TeamModel.leaving.exists(),
        )
        tx.update(
            TeamModel(team_id, TEAM),
            actions=[TeamModel.member_count.add(-1)],
            condition=(TeamModel.status == "closing")
            if closing
            else (TeamModel.status == "active") & (TeamModel.leader_id != user_id),
        )
        tx.update(
            UserModel(user_id),
            actions=[UserModel.team_ids.delete({team_id})],
            condition=UserModel.user_id.exists(),
        )

    _run(build)


def share(
    team_id: str, folder: NodeModel, sharer_id: str, access: str, *, above: Sequence[NodeModel]
) -> None:
    """Share a folder with a team its owner belongs to (and is not leaving), or change the
    access it is shared with; ``above``, the folders over it as read, must still hang where
    they did, out of the trash (TeamChanged with ``folder`` set when they or it changed)."""
    other = "read" if access == "write" else "write"

    def build(tx: Transaction) -> None:
        tx.condition_check(TeamModel, team_id, member_item(sharer_id), condition=_staying())
        _active(tx, team_id)
        tx.save(
            TeamModel(
                team_id,
                folder_item(folder.node_id),
                folder_id=folder.node_id,
                owner_id=folder.owner_id,
                access=access,
                sharer_id=sharer_id,
                shared_at=utcnow(),
            )
        )
        tx.update(
            folder,
            actions=[
                getattr(NodeModel, f"shared_{access}").add({team_id}),
                getattr(NodeModel, f"shared_{other}").delete({team_id}),
            ],
            condition=(NodeModel.owner_id == sharer_id) & structure(folder),
        )
        for node in above:
            tx.condition_check(NodeModel, node.node_id, condition=structure(node))

    try:
        transact(build)
    except ConditionsFailed as exc:
        raise TeamChanged(folder=bool(set(exc.failed) - {0, 1})) from exc


def unshare(team_id: str, folder_id: str) -> None:
    """Stop sharing a folder with a team (the folder may be gone: purged)."""

    def build(tx: Transaction) -> None:
        tx.delete(TeamModel(team_id, folder_item(folder_id)))
        tx.update(
            NodeModel(folder_id),
            actions=[
                NodeModel.shared_read.delete({team_id}),
                NodeModel.shared_write.delete({team_id}),
            ],
            condition=NodeModel.node_id.exists(),
        )

    try:
        _run(build)
    except TeamChanged:
        TeamModel(team_id, folder_item(folder_id)).delete()  # the folder is gone for good


def start_closing(team_id: str, leader_id: str, *, members: int | None = None) -> None:
    """Mark a team as being deleted, if ``leader_id`` leads it (and it has ``members``
    members, when given: nobody joined since they were read)."""
    row = TeamModel(team_id, TEAM)
    condition = (TeamModel.status == "active") & (TeamModel.leader_id == leader_id)
    if members is not None:
        condition &= TeamModel.member_count == members
    try:
        row.update(actions=[TeamModel.status.set("closing")], condition=condition)
    except Exception as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise TeamChanged() from exc
        raise


def remove_row(team_id: str) -> None:
    TeamModel(team_id, TEAM).delete(condition=TeamModel.status == "closing")


def joined(item: TeamModel) -> datetime:
    assert item.joined_at is not None
    return item.joined_at
