"""Recovery routes take as long for an account that does not exist as for one that does, on
the local stack over real HTTP (the mail function runs on the runner's queue poller).

Each sample is one request timed alone, after the mail of the one before has left; a known
and an unknown account are asked one right after the other (in turn first), and the median of
the 30 differences must be within a margin of zero. Sending the mail inside the request made a
known account 15-20 ms slower (26 ms against 5 ms on a quiet machine), which this catches;
pairing the samples cancels the drift of a busy machine, and the median its outliers.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
import requests

from infra.local.runner import LocalStack

SAMPLES = 30
# How far from zero the median difference may be: 5 ms, or a tenth of a request's median.
RELATIVE, ABSOLUTE_S = 0.1, 0.005


@pytest.fixture(scope="module")
def known_accounts(live: LocalStack) -> list[str]:
    """Unverified accounts (so every route mails them), one per sample: a fresh account is
    under every hourly mail limit, so each known sample is a mail that is really sent."""
    emails = []
    for i in range(SAMPLES):
        email = f"known{i:02d}@example.com"
        body = {"username": f"known{i:02d}", "email": email, "password": "correct horse 1"}
        reply = requests.post(f"{live.url}/api/auth/register", json=body, timeout=30)
        assert reply.status_code == 201, reply.text
        emails.append(email)
    assert live.outbox.settle()
    return emails


ROUTES: dict[str, Callable[[str], dict[str, str]]] = {
    "forgot-password": lambda email: {"login": email},
    "forgot-username": lambda email: {"email": email},
    "resend-verification": lambda email: {"email": email},
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_known_and_an_unknown_account_take_the_same_time(
    live: LocalStack, known_accounts: list[str], route: str
) -> None:
    session = requests.Session()
    body = ROUTES[route]
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for i, email in enumerate(known_accounts):
        unknown = email.replace("known", "nope_")  # the same length
        pair = [("known", email), ("unknown", unknown)]
        for label, address in pair if i % 2 else reversed(pair):
            assert live.outbox.settle()  # nothing of the sample before is still being sent
            started = time.perf_counter()
            reply = session.post(f"{live.url}/api/auth/{route}", json=body(address), timeout=30)
            times[label].append(time.perf_counter() - started)
            assert reply.status_code == 202, reply.text
    differences = [k - u for k, u in zip(times["known"], times["unknown"], strict=True)]
    difference = statistics.median(differences)
    typical = statistics.median(times["known"] + times["unknown"])
    margin = max(ABSOLUTE_S, RELATIVE * typical)
    assert abs(difference) <= margin, (
        f"{route}: a known account took {difference * 1000:+.1f} ms more than an unknown one "
        f"(median of {SAMPLES} pairs; a request takes {typical * 1000:.1f} ms; "
        f"margin {margin * 1000:.1f} ms)"
    )
    # Every known account got its mail (and only those did).
    assert live.outbox.items(to=known_accounts[0])
    assert not live.outbox.items(to="nope_00@example.com")
