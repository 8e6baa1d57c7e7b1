"""The local stack behind ``make dev``: moto's server in this process, the template's resources
created in it, the app pointed at it through the environment (no local branch in the app), and
the site, the outbox, the queue pollers (media events, mail jobs) and the schedules, until
Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import boto3
from chalice.config import Config
from chalice.local import LocalChalice, LocalGateway

from chalicelib.config import DEV_IDP_PATH, Settings, load_settings
from infra.cfn import LOCAL_ACCOUNT_ID
from infra.local import moto_fixes
from infra.local.events import event_workers, queue_busy
from infra.local.outbox import Outbox
from infra.local.provision import prepare_mail, provision
from infra.local.site import SiteServer

log = logging.getLogger("teamdrive.local")

REGION = "us-east-1"
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
# Settings of the developer's shell that would send the app's clients elsewhere than moto.
_AWS_OVERRIDES = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


class LocalStack:
    """A running local stack; ``stop()`` (or leaving its ``with`` block) ends every part."""

    def __init__(
        self,
        *,
        url: str,
        moto_url: str,
        stage: str,
        resources: dict[str, Any],
        app: Any,
        outbox: Outbox,
        exit_stack: ExitStack,
    ) -> None:
        self.url = url
        self.moto_url = moto_url
        self.stage = stage
        self.resources = resources
        self.app = app
        self.outbox = outbox
        self._exit = exit_stack

    def stop(self) -> None:
        self._exit.close()

    def __enter__(self) -> LocalStack:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def banner(self) -> str:
        rule = "=" * 72
        return "\n".join(
            [
                rule,
                f"  teamdrive is running locally (stage {self.stage})",
                "",
                f"  Site:    {self.url}",
                f"  API:     {self.url}/api",
                f"  Outbox:  {self.url}/api/dev/outbox   (emails and SMS also print below)",
                "",
                f"  Data lives in memory (moto at {self.moto_url}) and is lost on exit.",
                "  Press Ctrl-C to stop.",
                rule,
                "",
            ]
        )


def site_config(settings: Settings) -> dict[str, Any]:
    """The web app's /config.json: Google's client id, and which sign-in providers the
    development identity provider plays (their buttons link to its page; local stages only)."""
    played = [
        p.id
        for p in settings.sign_in_providers
        if settings.dev_idp and p.issuer == f"{settings.site_origin}{DEV_IDP_PATH}/{p.id}"
    ]
    return {"google_client_id": settings.google_client_id, "dev_idp": played}


def _set_environment(exit_stack: ExitStack, values: dict[str, str | None]) -> None:
    saved = {name: os.environ.get(name) for name in values}

    def restore() -> None:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    exit_stack.callback(restore)
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


class _Threads:
    """The stack's threads: ``close()`` signals them, shuts the servers down and joins them."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._servers: list[Any] = []

    def start(self, name: str, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def serve(self, name: str, server: Any) -> None:
        self.start(name, server.serve_forever, 0.1)
        self._servers.append(server)

    def close(self) -> None:
        self.stopping.set()
        for server in self._servers:
            server.shutdown()
        for thread in self._threads:
            thread.join(10)


def _start_moto(exit_stack: ExitStack) -> str:
    # moto reads this when it is imported; if something imported moto earlier, the server's
    # module still checks its own copy when it builds each service app, on first request.
    _set_environment(exit_stack, {"MOTO_DISABLE_GLOBAL_CORS": "true"})
    from moto.moto_server import werkzeug_app
    from moto.server import ThreadedMotoServer

    werkzeug_app.DISABLE_GLOBAL_CORS = True
    moto_fixes.apply()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per moto request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    exit_stack.callback(server.stop)
    host, port = server.get_host_and_port()
    moto_url = f"http://{host}:{port}"
    # One stack per process, each starting empty (moto's backends are process-wide).
    reset = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(reset, timeout=10)
    return moto_url


def _load_app(module_name: str) -> Any:
    app = importlib.import_module(module_name).app
    if not isinstance(app, LocalChalice):
        # As `chalice local` does: current_request becomes thread-local, for threaded serving.
        app.__class__ = type(f"Local{type(app).__name__}", (LocalChalice, type(app)), {})
    return app


def start_stack(
    port: int = 0,
    *,
    host: str = "127.0.0.1",
    stage: str = "local",
    dist_dir: str | Path | None = DEFAULT_DIST,
    app_module: str | None = None,
    schedule_scale: float = 1.0,
    out: TextIO | None = None,
) -> LocalStack:
    """Start everything (port 0: any free port) and return once it answers requests.

    ``schedule_scale`` multiplies every schedule's period (tests pass a small one); ``out``
    receives each sent email and SMS as it is seen. The process environment is the app's
    configuration, so one stack runs per process; ``stop()`` restores the environment.
    """
    exit_stack = ExitStack()
    try:
        moto_url = _start_moto(exit_stack)
        site = SiteServer((host, port), dist_dir=Path(dist_dir) if dist_dir else None)
        exit_stack.callback(site.server_close)
        threads = _Threads()
        exit_stack.callback(threads.close)  # runs first: callbacks unwind last-in first-out
        url = f"http://localhost:{site.server_address[1]}"
        environment: dict[str, str | None] = dict.fromkeys(_AWS_OVERRIDES)
        environment |= dict.fromkeys(n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_"))
        environment |= {
            "AWS_ENDPOINT_URL": moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "STAGE": stage,
            "PUBLIC_URL": url,
        }
        # A proxy configured in the shell must not carry the app's calls to moto.
        no_proxy = [os.environ.get(n) for n in ("no_proxy", "NO_PROXY")] + ["127.0.0.1,localhost"]
        environment |= dict.fromkeys(("no_proxy", "NO_PROXY"), ",".join(filter(None, no_proxy)))
        _set_environment(exit_stack, environment)

        session = boto3.session.Session(region_name=REGION)
        resources = provision(session, stage=stage, site_origin=url)
        mail_from = load_settings(dict(os.environ)).mail_from  # the sender the app will use
        prepare_mail(session.client("ses"), mail_from)
        _set_environment(
            exit_stack,
            {
                "FILES_BUCKET": resources["FilesBucketName"],
                "MEDIA_QUEUE_URL": resources["MediaQueueUrl"],
                "MAIL_QUEUE_URL": resources["MailQueueUrl"],
                "SIGNING_SECRET_ID": resources["SigningKeySecretName"],
                "MAIL_FROM": mail_from,
            },
        )

        app = _load_app(app_module or os.environ.get("TEAMDRIVE_APP", "app"))
        sqs = session.client("sqs")
        outbox = Outbox(
            account_id=LOCAL_ACCOUNT_ID,
            region=REGION,
            out=out,
            pending=lambda: queue_busy(sqs, resources["MailQueueUrl"]),
        )
        config = Config.create(app_name=app.app_name, lambda_timeout=30, lambda_memory_size=1024)
        site.gateway = LocalGateway(app, config)
        site.outbox = outbox
        site.site_config = site_config(load_settings(dict(os.environ)))
        threads.serve("site", site)
        threads.start("outbox", outbox.watch, threads.stopping)
        workers = event_workers(
            app,
            sqs,
            queue_urls={"media": resources["MediaQueueUrl"], "mail": resources["MailQueueUrl"]},
            region=REGION,
            account_id=LOCAL_ACCOUNT_ID,
            schedule_scale=schedule_scale,
        )
        for worker in workers:
            threads.start(f"event:{worker.name}", worker.run, threads.stopping)
    except BaseException:
        exit_stack.close()
        raise
    return LocalStack(
        url=url,
        moto_url=moto_url,
        stage=stage,
        resources=resources,
        app=app,
        outbox=outbox,
        exit_stack=exit_stack,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--stage", default="local")
    parser.add_argument("--dist", default=str(DEFAULT_DIST), help="the built frontend")
    args = parser.parse_args(argv)

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a terminal without UTF-8 still gets the mail
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("pynamodb").setLevel(logging.WARNING)
    stopping = threading.Event()

    def request_stop(*_: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        stack = start_stack(
            args.port, host=args.host, stage=args.stage, dist_dir=args.dist, out=sys.stdout
        )
    except OSError as error:
        log.error("cannot start the local stack on %s:%s: %s", args.host, args.port, error)
        return 1
    try:
        sys.stdout.write(stack.banner())
        sys.stdout.flush()
        while not stopping.wait(0.5):
            pass
        log.info("stopping")
    finally:
        stack.stop()
    return 0
