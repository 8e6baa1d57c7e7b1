"""Routes of teams: the team, its invitations, members and shared folders."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, list_params, no_content, route
from chalicelib.models.teams import ACCESSES
from chalicelib.services import teams

bp = Blueprint(__name__)


@route(bp, "/teams", methods=["POST"])
def create_team() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    name = body.text("name", max_len=1000)
    body.check()
    return json_response({"team": teams.create(caller, name)}, status=201)


@route(bp, "/teams", methods=["GET"])
def list_teams() -> Any:
    request = bp.current_request
    caller = session.actor(request)
    limit, cursor = list_params(request)
    return teams.mine(caller, limit=limit, cursor=cursor)


@route(bp, "/teams/{team_id}", methods=["GET"])
def get_team(team_id: str) -> Any:
    return teams.detail(session.actor(bp.current_request), team_id)


@route(bp, "/teams/{team_id}", methods=["PATCH"])
def update_team(team_id: str) -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    name = body.text("name", required=False, max_len=1000)
    leader_id = body.id("leader_id", required=False)
    body.check()
    if name is None and leader_id is None:
        body.fail("name", "give a name, a leader_id or both")
        body.check()
    return {"team": teams.update(caller, team_id, name=name, leader_id=leader_id)}


@route(bp, "/teams/{team_id}", methods=["DELETE"])
def delete_team(team_id: str) -> Any:
    teams.delete(session.actor(bp.current_request), team_id)
    return no_content()


@route(bp, "/teams/{team_id}/invitations", methods=["POST"])
def invite(team_id: str) -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    username = body.text("username", required=False, max_len=254)
    email = body.text("email", required=False, max_len=254)
    body.check()
    return json_response(teams.invite(caller, team_id, username=username, email=email), status=201)


@route(bp, "/teams/{team_id}/invitations/accept", methods=["POST"])
def accept(team_id: str) -> Any:
    return teams.accept(session.actor(bp.current_request), team_id)


@route(bp, "/teams/{team_id}/invitations/decline", methods=["POST"])
def decline(team_id: str) -> Any:
    teams.decline(session.actor(bp.current_request), team_id)
    return no_content()


@route(bp, "/teams/{team_id}/invitations/{user_id}", methods=["DELETE"])
def cancel(team_id: str, user_id: str) -> Any:
    teams.cancel(session.actor(bp.current_request), team_id, user_id)
    return no_content()


@route(bp, "/teams/{team_id}/members/{user_id}", methods=["DELETE"])
def remove_member(team_id: str, user_id: str) -> Any:
    teams.remove_member(session.actor(bp.current_request), team_id, user_id)
    return no_content()


@route(bp, "/teams/{team_id}/shared-folders", methods=["POST"])
def share_folder(team_id: str) -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    folder_id = body.id("folder_id")
    access = body.choice("access", ACCESSES, default="")
    body.check()
    return json_response(
        {"shared_folder": teams.share_folder(caller, team_id, folder_id, access)}, status=201
    )


@route(bp, "/teams/{team_id}/shared-folders/{folder_id}", methods=["DELETE"])
def unshare_folder(team_id: str, folder_id: str) -> Any:
    teams.unshare_folder(session.actor(bp.current_request), team_id, folder_id)
    return no_content()
