"""The commands of ``python -m chalicelib.admin``, each a call of chalicelib/services/admin.py
(or of the usage and stats services), printed as a table or, with ``--json``, as JSON.

It reads the same settings as the app (chalicelib/config.py): ``STAGE`` picks the tables,
bucket and queues, and ``AWS_ENDPOINT_URL`` points it at the local stack's moto.

Exit codes: 0 done; 1 not found, refused, or drift found with ``usage --check``; 2 a usage
error (a bad argument, an unconfirmed ``purge``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from chalicelib.errors import AppError, ConfigError, InvalidRequest, NotFound
from chalicelib.models import users
from chalicelib.services import admin, census, reconcile

OK, FAILED, USAGE = 0, 1, 2
# Cursors of the command line's lists are signed for this viewer (no account is signed in).
VIEWER = "command-line"
SIZE = re.compile(r"\s*([0-9]+)\s*(B|KiB|MiB|GiB|TiB)?\s*", re.IGNORECASE)
UNITS = {"": 1, "b": 1, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
USER_COLUMNS = (
    ("username", "username"),
    ("email", "email"),
    ("id", "id"),
    ("admin", "is_admin"),
    ("disabled", "disabled"),
    ("quota", "quota"),
    ("used", "used"),
    ("files", "files"),
    ("last sign-in", "last_sign_in_at"),
)


class Refused(Exception):
    """The command is not carried out (an unconfirmed purge, a password not given)."""


# --- Printing ------------------------------------------------------------------------------


def write(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> None:
    """Rows as aligned columns under their titles."""
    cells = [[title for title, _ in columns]]
    cells += [
        ["" if row.get(key) is None else str(row.get(key)) for _, key in columns] for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    for line in cells:
        write(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )


def size(value: int) -> str:
    """Bytes as people read them (binary units)."""
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(amount) < 1024 or unit == "TiB":
            return f"{int(amount)} B" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{value} B"


def user_row(user: dict[str, Any]) -> dict[str, Any]:
    storage = user["storage"]
    return {
        **user,
        "is_admin": "yes" if user["is_admin"] else "",
        "disabled": "yes" if user["disabled"] else "",
        "quota": size(storage["quota_bytes"]),
        "used": size(storage["used_bytes"]),
        "files": storage["file_count"],
    }


def show(args: argparse.Namespace, value: Any, text: Callable[[], None]) -> None:
    """``value`` as JSON with ``--json``, else as ``text`` prints it."""
    if args.json:
        write(json.dumps(value, indent=2, ensure_ascii=False))
    else:
        text()


def show_users(args: argparse.Namespace, found: list[dict[str, Any]]) -> None:
    show(args, found, lambda: table([user_row(u) for u in found], USER_COLUMNS))


def show_user(args: argparse.Namespace, user: dict[str, Any], done: str) -> None:
    def text() -> None:
        write(done)
        table([user_row(user)], USER_COLUMNS)

    show(args, user, text)


# --- Commands ------------------------------------------------------------------------------


def cmd_users(args: argparse.Namespace) -> int:
    """List accounts: all, by username prefix or by exact email."""
    page = admin.list_users(VIEWER, q=args.q, limit=args.limit, cursor=args.cursor)
    found = list(page["items"])
    while args.all and page["next_cursor"]:
        page = admin.list_users(VIEWER, q=args.q, limit=args.limit, cursor=page["next_cursor"])
        found += page["items"]
    if args.json:
        write(json.dumps({"items": found, "next_cursor": page["next_cursor"]}, indent=2))
        return OK
    table([user_row(u) for u in found], USER_COLUMNS)
    if page["next_cursor"]:
        write(f"\nmore: --cursor {page['next_cursor']}  (or --all)")
    return OK


def cmd_find(args: argparse.Namespace) -> int:
    user = admin.admin_view(admin.find(args.who))
    show(args, user, lambda: table([user_row(user)], USER_COLUMNS))
    return OK


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise Refused("give the password on standard input with --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise Refused("the passwords differ")
    return first


def cmd_create_admin(args: argparse.Namespace) -> int:
    made = admin.create_admin(
        username=args.username, email=args.email, password=read_password(args)
    )
    show_user(args, made, "Created a verified admin account:")
    return OK


def changer(done: str, **changes: Any) -> Callable[[argparse.Namespace], int]:
    """A command that applies ``changes`` to the account the arguments name."""

    def run(args: argparse.Namespace) -> int:
        target = admin.find(args.who)
        values = {k: (v(args) if callable(v) else v) for k, v in changes.items()}
        show_user(args, admin.update_user(target.user_id, by=None, **values), done)
        return OK

    return run


def cmd_usage(args: argparse.Namespace) -> int:
    """Recount one account's (or every account's) storage from its nodes."""
    targets = (
        [u.user_id for u in users.open_accounts()] if args.all else [admin.find(args.who).user_id]
    )
    results = [reconcile.recompute(i, fix=args.fix) for i in targets]
    drifted = [r for r in results if r.drift]
    if args.json:
        write(json.dumps([drift_json(r) for r in results], indent=2))
    else:
        for result in drifted:
            verb = "corrected" if result.fixed else "drift"
            write(f"{result.username} ({result.user_id}): {verb}")
            rows = [{"counter": n, "row": a, "nodes": b} for n, (a, b) in result.drift.items()]
            table(rows, (("counter", "counter"), ("row says", "row"), ("nodes say", "nodes")))
            write()
        write(
            f"{len(results)} account(s) counted, {len(drifted)} with drift"
            + (", corrected" if args.fix and drifted else "")
        )
    return FAILED if args.check and drifted else OK


def drift_json(result: reconcile.Drift) -> dict[str, Any]:
    return {
        "user_id": result.user_id,
        "username": result.username,
        "drift": {n: {"row": a, "nodes": b} for n, (a, b) in result.drift.items()},
        "fixed": result.fixed,
    }


def confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    sys.stdout.write(f"{question} [y/N] ")
    sys.stdout.flush()
    typed = sys.stdin.readline()
    if not typed.endswith("\n"):
        write()  # no answer (end of input): end the question's line
    if typed.strip().lower() not in ("y", "yes"):
        raise Refused("not confirmed (nothing was done); --yes confirms without asking")


def cmd_purge(args: argparse.Namespace) -> int:
    confirm(args, "Delete for good what is past the trash retention and what closed accounts left?")
    with quiet_job_log():
        done = admin.purge_now()
    show(args, done, lambda: table([done], [(k.replace("_", " "), k) for k in done]))
    return OK


def cmd_thumbnails(args: argparse.Namespace) -> int:
    """List failed thumbnails; with --requeue, make them again."""
    if args.requeue:
        count = admin.requeue_thumbnails()
        show(args, {"requeued": count}, lambda: write(f"{count} file(s) queued again"))
        return OK
    failed = admin.failed_thumbnails()
    columns = (("file", "id"), ("owner", "owner_id"), ("name", "name"), ("reason", "reason"))
    show(args, failed, lambda: table(failed, columns))
    return OK


def cmd_replay_dlq(args: argparse.Namespace) -> int:
    replayed = admin.replay_dead_letters(limit=args.limit)
    result = {"moved": replayed.moved, "failed": replayed.failed}
    show(
        args,
        result,
        lambda: write(f"{replayed.moved} message(s) moved back, {replayed.failed} refused"),
    )
    return OK if not replayed.failed else FAILED


def cmd_stats(args: argparse.Namespace) -> int:
    counted = census.refresh() if args.refresh else census.latest()
    shown = {
        **counted,
        "bytes": f"{counted['bytes']} ({size(counted['bytes'])})",
    }
    show(args, counted, lambda: table([shown], [(k.replace("_", " "), k) for k in shown]))
    return OK


@contextmanager
def quiet_job_log() -> Iterator[None]:
    """The jobs' JSON log lines go to standard output, where they would mix with ours."""
    logger = logging.getLogger("teamdrive.events")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- Arguments -----------------------------------------------------------------------------


def quota_size(text: str) -> int:
    """``10737418240``, ``10GiB``, ``500 MiB``…: bytes."""
    match = SIZE.fullmatch(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (bytes, or 10GiB, 500MiB…)")
    return int(match.group(1)) * UNITS[(match.group(2) or "").lower()]


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    top = argparse.ArgumentParser(
        prog="python -m chalicelib.admin",
        description="teamdrive's operator commands (settings from the environment, as the app).",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="command")

    def add(name: str, run: Callable[[argparse.Namespace], int], text: str) -> Any:
        command = commands.add_parser(name, parents=[common], help=text, description=text)
        command.set_defaults(run=run)
        return command

    listing = add("users", cmd_users, "list accounts, in username order")
    listing.add_argument("-q", default="", help="a username prefix, or an exact email")
    listing.add_argument("--limit", type=int, default=50, choices=range(1, 201), metavar="1-200")
    listing.add_argument("--cursor", help="go on from a page's next cursor")
    listing.add_argument("--all", action="store_true", help="every page")
    add("find", cmd_find, "show one account").add_argument("who", help="id, username or email")
    create = add("create-admin", cmd_create_admin, "create a verified admin account")
    create.add_argument("username")
    create.add_argument("--email", required=True)
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    for name, text, changes in (
        ("promote", "make an account an admin", {"is_admin": True}),
        ("demote", "take an account's admin rights", {"is_admin": False}),
        ("disable", "disable an account and end its sessions", {"disabled": True}),
        ("enable", "enable a disabled account", {"disabled": False}),
    ):
        add(name, changer(f"{text}: done", **changes), text).add_argument("who")
    quota = add(
        "quota", changer("quota set", quota_bytes=lambda a: a.bytes), "set an account's quota"
    )
    quota.add_argument("who")
    quota.add_argument("bytes", type=quota_size, help="bytes, or with a unit: 10GiB, 500MiB")
    usage = add("usage", cmd_usage, "recount storage counters from the nodes; show the drift")
    whom = usage.add_mutually_exclusive_group(required=True)
    whom.add_argument("who", nargs="?", help="id, username or email")
    whom.add_argument("--all", action="store_true", help="every open account (scans)")
    mode = usage.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when there is drift")
    mode.add_argument("--fix", action="store_true", help="correct the counters")
    purge = add("purge", cmd_purge, "run the daily purge now (old trash, closed accounts)")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    thumbs = add("thumbnails", cmd_thumbnails, "list failed thumbnails")
    thumbs.add_argument("--requeue", action="store_true", help="make every failed one again")
    replay = add("replay-dlq", cmd_replay_dlq, "move the media dead letters back to the queue")
    replay.add_argument("--limit", type=int, help="at most this many messages")
    stats = add("stats", cmd_stats, "the operators' numbers (the hourly snapshot)")
    stats.add_argument("--refresh", action="store_true", help="count now (scans two tables)")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed why
        return exc.code if isinstance(exc.code, int) else USAGE
    try:
        return int(args.run(args))
    except NotFound as exc:
        sys.stderr.write(f"not found: {exc.message}\n")
        return FAILED
    except InvalidRequest as exc:
        fields = exc.details.get("fields", {})
        reasons = "; ".join(f"{k}: {v}" for k, v in fields.items()) or exc.message
        sys.stderr.write(f"invalid: {reasons}\n")
        return USAGE
    except Refused as exc:
        sys.stderr.write(f"refused: {exc}\n")
        return USAGE
    except AppError as exc:
        sys.stderr.write(f"{exc.code}: {exc.message}\n")
        return FAILED
    except ConfigError as exc:
        sys.stderr.write(f"settings: {exc}\n")
        return USAGE
