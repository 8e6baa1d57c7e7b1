"""A member sharing a folder at the very moment their membership ends (they leave, or the
leader removes them): whichever lands first, no folder stays shared with a team its owner is
not in. Fired many times through the local stack, whose moto server answers in parallel, as
DynamoDB would.

    leave:  read the shares ─────────────── end the membership
    share:              write the share ─┘          (the old race: left behind)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
import requests

from infra.local.runner import LocalStack
from tests import invariants
from tests.live.conftest import Account

ROUNDS = 30


def _delete(account: Account, path: str) -> requests.Response:
    return requests.delete(f"{account.api}{path}", headers=account.headers, timeout=60)


def _in_contract(
    reply: requests.Response, codes: tuple[str, ...] = ("not_found", "conflict")
) -> None:
    """A 2xx, or an error in the contract's format with one of ``codes`` (never a 5xx)."""
    if reply.status_code < 300:
        return
    assert reply.status_code < 500, reply.text
    error = reply.json()["error"]
    assert set(error) == {"code", "message", "details"}, reply.text
    assert error["code"] in codes, reply.text


def _at_once(
    first: Callable[[], requests.Response], second: Callable[[], requests.Response], lag: float
) -> tuple[requests.Response, requests.Response]:
    """Both released by one barrier, the first ``lag`` seconds after the second."""
    gate = Barrier(2)

    def run(call: Callable[[], requests.Response], pause: float) -> requests.Response:
        gate.wait()
        time.sleep(pause)
        return call()

    with ThreadPoolExecutor(max_workers=2) as pool:
        one, two = pool.submit(run, first, lag), pool.submit(run, second, 0.0)
        return one.result(), two.result()


def _nothing_of(leader: Account, member: Account, team_id: str, folder: dict[str, Any]) -> None:
    """The team (its leader, who stays) neither lists, reaches nor finds the folder."""
    shown = leader.get(f"/teams/{team_id}")
    assert member.id not in {m["id"] for m in shown["members"]}
    assert folder["id"] not in {f["folder_id"] for f in shown["shared_folders"]}
    reached = requests.get(f"{leader.api}/nodes/{folder['id']}", headers=leader.headers, timeout=30)
    assert reached.status_code == 404, reached.text
    found = leader.get(f"/search?q={folder['name']}")["items"]
    assert folder["id"] not in {n["id"] for n in found}


@pytest.mark.parametrize("who_ends", ["member_leaves", "leader_removes"])
def test_a_share_racing_the_end_of_its_owners_membership_never_outlives_it(live, who_ends):
    tag = uuid.uuid4().hex[:6]
    leader, member = Account(live, f"lead{tag}"), Account(live, f"memb{tag}")
    made = leader.post("/teams", {"name": "Racing"})
    assert made.status_code == 201, made.text
    team_id = made.json()["team"]["id"]
    for round_ in range(ROUNDS):
        invited = leader.post(f"/teams/{team_id}/invitations", {"username": f"memb{tag}"})
        assert invited.status_code == 201, invited.text
        joined = member.post(f"/teams/{team_id}/invitations/accept", {})
        assert joined.status_code == 200, joined.text
        folder = member.post("/folders", {"parent_id": member.root, "name": f"r{round_}{tag}"})
        assert folder.status_code == 201, folder.text
        node = folder.json()["node"]
        body = {"folder_id": node["id"], "access": ("read", "write")[round_ % 2]}
        end_path = f"/teams/{team_id}/members/" + (
            "me" if who_ends == "member_leaves" else member.id
        )
        ender = member if who_ends == "member_leaves" else leader
        ended, shared = _at_once(
            lambda p=end_path, e=ender: _delete(e, p),
            lambda b=body: member.post(f"/teams/{team_id}/shared-folders", b),
            # A share's checks take longer than a leave's first write: staggering the end
            # by 0 to 54 ms lands the share's write before, inside and after the leave.
            (round_ % 10) * 0.006,
        )
        assert ended.status_code == 204, ended.text
        assert shared.status_code in (201, 404, 409), shared.text
        _in_contract(shared)
        _nothing_of(leader, member, team_id, node)
        check_teams(live)


def test_handing_the_team_to_a_member_as_they_leave_keeps_a_leader_in_it(live):
    """The leader hands the team on while that member leaves: either they lead (and their
    leave is refused) or they are gone (and the hand-over is refused)."""
    tag = uuid.uuid4().hex[:6]
    leader, member = Account(live, f"hand{tag}"), Account(live, f"take{tag}")
    made = leader.post("/teams", {"name": "Handing"})
    assert made.status_code == 201, made.text
    team_id = made.json()["team"]["id"]
    for round_ in range(ROUNDS // 2):
        assert leader.post(f"/teams/{team_id}/invitations", {"username": f"take{tag}"}).ok
        assert member.post(f"/teams/{team_id}/invitations/accept", {}).ok
        left, handed = _at_once(
            lambda: _delete(member, f"/teams/{team_id}/members/me"),
            lambda: requests.patch(
                f"{leader.api}/teams/{team_id}",
                json={"leader_id": member.id},
                headers=leader.headers,
                timeout=60,
            ),
            (round_ % 10) * 0.006,
        )
        _in_contract(left, ("conflict",))
        _in_contract(handed, ("invalid_request",))
        assert (left.status_code, handed.status_code) in ((204, 400), (409, 200)), (
            left.text,
            handed.text,
        )
        check_teams(live)
        if handed.status_code == 200:  # they lead: they hand it back, then leave
            back = requests.patch(
                f"{member.api}/teams/{team_id}",
                json={"leader_id": leader.id},
                headers=member.headers,
                timeout=60,
            )
            assert back.status_code == 200, back.text
            assert _delete(member, f"/teams/{team_id}/members/me").status_code == 204
            check_teams(live)


def check_teams(live: LocalStack) -> None:
    with invariants.against(live.moto_url, live.stage):
        invariants.check_teams()
