"""Teams: making and running one, invitations, members, and the folders members share with
it (chalicelib/models/teams.py keeps the items; chalicelib/policy.py turns shares into
access).

Who may do what: anyone signed in makes a team and leads it; a member sees it whole; only the
leader renames it, hands leadership on, invites, cancels invitations, removes members and
deletes it (a member asking is 403, anyone else 404: teams one is not in do not exist for
them). A member shares folders they own and stops sharing them; the leader may stop any share.
A member who leaves or is removed stops sharing their folders with the team, however their
requests interleave (chalicelib/models/teams.py draws how).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from chalicelib import policy
from chalicelib.errors import AppError, Conflict, Forbidden, InvalidRequest, NotFound
from chalicelib.models import nodes
from chalicelib.models import teams as model
from chalicelib.models.teams import TeamChanged, TeamModel
from chalicelib.models.users import UserModel
from chalicelib.services import accounts, cursors, rules, uploads
from chalicelib.services.accounts import iso
from chalicelib.services.sessions import Actor

# Bounds that keep a team's detail one Query and one BatchGet of people.
MAX_MEMBERS = 100
MAX_TEAMS = 100
# Reads and tries for one team while an account closes, should its members keep changing.
HAND_ON_TRIES = 5


def team_view(row: TeamModel) -> dict[str, Any]:
    return {
        "id": row.team_id,
        "name": row.name,
        "leader_id": row.leader_id,
        "member_count": int(row.member_count or 0),
        "created_at": iso(row.created_at),
    }


def _not_found() -> NotFound:
    return NotFound("No such team.")


def _team_ids(caller: Actor) -> set[str]:
    return set(caller.user.team_ids or ())


def _membership(caller: Actor, team_id: str) -> TeamModel:
    """The row of an active team the caller is a member of (their user row says so, read
    with the session), else 404."""
    if team_id not in _team_ids(caller):
        raise _not_found()
    row = model.get(team_id)
    if row is None or row.status != "active":
        raise _not_found()
    return row


def _led(caller: Actor, team_id: str) -> TeamModel:
    row = _membership(caller, team_id)
    if row.leader_id != caller.user_id:
        raise Forbidden("Only the team's leader may do that.")
    return row


def _people(user_ids: Iterable[str]) -> dict[str, UserModel]:
    ids = list(dict.fromkeys(user_ids))
    found: dict[str, UserModel] = {}
    for start in range(0, len(ids), 100):
        for user in UserModel.batch_get(ids[start : start + 100]):
            found[user.user_id] = user
    return found


def _person_view(user: UserModel | None, user_id: str) -> dict[str, Any]:
    if user is None or user.status != "active":
        return {"id": user_id, "username": None, "nickname": None}
    return {"id": user_id, "username": user.username, "nickname": user.nickname}


def create(caller: Actor, name: str) -> dict[str, Any]:
    cleaned = rules.team_name(name)
    if len(_team_ids(caller)) >= MAX_TEAMS:
        raise Conflict(f"You are in {MAX_TEAMS} teams already.")
    try:
        row = model.create(uuid.uuid4().hex, cleaned, caller.user_id)
    except TeamChanged as exc:
        raise NotFound("No such user.") from exc
    return team_view(row)


def mine(caller: Actor, *, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """The caller's teams, by name (a user is in at most MAX_TEAMS)."""
    rows = [r for r in model.teams(_team_ids(caller)) if r.status == "active"]
    rows.sort(key=lambda r: ((r.name or "").casefold(), r.team_id))
    views = [team_view(r) for r in rows]
    return cursors.page(views, limit=limit, cursor=cursor, scope=f"{caller.user_id}:teams")


def detail(caller: Actor, team_id: str) -> dict[str, Any]:
    """The team, its members (leader first, then by when they joined), its pending
    invitations (to the leader only) and its shared folders (those still there)."""
    _membership(caller, team_id)
    items = model.whole(team_id)
    row = next((i for i in items if i.item == model.TEAM), None)
    if row is None or row.status != "active":
        raise _not_found()
    members = [i for i in items if i.item.startswith("member#")]
    invites = [i for i in items if i.item.startswith("invite#")]
    shares = [i for i in items if i.item.startswith("folder#")]
    leads = row.leader_id == caller.user_id
    people = _people(
        [str(i.person) for i in members]
        + ([str(i.person) for i in invites] if leads else [])
        + [str(i.sharer_id) for i in shares]
    )
    members.sort(key=lambda i: (i.person != row.leader_id, model.joined(i)))
    folders = nodes.batch(str(i.folder_id) for i in shares)
    shared = []
    for share in shares:
        folder = folders.get(str(share.folder_id))
        if folder is None or folder.status != "ready":
            continue  # deleted, or in its owner's trash: nobody reaches it now
        shared.append(
            {
                "folder_id": folder.node_id,
                "name": folder.name,
                "access": share.access,
                "owner_id": folder.owner_id,
                "shared_by": _person_view(people.get(str(share.sharer_id)), str(share.sharer_id)),
                "shared_at": iso(share.shared_at),
            }
        )
    view = {
        "team": team_view(row),
        "members": [
            {
                **_person_view(people.get(str(i.person)), str(i.person)),
                "role": "leader" if i.person == row.leader_id else "member",
                "joined_at": iso(i.joined_at),
            }
            for i in members
        ],
        "shared_folders": shared,
    }
    if leads:
        view["invitations"] = [
            {
                "user": _person_view(people.get(str(i.person)), str(i.person)),
                "invited_at": iso(i.invited_at),
            }
            for i in invites
        ]
    return view


def update(
    caller: Actor, team_id: str, *, name: str | None = None, leader_id: str | None = None
) -> dict[str, Any]:
    cleaned = rules.team_name(name) if name is not None else None
    _led(caller, team_id)
    if leader_id is not None and leader_id != caller.user_id:
        try:
            model.hand_over(team_id, caller.user_id, leader_id)
        except TeamChanged as exc:
            raise InvalidRequest.fields({"leader_id": "must be a member of the team"}) from exc
    if cleaned is not None:
        try:
            model.rename(team_id, cleaned)
        except TeamChanged as exc:
            raise _not_found() from exc
    row = model.get(team_id)
    if row is None:
        raise _not_found()  # deleted the moment after
    return team_view(row)


def delete(caller: Actor, team_id: str) -> None:
    _led(caller, team_id)
    try:
        model.start_closing(team_id, caller.user_id)
    except TeamChanged as exc:
        raise _not_found() from exc
    close(team_id)


def close(team_id: str) -> None:
    """Finish deleting a team marked closing: unshare its folders (access ends first), drop
    its invitations, let its members go, then remove the row. Safe to run again."""
    items = model.whole(team_id)
    for item in items:
        if item.item.startswith("folder#"):
            model.unshare(team_id, str(item.folder_id))
    for item in items:
        if item.item.startswith("invite#"):
            _quietly(lambda i=item: model.drop_invitation(team_id, str(i.person)))
    for item in items:
        if item.item.startswith("member#"):
            _quietly(lambda i=item: model.let_go(team_id, str(i.person), closing=True))
    model.remove_row(team_id)
    _end_uploads(items)


def _quietly(write: Any) -> None:
    """A write that another run of the same cleanup may have done already."""
    try:
        write()
    except TeamChanged:
        pass


def invite(
    caller: Actor, team_id: str, *, username: str | None, email: str | None
) -> dict[str, Any]:
    if (username is None) == (email is None):
        raise InvalidRequest.fields({"username": "give a username or an email, not both"})
    row = _led(caller, team_id)
    login = rules.username(username) if username is not None else rules.email(str(email))
    invitee = accounts.find_by_login(login)
    if invitee is None:
        raise NotFound("Nobody has that username or email.")
    pending = sum(1 for i in model.whole(team_id) if i.item.startswith("invite#"))
    if int(row.member_count or 0) + pending >= MAX_MEMBERS:
        raise Conflict(f"A team has at most {MAX_MEMBERS} members, invitations included.")
    try:
        item = model.invite(team_id, invitee.user_id, caller.user_id)
    except TeamChanged as exc:
        raise Conflict("They are a member or invited already.") from exc
    return {
        "invitation": {
            "team_id": team_id,
            "user": _person_view(invitee, invitee.user_id),
            "invited_at": iso(item.invited_at),
        }
    }


def cancel(caller: Actor, team_id: str, user_id: str) -> None:
    _led(caller, team_id)
    try:
        model.drop_invitation(team_id, user_id)
    except TeamChanged as exc:
        raise NotFound("No such invitation.") from exc


def accept(caller: Actor, team_id: str) -> dict[str, Any]:
    if len(_team_ids(caller)) >= MAX_TEAMS:
        raise Conflict(f"You are in {MAX_TEAMS} teams already.")
    try:
        model.accept(team_id, caller.user_id, max_members=MAX_MEMBERS)
    except TeamChanged as exc:
        raise NotFound("No such invitation (or the team is full).") from exc
    row = model.get(team_id)
    if row is None:
        raise _not_found()  # deleted the moment after
    return {"team": team_view(row)}


def decline(caller: Actor, team_id: str) -> None:
    try:
        model.drop_invitation(team_id, caller.user_id)
    except TeamChanged as exc:
        raise NotFound("No such invitation.") from exc


def invitations(caller: Actor, *, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """The caller's pending invitations, newest first."""
    pending = [i for i in model.of_person(caller.user_id) if i.item.startswith("invite#")]
    rows = {r.team_id: r for r in model.teams({i.team_id for i in pending})}
    people = _people(str(i.invited_by) for i in pending)
    items = [
        {
            "team": team_view(rows[i.team_id]),
            "invited_by": _person_view(people.get(str(i.invited_by)), str(i.invited_by)),
            "invited_at": iso(i.invited_at),
        }
        for i in sorted(pending, key=lambda i: i.invited_at or 0, reverse=True)
        if i.team_id in rows and rows[i.team_id].status == "active"
    ]
    return cursors.page(items, limit=limit, cursor=cursor, scope=f"{caller.user_id}:invitations")


def remove_member(caller: Actor, team_id: str, user_id: str) -> None:
    """The leader removes a member, or a member leaves (``me``). The leader leaves only a
    team of one, which is then deleted."""
    row = _membership(caller, team_id)
    leaving = user_id in ("me", caller.user_id)
    target = caller.user_id if leaving else user_id
    if not leaving and row.leader_id != caller.user_id:
        raise Forbidden("Only the team's leader may remove members.")
    if target == row.leader_id:
        if int(row.member_count or 0) > 1:
            raise Conflict("Hand the team to another member before you leave it.")
        try:
            model.start_closing(team_id, caller.user_id, members=1)
        except TeamChanged as exc:
            raise _cannot_leave(team_id, caller.user_id) from exc  # someone joined meanwhile?
        close(team_id)
        return
    leave(team_id, target)


def leave(team_id: str, user_id: str) -> None:
    """End a membership: mark it ending (nothing more is shared from then on), unshare the
    member's folders, end it, then cancel what members can no longer upload."""
    try:
        model.begin_leaving(team_id, user_id)
    except TeamChanged as exc:
        raise _cannot_leave(team_id, user_id) from exc
    items = model.whole(team_id)
    for item in items:
        if item.item.startswith("folder#") and user_id in (item.sharer_id, item.owner_id):
            model.unshare(team_id, str(item.folder_id))
    try:
        model.let_go(team_id, user_id)
    except TeamChanged as exc:
        raise NotFound("No such member.") from exc  # another leave ended it first
    _end_uploads(items)


def _cannot_leave(team_id: str, user_id: str) -> AppError:
    """Why a membership could not start to end, read again."""
    row = model.get(team_id)
    if row is None or row.status != "active":
        return _not_found()
    if row.leader_id == user_id:
        return Conflict("Hand the team to another member before you leave it.")
    return NotFound("No such member.")


def share_folder(caller: Actor, team_id: str, folder_id: str, access: str) -> dict[str, Any]:
    """Share a folder the caller owns with one of their teams (again: change its access)."""
    _membership(caller, team_id)
    here, _ = policy.require(caller, folder_id)
    folder = here.node
    if folder.owner_id != caller.user_id or not folder.is_folder:
        raise NotFound("No such folder.")
    if folder.parent_id is None:
        raise InvalidRequest.fields(
            {"folder_id": "share a folder inside your drive, not all of it"}
        )
    try:
        model.share(team_id, folder, caller.user_id, access, above=here.ancestors)
    except TeamChanged as exc:
        if exc.folder:
            raise NotFound("No such folder.") from exc  # trashed or moved meanwhile
        raise Conflict(
            "You are leaving this team, or it is being deleted: nothing more can be shared."
        ) from exc
    if access == "read":
        _end_uploads(model.whole(team_id), folder_id)
    return {"folder_id": folder_id, "team_id": team_id, "access": access}


def unshare_folder(caller: Actor, team_id: str, folder_id: str) -> None:
    row = _membership(caller, team_id)
    items = model.whole(team_id)
    share = next((i for i in items if i.item == model.folder_item(folder_id)), None)
    if share is None:
        raise NotFound("That folder is not shared with this team.")
    if caller.user_id not in (share.sharer_id, row.leader_id):
        raise Forbidden("Only who shared it or the team's leader may stop sharing it.")
    model.unshare(team_id, folder_id)
    _end_uploads(items, folder_id)


def _end_uploads(items: list[TeamModel], folder_id: str | None = None) -> None:
    """Cancel what members were uploading into the team's shared folders (``folder_id``: that
    one) and may no longer write to, once access ended (``items``: the team as it was)."""
    members = [str(i.person) for i in items if i.item.startswith("member#")]
    by_owner: dict[str, list[str]] = {}
    for item in items:
        if item.item.startswith("folder#") and folder_id in (None, item.folder_id):
            by_owner.setdefault(str(item.owner_id), []).append(str(item.folder_id))
    for owner_id, folder_ids in by_owner.items():
        uploads.cancel_into(owner_id, folder_ids, members)


def hand_on(user: UserModel) -> None:
    """Before an account closes (and once more after, for a team joined meanwhile): each
    team it leads goes to its oldest other member (or is deleted when it has none), and it
    leaves every team (unsharing its folders)."""
    for team_id in sorted(user.team_ids or ()):
        _hand_on_one(team_id, user.user_id)


def _hand_on_one(team_id: str, user_id: str) -> None:
    for _ in range(HAND_ON_TRIES):
        items = model.whole(team_id)
        row = next((i for i in items if i.item == model.TEAM), None)
        if row is None or row.status != "active":
            return  # gone, or being deleted (which lets every member go)
        members = [i for i in items if i.item.startswith("member#")]
        try:
            if row.leader_id == user_id:
                others = sorted(
                    (i for i in members if i.person != user_id and not i.leaving),
                    key=model.joined,
                )
                if not others:  # (those leaving are let go with the team)
                    model.start_closing(team_id, user_id, members=len(members))
                    close(team_id)
                    return
                model.hand_over(team_id, user_id, str(others[0].person))
            leave(team_id, user_id)
            return
        except (TeamChanged, Conflict):
            continue  # someone joined, left or took the lead meanwhile: read again
        except NotFound:
            return  # removed, or the team deleted, meanwhile
    raise Conflict("Your teams kept changing while the account closed: try again.")
