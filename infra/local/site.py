"""The local site, one origin as CloudFront gives in AWS: ``/api/*`` through Chalice's
LocalGateway with the ``/api`` prefix stripped (the API Gateway stage), ``/api/dev/outbox`` and
``/config.json`` answered here, everything else from the built frontend with the SPA fallback.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from chalice.local import ForbiddenError, LocalGateway, LocalGatewayException

from infra.local.outbox import Outbox

log = logging.getLogger("teamdrive.local.site")

OUTBOX_PATH = "/api/dev/outbox"
_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
}
_TEXTUAL = ("text/", "application/json", "application/manifest+json", "image/svg+xml")
LONG_CACHE = "public, max-age=31536000, immutable"  # /assets/* names carry a content hash
NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>teamdrive</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>teamdrive is running, but the frontend is not built</h1>
<p>Run <code>make dev</code>: it builds <code>frontend/dist</code> and then starts this server.
The API is already answering under <a href="/api/health"><code>/api</code></a>, and sent emails
and SMS are in <a href="/api/dev/outbox"><code>/api/dev/outbox</code></a>.</p>
</body></html>
"""


def content_type(path: Path) -> str:
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXTUAL) else kind


def error_body(code: str, message: str) -> bytes:
    """The contract's error shape (API.md)."""
    return json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 resets connections when a page (or a test) bursts

    def __init__(
        self,
        address: tuple[str, int],
        *,
        gateway: LocalGateway | None = None,
        outbox: Outbox | None = None,
        dist_dir: Path | None = None,
        site_config: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(address, SiteHandler)
        self.gateway = gateway  # set before serving; None answers 503 meanwhile
        self.outbox = outbox
        self.dist_dir = dist_dir.resolve() if dist_dir is not None else None
        self.site_config = site_config or {}


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer

    def log_message(self, fmt: str, *args: Any) -> None:
        log.debug("%s " + fmt, self.client_address[0], *args)

    def _dispatch(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._read_body()
        if body is None:
            return
        if path == "/api" or path.startswith("/api/"):
            if path == OUTBOX_PATH:
                self._outbox(query)
            else:
                self._api(path[4:] or "/", query, body)
            return
        if self.command not in ("GET", "HEAD"):
            self._send(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")], b"")
        elif path == "/config.json":
            headers = [("Content-Type", "application/json"), ("Cache-Control", "no-cache")]
            self._send(200, headers, json.dumps(self.server.site_config).encode())
        else:
            self._static(unquote(path))

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, PROPFIND, …) reaches the API too, which answers 405 in the
        # contract's format, instead of http.server's own 501 page.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(
                411,
                [("Content-Type", "application/json")],
                error_body(
                    "invalid_request", "send a Content-Length; chunked bodies are not accepted"
                ),
            )
            self.close_connection = True
            return None
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status >= 200 and status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body and status not in (204, 304):
            self.wfile.write(body)

    def _json(self, status: int, body: bytes) -> None:
        self._send(status, [("Content-Type", "application/json")], body)

    # ---- /api
    def _api(self, path: str, query: str, body: bytes) -> None:
        gateway = self.server.gateway
        if gateway is None:
            self._json(503, error_body("unavailable", "the local stack is still starting"))
            return
        target = f"{path}?{query}" if query else path
        try:
            response = gateway.handle_request(
                method=self.command, path=target, headers=dict(self.headers), body=body or None
            )
        except LocalGatewayException as error:
            if isinstance(error, ForbiddenError) and _no_route(error):
                message = f"No API route for {self.command} /api{path}."
                self._json(404, error_body("not_found", message))
                return
            self._send(error.CODE, list(error.headers.items()), error.body or b"")
            return
        except Exception:
            log.exception("the local gateway failed on %s %s", self.command, path)
            self._json(500, error_body("internal", "Internal error in the local gateway."))
            return
        self._send(*_lambda_response(response))

    def _outbox(self, query: str) -> None:
        if self.command not in ("GET", "HEAD"):
            self._send(
                405,
                [("Allow", "GET"), ("Content-Type", "application/json")],
                error_body("method_not_allowed", "The outbox is read-only."),
            )
            return
        to = parse_qs(query).get("to", [None])[0]
        items = self.server.outbox.items(to=to) if self.server.outbox else []
        headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        self._send(200, headers, json.dumps({"items": items}).encode())

    # ---- static files
    def _static(self, path: str) -> None:
        dist = self.server.dist_dir
        last = path.rsplit("/", 1)[-1]
        if dist is None or not (dist / "index.html").is_file():
            if "." in last:
                self._send(404, [("Content-Type", "text/plain")], b"Not found\n")
            else:
                self._send(
                    200,
                    [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache")],
                    NOT_BUILT.encode(),
                )
            return
        target = (dist / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(dist) or not target.is_file():
            if "." in last:
                self._send(404, [("Content-Type", "text/plain")], b"Not found\n")
                return
            target = dist / "index.html"  # a client-side route of the single-page app
        cache = (
            LONG_CACHE
            if path.startswith("/assets/") and target.name != "index.html"
            else "no-cache"
        )
        headers = [
            ("Content-Type", content_type(target)),
            ("Cache-Control", cache),
            ("X-Content-Type-Options", "nosniff"),
        ]
        self._send(200, headers, target.read_bytes())


def _no_route(error: ForbiddenError) -> bool:
    # API Gateway's "Missing Authentication Token" 403 for a path no route matches (an
    # authorizer's refusal is an AccessDeniedException instead).
    return error.headers.get("x-amzn-ErrorType") == "UnauthorizedException"


def _lambda_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """A Lambda proxy response -> status, headers (multi-value ones repeated), body bytes."""
    headers = [(k, str(v)) for k, v in (response.get("headers") or {}).items()]
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers += [(name, str(value)) for value in values]
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    raw = response.get("body")
    if raw is None:
        body = b""
    elif response.get("isBase64Encoded"):
        body = base64.b64decode(raw)
    else:
        body = raw.encode("utf-8") if isinstance(raw, str) else raw
    if body and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return int(response["statusCode"]), headers, body
