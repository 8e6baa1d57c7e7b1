"""The operators' command line, ``python -m chalicelib.admin``: each command's ``main(argv)``
against the test stack, its output (tables and ``--json``) and its exit code, and what it
changed, read back through the API or straight from the tables."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import storage
from chalicelib.admin.cli import main
from chalicelib.config import get_settings
from chalicelib.models import users
from chalicelib.models.base import utcnow
from chalicelib.models.users import UserModel
from tests import files, invariants
from tests.client import Api, assert_error
from tests.conftest import User
from tests.drives import (
    Account,
    Drive,
    drain,
    dynamodb,
    media_queue,
    set_node_attribute,
    set_user_fields,
    sqs,
    stamp,
    table,
    unique,
    user_row,
)

SHARED_STACK = True  # see tests/conftest.py: module_stack


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run a command: its exit code, what it printed and what it complained of."""

    def call(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def run_json(run: Callable[..., tuple[int, str, str]]) -> Callable[..., Any]:
    """Run a command with ``--json`` that must succeed; what it printed, parsed."""

    def call(*argv: str) -> Any:
        code, out, err = run(*argv, "--json")
        assert code == 0, (out, err)
        return json.loads(out)

    return call


@pytest.fixture
def drive(sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]) -> Drive:
    """An account of this test's own, signed in."""
    return open_drive(sign_up())


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """What the operator types at the command's questions."""
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


# --- Accounts -----------------------------------------------------------------------------


def test_users_lists_accounts_by_prefix_as_a_table_and_as_json(run, run_json, make_user):
    start = unique("p").replace(" ", "")[:12]
    made = [make_user(f"{start}{n}") for n in "ba"]

    code, out, _ = run("users", "-q", start)
    listed = run_json("users", "-q", start)

    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["username", "email", "id"]
    assert [line.split()[0] for line in lines[1:]] == sorted(u.username for u in made)
    assert [u["username"] for u in listed["items"]] == sorted(u.username for u in made)
    assert listed["next_cursor"] is None


def test_users_all_follows_every_page(run, run_json, make_user):
    start = unique("q").replace(" ", "")[:12]
    made = sorted(make_user(f"{start}{n}").username for n in "cab")

    first = run_json("users", "-q", start, "--limit", "1")
    everyone = run_json("users", "-q", start, "--limit", "1", "--all")

    assert [u["username"] for u in first["items"]] == made[:1] and first["next_cursor"]
    assert [u["username"] for u in everyone["items"]] == made
    nxt = run_json("users", "-q", start, "--limit", "1", "--cursor", first["next_cursor"])
    assert [u["username"] for u in nxt["items"]] == made[1:2]


def test_find_takes_an_id_a_username_or_an_email(run, run_json, user):
    for who in (user.id, user.username, user.email, user.username.upper()):
        assert run_json("find", who)["id"] == user.id

    code, _, err = run("find", "nobody-by-this-name")
    assert code == 1 and "not found" in err


def test_create_admin_makes_a_verified_admin_who_can_sign_in(run, monkeypatch, new_api):
    name = unique("ops").replace(" ", "")[:20]
    answer(monkeypatch, "a long enough secret\n")

    code, out, err = run("create-admin", name, "--email", f"{name}@example.com", "--password-stdin")

    assert code == 0, err
    assert name in out
    browser = new_api()
    signed = browser.post("/auth/login", {"login": name, "password": "a long enough secret"})
    assert signed.status == 200, signed.body
    assert signed.json["user"]["email_verified"] is True
    assert signed.json["user"]["is_admin"] is True
    assert browser.get("/admin/stats").status == 200


def test_create_admin_refuses_taken_names_bad_values_and_a_missing_password(run, monkeypatch, user):
    answer(monkeypatch, "a long enough secret\n")
    taken = run("create-admin", user.username, "--email", "new@example.com", "--password-stdin")
    answer(monkeypatch, "short\n")
    weak = run("create-admin", "fresh-name", "--email", "not-an-email", "--password-stdin")
    answer(monkeypatch, "")
    unasked = run("create-admin", "fresh-name", "--email", "fresh@example.com")

    assert taken[0] == 1 and "username_taken" in taken[2]
    assert weak[0] == 2 and "email" in weak[2] and "password" in weak[2]
    assert unasked[0] == 2 and "--password-stdin" in unasked[2]
    assert run("find", "fresh-name")[0] == 1


def test_promote_and_demote_open_and_close_the_admin_routes(run, user, login):
    browser = login(user)

    assert run("promote", user.username)[0] == 0
    assert browser.get("/admin/stats").status == 200
    assert run("demote", user.email)[0] == 0
    assert_error(browser.get("/admin/stats"), 403, "forbidden")


@pytest.mark.parametrize(
    ("given", "expected"),
    [("5000", 5000), ("1MiB", 2**20), ("2 gib", 2 * 2**30), ("0", 0)],
    ids=["bytes", "mib", "gib-spaced", "zero"],
)
def test_quota_takes_bytes_or_binary_units_and_moves_free_space_with_it(run, user, given, expected):
    before = user_row(user.id)

    code, _, err = run("quota", user.username, given)

    assert code == 0, err
    after = user_row(user.id)
    assert after["quota_bytes"] == expected
    assert after["free_bytes"] == before["free_bytes"] + expected - before["quota_bytes"]


def test_disable_ends_the_sessions_and_enable_lets_the_account_sign_in_again(
    run, user, login, new_api
):
    browser = login(user)

    assert run("disable", user.id)[0] == 0
    assert_error(browser.get("/users/me"), 401, "unauthenticated")
    refused = new_api().post("/auth/login", {"login": user.username, "password": user.password})
    assert_error(refused, 403, "account_disabled")

    assert run("enable", user.id)[0] == 0
    assert login(user).get("/users/me").status == 200


# --- Usage drift --------------------------------------------------------------------------


def test_usage_reports_drift_and_fix_corrects_it(run, run_json, drive):
    drive.upload("a.txt", b"12345", content_type="text/plain")
    drive.upload("b.bin", b"123")
    binned = drive.mkdir("binned")["id"]
    drive.upload("c.bin", b"1234567", parent=binned)  # in the trash with its folder
    drive.trash(binned)
    assert run("usage", drive.user.username, "--check")[0] == 0
    row = user_row(drive.user.id)
    set_user_fields(
        drive.user.id, used_bytes=row["used_bytes"] + 100, file_count=7, bytes_document=1
    )

    code, out, _ = run("usage", drive.user.username, "--check")

    assert code == 1
    assert "used_bytes" in out and "file_count" in out and "bytes_document" in out
    assert user_row(drive.user.id)["file_count"] == 7  # a check changes nothing
    reported = run_json("usage", drive.user.username)
    assert reported[0]["drift"]["used_bytes"] == {
        "row": row["used_bytes"] + 100,
        "nodes": row["used_bytes"],
    }
    assert reported[0]["fixed"] is False

    code, out, _ = run("usage", drive.user.username, "--fix")

    assert code == 0 and "corrected" in out
    assert user_row(drive.user.id) == row
    assert run("usage", drive.user.username, "--check")[0] == 0
    invariants.check({drive.user.id})


def test_an_upload_in_progress_is_a_reservation_not_drift(run, drive):
    started = files.start(drive.client, drive.home, "slow.bin", 40)
    assert started.status == 201
    assert run("usage", drive.user.id, "--check")[0] == 0

    # A row that lost the reservation: the fix puts it back, so completing still settles.
    set_user_fields(
        drive.user.id, reserved_bytes=0, free_bytes=user_row(drive.user.id)["quota_bytes"]
    )
    code, out, _ = run("usage", drive.user.id, "--check")
    assert code == 1 and "reserved_bytes" in out and "free_bytes" in out
    assert run("usage", drive.user.id, "--fix")[0] == 0

    parts = files.put_parts(drive.client, started.json, b"x" * 40)
    assert files.complete(drive.client, started.json["upload_id"], parts).status == 200
    invariants.check({drive.user.id})


def test_usage_all_counts_every_account_and_checks_them(run_json, drive):
    counted = run_json("usage", "--all")

    mine = [r for r in counted if r["user_id"] == drive.user.id]
    assert mine == [
        {"user_id": drive.user.id, "username": drive.user.username, "drift": {}, "fixed": False}
    ]


def test_a_correction_is_refused_when_the_counters_moved_since_they_were_read(drive):
    seen = {"reserved_bytes": 0, "free_bytes": user_row(drive.user.id)["free_bytes"]}
    assert files.start(drive.client, drive.home, "racing.bin", 9).status == 201
    before = user_row(drive.user.id)

    written = users.update_if_unchanged(
        drive.user.id, [UserModel.free_bytes.add(9), UserModel.reserved_bytes.add(-9)], seen=seen
    )

    assert written is None
    assert user_row(drive.user.id) == before
    invariants.check({drive.user.id})


# --- The purge ----------------------------------------------------------------------------


def test_purge_asks_first_and_runs_the_daily_job_when_told_yes(run, run_json, monkeypatch, drive):
    old = drive.upload("old.txt", b"gone soon")
    drive.trash(old["id"])
    past = utcnow() - timedelta(days=get_settings().trash_retention_days + 1)
    set_node_attribute(old["id"], "trashed_at", stamp(past))

    answer(monkeypatch, "n\n")
    code, _, err = run("purge")
    assert code == 2 and "not confirmed" in err
    assert old["id"] in {n["id"] for n in drive.client.get("/trash").json["items"]}

    answer(monkeypatch, "")
    assert run("purge")[0] == 2  # no answer (a script without a terminal) is no
    done = run_json("purge", "--yes")

    assert done["trash_purged"] >= 1
    assert drive.client.get("/trash").json["items"] == []
    assert drive.stats()["used_bytes"] == 0
    invariants.check({drive.user.id})


def test_purge_confirmed_at_the_prompt_runs(run, monkeypatch):
    answer(monkeypatch, "y\n")

    code, out, _ = run("purge")

    assert code == 0 and "trash purged" in out


# --- Thumbnails and the dead letters ------------------------------------------------------


def dead_letters() -> str:
    return str(sqs().get_queue_url(QueueName="test-media-events-dlq")["QueueUrl"])


def bodies_on(url: str) -> list[str]:
    """Take every message off a queue; their bodies."""
    return [message["Body"] for message in drain(url)]


def held(url: str) -> int:
    """How many messages a queue holds, those being read (hidden) included."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    found = sqs().get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(found[name]) for name in names)


def test_failed_thumbnails_are_listed_and_requeued(run, run_json, drive):
    photo = drive.upload("photo.jpg", b"not really a jpeg", content_type="image/jpeg")
    bodies_on(media_queue())
    dynamodb().update_item(
        TableName=table("nodes"),
        Key={"node_id": {"S": photo["id"]}},
        UpdateExpression="SET thumbnail = :t",
        ExpressionAttributeValues={
            ":t": {"M": {"status": {"S": "failed"}, "reason": {"S": "a passing outage"}}}
        },
    )

    listed = {f["id"]: f for f in run_json("thumbnails")}
    code, out, _ = run("thumbnails")

    assert listed[photo["id"]]["reason"] == "a passing outage"
    assert listed[photo["id"]]["owner_id"] == drive.user.id
    assert code == 0 and photo["id"] in out

    requeued = run_json("thumbnails", "--requeue")

    assert requeued["requeued"] >= 1
    assert drive.node(photo["id"])["thumbnail"]["status"] == "pending"
    keys = [json.loads(b)["Records"][0]["s3"]["object"]["key"] for b in bodies_on(media_queue())]
    assert storage.file_key(drive.user.id, photo["id"]) in keys
    assert photo["id"] not in {f["id"] for f in run_json("thumbnails")}


def test_replay_moves_every_dead_letter_back_to_the_media_queue(run, run_json):
    bodies_on(media_queue())
    bodies_on(dead_letters())
    bodies = [json.dumps({"n": n}) for n in range(13)]  # more than one batch of ten
    for body in bodies:
        sqs().send_message(QueueUrl=dead_letters(), MessageBody=body)

    assert run_json("replay-dlq") == {"moved": 13, "failed": 0}

    assert sorted(bodies_on(media_queue())) == sorted(bodies)
    assert held(dead_letters()) == 0


def test_replay_with_a_limit_moves_that_many_and_leaves_the_rest(run):
    bodies_on(media_queue())
    bodies_on(dead_letters())
    for n in range(5):
        sqs().send_message(QueueUrl=dead_letters(), MessageBody=f"letter {n}")

    code, out, _ = run("replay-dlq", "--limit", "3")

    assert code == 0 and "3 message(s) moved back" in out
    assert len(bodies_on(media_queue())) == 3
    assert held(dead_letters()) == 2


# --- Stats and usage errors ---------------------------------------------------------------


def test_stats_refresh_counts_now_and_stats_shows_the_snapshot(run, run_json, drive):
    before = run_json("stats", "--refresh")
    drive.upload("counted.txt", b"1234567")

    assert run_json("stats") == before
    after = run_json("stats", "--refresh")
    assert after["files"] == before["files"] + 1
    assert after["bytes"] == before["bytes"] + 7
    code, out, _ = run("stats")
    assert code == 0 and "pending uploads" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["find"],
        ["quota", "someone", "ten"],
        ["quota", "someone", "-5"],
        ["usage"],
        ["usage", "someone", "--all"],
        ["usage", "someone", "--check", "--fix"],
        ["users", "--limit", "0"],
        ["users", "-q", "no spaces"],
        ["replay-dlq", "--limit", "x"],
    ],
    ids=lambda argv: " ".join(argv) or "nothing",
)
def test_usage_errors_exit_2(run, argv):
    assert run(*argv)[0] == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["find", "nobody@example.com"],
        ["disable", "nobody-at-all"],
        ["quota", "0123456789abcdef0123456789abcdef", "5"],
        ["usage", "nobody-at-all", "--check"],
    ],
    ids=["find", "disable", "quota", "usage"],
)
def test_an_unknown_account_exits_1(run, argv):
    code, _, err = run(*argv)

    assert code == 1 and "not found" in err


def test_a_closed_account_is_not_found(run, make_user, login):
    who: User = make_user()
    browser: Api = login(who)
    assert browser.delete("/users/me", {"password": who.password}).status == 204

    assert run("find", who.id)[0] == 1
    assert run("usage", who.id)[0] == 1
