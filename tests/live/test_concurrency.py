"""Uniqueness under real concurrency: parallel HTTP requests through moto's threaded server."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.live.conftest import Account

PARALLEL = 20


def fire(url: str, bodies: list[dict]) -> list[requests.Response]:
    barrier = threading.Barrier(len(bodies))

    def send(body: dict) -> requests.Response:
        barrier.wait()
        return requests.post(f"{url}/api/auth/register", json=body, timeout=60)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_parallel_registrations_of_one_username_create_exactly_one_account(live):
    bodies = [
        {"username": "Racer", "email": f"racer{i}@example.com", "password": "correct horse 1"}
        for i in range(PARALLEL)
    ]
    replies = fire(live.url, bodies)
    statuses = Counter(r.status_code for r in replies)
    assert statuses == {201: 1, 409: PARALLEL - 1}, statuses
    assert {r.json()["error"]["code"] for r in replies if r.status_code == 409} == {
        "username_taken"
    }


def test_parallel_registrations_of_one_email_create_exactly_one_account(live):
    bodies = [
        {"username": f"mailer{i}", "email": "Same@Example.com", "password": "correct horse 1"}
        for i in range(PARALLEL)
    ]
    replies = fire(live.url, bodies)
    statuses = Counter(r.status_code for r in replies)
    assert statuses == {201: 1, 409: PARALLEL - 1}, statuses
    assert {r.json()["error"]["code"] for r in replies if r.status_code == 409} == {"email_taken"}


def test_parallel_wrong_passwords_cannot_slip_past_the_sign_in_limit(live):
    body = {"username": "guarded", "email": "guarded@example.com", "password": "correct horse 1"}
    assert requests.post(f"{live.url}/api/auth/register", json=body, timeout=60).status_code == 201
    barrier = threading.Barrier(PARALLEL)

    def guess(i: int) -> int:
        barrier.wait()
        attempt = {"login": "guarded", "password": f"wrong guess {i}"}
        return requests.post(f"{live.url}/api/auth/login", json=attempt, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = Counter(pool.map(guess, range(PARALLEL)))
    assert statuses == {401: 10, 429: PARALLEL - 10}, statuses


def test_parallel_folders_of_one_name_whatever_its_case_make_exactly_one(live):
    owner = Account(live, "namer")
    parent = owner.post("/folders", {"parent_id": owner.root, "name": "Race"}).json()["node"]
    names = [("Report", "REPORT", "report", "rEpOrT")[i % 4] for i in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def create(name: str) -> requests.Response:
        barrier.wait()
        return owner.post("/folders", {"parent_id": parent["id"], "name": name})

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        replies = list(pool.map(create, names))

    statuses = Counter(r.status_code for r in replies)
    assert statuses == {201: 1, 409: PARALLEL - 1}, statuses
    assert {r.json()["error"]["code"] for r in replies if r.status_code == 409} == {"name_taken"}
    listed = owner.get(f"/folders/{parent['id']}")
    assert len(listed["items"]) == 1
    assert listed["folder"]["child_count"] == 1
    assert owner.get("/users/me/stats")["folder_count"] == 2
