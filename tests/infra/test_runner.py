"""The local runner: one origin for the site and the API, the outbox, the media-queue poller and
the schedules, around a tiny Chalice app (tests/infra/sample_app.py) instead of app.py."""

from __future__ import annotations

import email.message
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.runner import LocalStack, start_stack
from infra.local.site import SiteServer
from tests.infra import sample_app

ROOT = Path(__file__).resolve().parents[2]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(
    url: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None
) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def wait_for(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dist")
    (root / "index.html").write_text("<!doctype html><title>app shell</title>")
    (root / "assets").mkdir()
    (root / "assets" / "index-3f2a.js").write_text("console.log('hi')")
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return root


@pytest.fixture(scope="module")
def echo() -> io.StringIO:
    return io.StringIO()


@pytest.fixture(scope="module")
def stack(dist: Path, echo: io.StringIO) -> Iterator[LocalStack]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TEAMDRIVE_APP", "tests.infra.sample_app")
        mp.delenv("GOOGLE_CLIENT_ID", raising=False)
        with start_stack(dist_dir=dist, schedule_scale=0.002, out=echo) as running:
            yield running


@pytest.fixture
def aws(stack: LocalStack) -> Callable[[str], Any]:
    return lambda service: boto3.client(
        service,
        endpoint_url=stack.moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


# ---- the site


def test_serves_a_built_file_with_its_type(stack: LocalStack) -> None:
    status, headers, body = fetch(f"{stack.url}/favicon.svg")
    assert (status, headers["Content-Type"]) == (200, "image/svg+xml; charset=utf-8")
    assert body.startswith(b"<svg")


def test_hashed_assets_are_cached_for_long_and_the_shell_is_revalidated(stack: LocalStack) -> None:
    status, headers, _ = fetch(f"{stack.url}/assets/index-3f2a.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "immutable" in headers["Cache-Control"]
    status, headers, body = fetch(f"{stack.url}/")
    assert (status, headers["Cache-Control"]) == (200, "no-cache")
    assert b"app shell" in body


@pytest.mark.parametrize("path", ["/teams/abc", "/s/some-token", "/verify-email?token=x"])
def test_client_side_routes_get_the_app_shell(stack: LocalStack, path: str) -> None:
    status, headers, body = fetch(f"{stack.url}{path}")
    assert (status, headers["Cache-Control"]) == (200, "no-cache")
    assert b"app shell" in body


@pytest.mark.parametrize("path", ["/assets/missing.js", "/nope.png", "/%2e%2e/pyproject.toml"])
def test_missing_files_and_paths_outside_dist_are_404(stack: LocalStack, path: str) -> None:
    assert fetch(f"{stack.url}{path}")[0] == 404


def test_without_a_build_pages_say_to_run_make_dev(tmp_path: Path) -> None:
    server = SiteServer(("127.0.0.1", 0), dist_dir=tmp_path / "not-built")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        status, _, body = fetch(f"http://127.0.0.1:{server.server_address[1]}/teams")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200
    assert b"make dev" in body


def test_config_json_gives_the_google_client_id_and_the_providers_played_locally(
    stack: LocalStack,
) -> None:
    # No GOOGLE_CLIENT_ID locally: the development provider plays Google, and the web app's
    # Google button links to its page.
    status, _, body = fetch(f"{stack.url}/config.json")
    assert status == 200
    assert json.loads(body) == {"google_client_id": None, "dev_idp": ["google"]}


# ---- the API behind /api


def test_api_requests_reach_the_app_without_the_prefix(stack: LocalStack) -> None:
    status, headers, body = fetch(f"{stack.url}/api/hello")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert json.loads(body) == {"hello": "world"}


def test_api_gets_method_path_query_and_body(stack: LocalStack) -> None:
    status, _, body = fetch(
        f"{stack.url}/api/echo/abc?x=1",
        method="POST",
        body=json.dumps({"k": "v"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert status == 200
    assert json.loads(body) == {
        "name": "abc",
        "query": {"x": "1"},
        "body": {"k": "v"},
        "path": "/echo/abc",
    }


def test_every_cookie_and_header_reaches_the_browser(stack: LocalStack) -> None:
    status, headers, _ = fetch(f"{stack.url}/api/cookies")
    assert status == 200
    assert headers.get_all("Set-Cookie") == ["a=1; Path=/; HttpOnly", "b=2; Path=/"]
    assert headers["X-Extra"] == "yes"


def test_binary_bodies_are_decoded(stack: LocalStack) -> None:
    accept = {"Accept": "application/octet-stream"}
    status, headers, body = fetch(f"{stack.url}/api/bytes", headers=accept)
    assert (status, headers["Content-Type"], body) == (
        200,
        "application/octet-stream",
        b"\x00\x01\xff",
    )


def test_unknown_api_route_is_the_contracts_404(stack: LocalStack) -> None:
    for headers in ({}, {"Authorization": "Bearer x"}):
        status, _, body = fetch(f"{stack.url}/api/nope", headers=headers)
        assert status == 404
        error = json.loads(body)["error"]
        assert (error["code"], error["details"]) == ("not_found", {})
        assert error["message"]


def test_a_failing_route_answers_500_and_the_server_keeps_serving(stack: LocalStack) -> None:
    assert fetch(f"{stack.url}/api/boom")[0] == 500
    assert fetch(f"{stack.url}/api/hello")[0] == 200


def test_the_app_is_configured_through_the_environment(stack: LocalStack) -> None:
    assert os.environ["AWS_ENDPOINT_URL"] == stack.moto_url
    assert os.environ["STAGE"] == "local"
    assert os.environ["PUBLIC_URL"] == stack.url
    assert os.environ["FILES_BUCKET"] == "teamdrive-local-files"
    assert os.environ["MEDIA_QUEUE_URL"].endswith("/local-media-events")
    assert os.environ["SIGNING_SECRET_ID"] == "teamdrive/local/signing-key"


def test_bucket_cors_answers_for_the_site_only(stack: LocalStack) -> None:
    url = f"{stack.moto_url}/{stack.resources['FilesBucketName']}/files/u/f"
    preflight = {"Access-Control-Request-Method": "PUT"}
    status, headers, _ = fetch(url, method="OPTIONS", headers={"Origin": stack.url, **preflight})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == stack.url
    assert headers["Access-Control-Expose-Headers"] == "ETag"
    other = {"Origin": "http://elsewhere.example", **preflight}
    status, headers, _ = fetch(url, method="OPTIONS", headers=other)
    assert "Access-Control-Allow-Origin" not in headers


# ---- the outbox


def test_outbox_lists_emails_and_sms_newest_first(
    stack: LocalStack, aws: Callable[[str], Any], echo: io.StringIO
) -> None:
    link = f"{stack.url}/verify-email?token=abc123"
    aws("ses").send_email(
        Source="teamdrive <no-reply@teamdrive.local>",
        Destination={"ToAddresses": ["outbox-1@example.com"]},
        Message={
            "Subject": {"Data": "Verify your email"},
            "Body": {
                "Text": {"Data": f"Open {link}"},
                "Html": {"Data": f'<a href="{link}">Verify</a>'},
            },
        },
    )
    mime = email.message.EmailMessage()
    mime["From"], mime["To"], mime["Subject"] = (
        "no-reply@teamdrive.local",
        "outbox-1@example.com",
        "Reset",
    )
    mime.set_content(f"Reset: {link}")
    mime.add_alternative(f'<p><a href="{link}">Reset</a></p>', subtype="html")
    aws("ses").send_raw_email(RawMessage={"Data": mime.as_bytes()})
    aws("sns").publish(PhoneNumber="+15555550123", Message="Your teamdrive code is 123456")

    status, _, body = fetch(f"{stack.url}/api/dev/outbox")
    assert status == 200
    items = json.loads(body)["items"]
    assert [item["kind"] for item in items[:3]] == ["sms", "email", "email"]
    sms, raw, simple = items[:3]
    assert (sms["to"], sms["text"]) == ("+15555550123", "Your teamdrive code is 123456")
    assert (raw["to"], raw["subject"], raw["text"].strip()) == (
        "outbox-1@example.com",
        "Reset",
        f"Reset: {link}",
    )
    assert raw["html"].strip() == f'<p><a href="{link}">Reset</a></p>'
    assert (simple["subject"], simple["to"]) == ("Verify your email", "outbox-1@example.com")
    assert link in simple["text"]  # moto keeps only the Html body; the link survives in text
    assert all(item["sent_at"].endswith("Z") for item in items)

    assert wait_for(lambda: "code is 123456" in echo.getvalue())
    assert "To:      outbox-1@example.com" in echo.getvalue()
    assert "Subject: Verify your email" in echo.getvalue()


def test_outbox_filters_by_recipient_and_is_read_only(
    stack: LocalStack, aws: Callable[[str], Any]
) -> None:
    aws("sns").publish(PhoneNumber="+15555550999", Message="only me")
    items = json.loads(fetch(f"{stack.url}/api/dev/outbox?to=%2B15555550999")[2])["items"]
    assert [item["text"] for item in items] == ["only me"]
    status, _, body = fetch(f"{stack.url}/api/dev/outbox", method="POST", body=b"{}")
    assert status == 405
    assert json.loads(body)["error"]["code"] == "method_not_allowed"


# ---- events


def _queue_counts(sqs: Any, url: str) -> tuple[int, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return int(attributes[names[0]]), int(attributes[names[1]])


def test_uploads_reach_the_sqs_handler_and_are_deleted(
    stack: LocalStack, aws: Callable[[str], Any]
) -> None:
    aws("s3").put_object(
        Bucket=stack.resources["FilesBucketName"], Key="files/owner/file-42", Body=b"x"
    )
    assert wait_for(lambda: any("file-42" in body for body in sample_app.RECEIVED))
    record = json.loads(next(b for b in sample_app.RECEIVED if "file-42" in b))["Records"][0]
    assert record["eventName"] == "ObjectCreated:Put"
    queue = stack.resources["MediaQueueUrl"]
    assert wait_for(lambda: _queue_counts(aws("sqs"), queue) == (0, 0))


def test_a_failing_handler_leaves_the_batch_for_redelivery(
    stack: LocalStack, aws: Callable[[str], Any]
) -> None:
    sqs, queue = aws("sqs"), stack.resources["MediaQueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="please-fail")
    assert wait_for(lambda: "please-fail" in sample_app.RECEIVED)
    time.sleep(0.2)
    assert _queue_counts(sqs, queue) == (0, 1)  # in flight until the visibility timeout ends
    sqs.purge_queue(QueueUrl=queue)


def test_mail_jobs_reach_the_mail_handler_in_order_and_the_outbox_waits_for_them(
    stack: LocalStack, aws: Callable[[str], Any]
) -> None:
    sqs, queue = aws("sqs"), stack.resources["MailQueueUrl"]
    for n in range(3):
        sqs.send_message(
            QueueUrl=queue,
            MessageBody=f"job-{n}",
            MessageGroupId="g",
            MessageDeduplicationId=str(n),
        )

    assert stack.outbox.settle()  # what a read of the outbox does first

    assert [b for b in sample_app.MAILED if b.startswith("job-")] == ["job-0", "job-1", "job-2"]
    assert _queue_counts(sqs, queue) == (0, 0)


def test_schedules_run_on_their_rate_with_a_scheduled_event(stack: LocalStack) -> None:
    assert wait_for(lambda: len(sample_app.TICKS) >= 2)
    event = sample_app.TICKS[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"][0].endswith(":rule/every_minute")


# ---- the process


def test_make_dev_prints_where_to_go_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    environment = {**os.environ, "TEAMDRIVE_APP": "tests.infra.sample_app", "PORT": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local", "--dist", str(tmp_path / "not-built")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "stderr.log").open("w"),  # a pipe nobody reads could fill up
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if "Ctrl-C" in line:
                break
        banner = "".join(lines)
        site = next(line.split()[-1] for line in lines if line.strip().startswith("Site:"))
        assert "lost on exit" in banner
        assert f"{site}/api/dev/outbox" in banner
        assert json.loads(fetch(f"{site}/api/hello")[2]) == {"hello": "world"}
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
