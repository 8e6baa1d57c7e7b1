"""Fixtures for every test: a fresh moto per test with the stack's own resources, settings
from the environment, and factories for users and signed-in clients."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID

from chalicelib import aws, models
from chalicelib.config import get_settings
from chalicelib.services import passwords, signing
from infra.local.outbox import Outbox
from infra.local.provision import prepare_mail, provision
from tests.client import Api

REGION = "us-east-1"
SITE = "http://localhost:8000"
TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "STAGE": "test",
    "PUBLIC_URL": SITE,
    "MAIL_FROM": "teamdrive <no-reply@teamdrive.test>",
    # Cheap hashing keeps the suite fast; the production parameters are in config.py.
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "1024",
    # S3's real minimum part size (moto enforces it too), so multipart tests stay small.
    "UPLOAD_PART_BYTES": str(5 * 1024 * 1024),
    # What provisioning the test stage makes (moto_stack checks it).
    "MEDIA_QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/{DEFAULT_ACCOUNT_ID}/test-media-events",
    "MAIL_QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/{DEFAULT_ACCOUNT_ID}/test-mail.fifo",
}


def reset_settings() -> None:
    """Forget what was read from settings and from Secrets Manager.

    Clients and connections stay: moto intercepts every client made after it was imported,
    and building them again costs a second a test (botocore reloads its service models).
    """
    get_settings.cache_clear()
    signing.reset_cache()
    passwords.reset_cache()


def reset_caches() -> None:
    """Forget everything, clients included (the endpoint changes: a local stack starts)."""
    reset_settings()
    aws.reset_clients()
    models.reset_connections()


def _test_environment(mp: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "GOOGLE_CLIENT_ID", "GOOGLE_CERTS_URL"):
        mp.delenv(name, raising=False)
    for name, value in TEST_ENV.items():
        mp.setenv(name, value)
    reset_settings()


@contextmanager
def moto_stack() -> Iterator[dict[str, Any]]:
    """moto with every resource of infra/stack.yaml, as the local runner makes them."""
    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        outputs = provision(session, stage="test", site_origin=SITE)
        assert outputs["MediaQueueUrl"] == TEST_ENV["MEDIA_QUEUE_URL"], outputs["MediaQueueUrl"]
        assert outputs["MailQueueUrl"] == TEST_ENV["MAIL_QUEUE_URL"], outputs["MailQueueUrl"]
        prepare_mail(session.client("ses"), TEST_ENV["MAIL_FROM"])
        yield outputs
    reset_settings()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    _test_environment(monkeypatch)
    yield TEST_ENV
    reset_settings()


@pytest.fixture(scope="module")
def module_stack() -> Iterator[dict[str, Any]]:
    """One moto stack for a whole module, for modules that set ``SHARED_STACK = True``: their
    tests make their own users (``make_user`` names are unique) and so stay independent."""
    with pytest.MonkeyPatch.context() as mp:
        _test_environment(mp)
        with moto_stack() as outputs:
            yield outputs


@pytest.fixture
def stack(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A fresh moto per test, or the module's shared one where the module asks for it."""
    if getattr(request.module, "SHARED_STACK", False):
        yield request.getfixturevalue("module_stack")
        return
    request.getfixturevalue("settings_env")
    with moto_stack() as outputs:
        yield outputs


@pytest.fixture
def app_client(stack: dict[str, Any]) -> Iterator[Any]:
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="test") as client:
        yield client


@pytest.fixture
def new_api(app_client: Any) -> Callable[..., Api]:
    """A fresh client with its own cookie jar (a browser, or a script with ``bearer``)."""
    return lambda **kw: Api(app_client, **kw)


@pytest.fixture
def api(new_api: Callable[..., Api]) -> Api:
    return new_api()


@pytest.fixture
def aws_calls(stack: dict[str, Any]) -> Iterator[list[tuple[str, int]]]:
    """Every AWS call the app's own clients make (boto3's and PynamoDB's), as
    ``("service.Operation", size of the parameters)``, seen on the wire through botocore's
    ``before-call`` event on those clients; nothing is changed."""
    from chalicelib import aws, models

    seen: list[tuple[str, int]] = []

    def observe(model: Any, params: dict[str, Any], **_: Any) -> None:
        size = len(json.dumps(params, sort_keys=True, default=str))
        seen.append((f"{model.service_model.service_name}.{model.name}", size))

    clients = [aws.client(name) for name in ("sqs", "ses", "sns", "s3", "secretsmanager")]
    clients += [model._get_connection().connection.client for model in models.ALL]  # noqa: SLF001
    clients.append(models.connection().client)
    for client in clients:
        client.meta.events.register("before-call", observe, unique_id="tests.aws_calls")
    yield seen
    for client in clients:
        client.meta.events.unregister("before-call", unique_id="tests.aws_calls")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None


def deliver_mail(app_client: Any) -> int:
    """Run the app's mail function on every job the mail queue holds, in order, one job per
    invocation (its batch size), as Lambda's SQS integration does; how many jobs ran.

    Requests only queue their mail, so whatever reads what was sent calls this first (the
    ``outbox`` fixture does; the local runner polls the queue instead)."""
    from tests.drives import drain, mail_queue

    jobs = drain(mail_queue())
    for job in jobs:
        event = app_client.events.generate_sqs_event([job["Body"]], queue_name="test-mail.fifo")
        app_client.lambda_.invoke("mail", event)
    return len(jobs)


def sms_sent(api: Api) -> list[tuple[str, str]]:
    """Every SMS SNS accepted, oldest first, as (phone, text), once the mail function has run
    on every queued job (``api``: any client of the app)."""
    from moto.sns.models import sns_backends

    deliver_mail(api.client)
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


def sms_to(api: Api, number: str) -> list[str]:
    """The texts of every SMS sent to ``number``, oldest first (see ``sms_sent``)."""
    return [text for to, text in sms_sent(api) if to == number]


@pytest.fixture
def outbox(stack: dict[str, Any], app_client: Any) -> Callable[[], list[Mail]]:
    """Every email SES accepted, oldest first, read as the local runner's outbox reads it,
    once the mail function has run on every queued job."""
    box = Outbox(account_id=DEFAULT_ACCOUNT_ID, region=REGION)

    def read() -> list[Mail]:
        deliver_mail(app_client)
        return [
            Mail(item["to"], item["subject"], item["text"], item.get("html"))
            for item in reversed(box.items())
            if item["kind"] == "email"
        ]

    return read


def link_token(mail: Mail, path: str) -> str:
    match = re.search(rf"{re.escape(path)}\?token=([A-Za-z0-9_\-]+)", mail.text)
    assert match, mail.text
    return match.group(1)


_user_numbers = itertools.count(1)


@dataclass
class User:
    id: str
    username: str
    email: str
    password: str


@pytest.fixture
def make_user(api: Api, outbox: Callable[[], list[Mail]]) -> Callable[..., User]:
    def make(
        username: str | None = None,
        *,
        email: str | None = None,
        password: str = "correct horse 1",
        verified: bool = True,
        **extra: Any,
    ) -> User:
        name = username or f"user{next(_user_numbers)}"
        address = email or f"{name}@example.com"
        reply = Api(api.client).post(
            "/auth/register",
            {"username": name, "email": address, "password": password, **extra},
        )
        assert reply.status == 201, reply.body
        user = reply.json["user"]
        if verified:
            mail = [m for m in outbox() if m.to == user["email"]][-1]
            token = link_token(mail, "/verify-email")
            assert Api(api.client).post("/auth/verify-email", {"token": token}).status == 200
        return User(user["id"], user["username"], user["email"], password)

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    """A verified account of this test's own."""
    return make_user()


@pytest.fixture
def login(new_api: Callable[..., Api]) -> Callable[[User], Api]:
    """A browser signed in as ``user`` (cookies and CSRF)."""

    def sign_in(user: User) -> Api:
        browser = new_api()
        reply = browser.post("/auth/login", {"login": user.username, "password": user.password})
        assert reply.status == 200, reply.body
        return browser

    return sign_in


@pytest.fixture
def token_client(new_api: Callable[..., Api]) -> Callable[[User], Api]:
    """A script signed in as ``user`` with a bearer token."""

    def sign_in(user: User) -> Api:
        script = new_api()
        reply = script.post("/auth/token", {"login": user.username, "password": user.password})
        assert reply.status == 200, reply.body
        script.bearer = reply.json["access_token"]
        script.refresh_token = reply.json["refresh_token"]  # type: ignore[attr-defined]
        return script

    return sign_in
