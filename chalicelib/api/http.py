"""The one place where requests and errors meet HTTP.

``route`` registers every view: it checks the Origin of unsafe requests and turns our errors,
Chalice's and unexpected ones into the contract's ``{"error": {...}}``. ``access_log`` is the
HTTP middleware: it writes one JSON line per request and reshapes the errors Chalice answers
before any view runs (405, 415, bad JSON), so nothing leaves in another format. Every id a
request names, in its path, body or query, has its shape checked here before anything is read.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from typing import Any

from chalice.app import Blueprint, ChaliceViewError, Request, Response

from chalicelib import logs
from chalicelib.config import get_settings
from chalicelib.errors import (
    AppError,
    CsrfFailed,
    Internal,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
)

ViewFn = Callable[..., Any]
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_TEXT = 4096
_CHALICE_STATUS = {
    400: InvalidRequest,
    404: NotFound,
    405: MethodNotAllowed,
    # Another content type than JSON is a body that is not a JSON object: 400.
    415: InvalidRequest,
}


# The shapes of the ids routes name, by the name the route gives them (in the path, the body
# or the query). Ids are uuid4 hex; a share link is opened by its token (token_urlsafe(32):
# 256 bits, 43 characters) and revoked by the token's SHA-256; ``me`` names the caller where a
# user is named. A parameter of another name (not an id of ours) is URL-safe ASCII that fits
# any key. An id of another shape names nothing: it never reaches DynamoDB (which refuses keys
# over 1,024 bytes and text that is not Unicode with a 500).
HEX_ID = re.compile(r"[0-9a-f]{32}")
ID_SHAPES: dict[str, re.Pattern[str]] = {
    "token": re.compile(r"[A-Za-z0-9_-]{43,200}"),
    "share_id": re.compile(r"[0-9a-f]{64}"),
    "user_id": re.compile(r"me|[0-9a-f]{32}"),
}
OPAQUE = re.compile(r"[A-Za-z0-9._~-]{1,256}")


def id_shape(name: str) -> re.Pattern[str]:
    """The shape of an id called ``name`` (``id`` and ``…_id`` are uuid4 hex)."""
    if name in ID_SHAPES:
        return ID_SHAPES[name]
    return HEX_ID if name == "id" or name.endswith("_id") else OPAQUE


def well_formed(name: str, value: Any) -> bool:
    return isinstance(value, str) and id_shape(name).fullmatch(value) is not None


def check_path(params: dict[str, Any]) -> None:
    """A path whose ids are not of their shape names nothing: 404, as for an unknown id."""
    for name, value in params.items():
        if not well_formed(name, value):
            raise NotFound("Nothing has that id.")


def error_body(err: AppError) -> dict[str, Any]:
    return {"error": {"code": err.code, "message": err.message, "details": err.details}}


def error_response(err: AppError) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json", **err.headers()}
    return Response(body=error_body(err), status_code=err.status, headers=headers)


def request_id(request: Request | None) -> str:
    context = getattr(request, "lambda_context", None)
    rid = getattr(context, "aws_request_id", None)
    if rid:
        return str(rid)
    return str((getattr(request, "context", None) or {}).get("requestId", "-"))


def note_user(request: Request, user_id: str) -> None:
    """Remember who called, for the access log line."""
    request.context["teamdrive_user_id"] = user_id


def check_origin(request: Request) -> None:
    """An unsafe request from another site's page is refused whatever it carries."""
    if request.method not in UNSAFE:
        return
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") != get_settings().site_origin:
        raise CsrfFailed("This request came from another site.")


def check_no_empty_segment(request: Request) -> None:
    """A path with an empty segment (``/trash/``, ``/nodes//x``) names nothing: 404. The
    routers fold a trailing slash, so ``DELETE /trash/`` (an id left out by a client's bug)
    would otherwise empty the whole trash."""
    path = str((request.context or {}).get("path") or "")
    if path.endswith("/") or "//" in path:
        raise NotFound("No such route.")


def route(bp: Blueprint, path: str, **options: Any) -> Callable[[ViewFn], ViewFn]:
    """``bp.route`` whose view leaves every failure as the contract's error body."""

    def register(view: ViewFn) -> ViewFn:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request = bp.current_request
            try:
                check_origin(request)
                check_path(kwargs)
                check_no_empty_segment(request)
                return view(*args, **kwargs)
            except AppError as err:
                return error_response(err)
            except ChaliceViewError as err:
                cls = _CHALICE_STATUS.get(err.STATUS_CODE, Internal)
                return error_response(cls(_chalice_message(err.STATUS_CODE)))
            except Exception:
                rid = request_id(request)
                logs.record(
                    "unhandled_error",
                    level=logging.ERROR,
                    request_id=rid,
                    trace=traceback.format_exc(),
                )
                return error_response(Internal(details={"request_id": rid}))

        bp.route(path, **options)(wrapped)
        return view

    return register


def _chalice_message(status: int) -> str:
    return {
        400: "The body is not valid JSON.",
        404: "No such route.",
        405: "This method is not allowed here.",
        415: "Send the body as JSON (Content-Type: application/json).",
    }.get(status, "Something went wrong on our side.")


def access_log(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """HTTP middleware: reshape Chalice's own error bodies, forbid sniffing, and log one line
    per request."""
    started = time.perf_counter()
    response = get_response(event)
    if response.status_code >= 400 and _is_chalice_body(response.body):
        cls = _CHALICE_STATUS.get(response.status_code, Internal)
        err = cls(_chalice_message(response.status_code))
        allow = response.headers.get("Allow")
        response = error_response(err)
        if allow:
            response.headers["Allow"] = allow
    # No browser may guess another type than the one named (JSON, or a redirect's empty body).
    response.headers["X-Content-Type-Options"] = "nosniff"
    logs.record(
        "request",
        request_id=request_id(event),
        method=event.method,
        route=(event.context or {}).get("resourcePath"),
        path=event.path,
        status=response.status_code,
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        user_id=(event.context or {}).get("teamdrive_user_id"),
    )
    return response


def _is_chalice_body(body: Any) -> bool:
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return True
    return not (isinstance(body, dict) and "error" in body)


def no_content(headers: dict[str, Any] | None = None) -> Response:
    return Response(body="", status_code=204, headers=headers or {})


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, Any] | None = None
) -> Response:
    return Response(
        body=body,
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def whole_number(value: Any) -> int | None:
    """``value`` as an int when JSON calls it an integer (``5`` or ``5.0``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


class Body:
    """Typed reading of a JSON object body; every bad field is reported in one 400.

    body = Body.of(request)
    name = body.text("username")
    nickname = body.text("nickname", required=False)
    body.check()
    """

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.problems: dict[str, str] = {}

    @classmethod
    def of(cls, request: Request, *, optional: bool = False) -> Body:
        raw = request.raw_body
        if not raw or not raw.strip():
            if optional:
                return cls({})
            raise InvalidRequest("The body must be a JSON object.")
        data = _parse(raw)
        if data is None:
            raise InvalidRequest("The body is not valid JSON in UTF-8.")
        if not isinstance(data, dict):
            raise InvalidRequest("The body must be a JSON object.")
        # JSON lets a string hold a lone surrogate ("\\ud800"), which Python decodes and then
        # cannot encode for DynamoDB or S3: refused here, in any field, keys included.
        broken = {
            name.encode("utf-8", "backslashreplace").decode(): "must be valid Unicode text"
            for name, value in data.items()
            if not _is_text(name) or not _is_text(value)
        }
        if broken:
            raise InvalidRequest.fields(broken)
        return cls(data)

    @staticmethod
    def peek(request: Request, name: str) -> str | None:
        """An id the body names, if it holds one of its shape, without judging the rest (a
        route reads the nodes the body names while it authenticates; ``of`` and ``check``
        judge, and report an id of another shape)."""
        data = _parse(request.raw_body or b"")
        value = data.get(name) if isinstance(data, dict) else None
        return value if well_formed(name, value) else None

    def id(self, name: str, *, required: bool = True) -> Any:
        """An id (see ``id_shape``); one of another shape names nothing and is a 400 here."""
        value = self.text(name, required=required, max_len=256)
        if value is not None and not well_formed(name, value):
            self.problems[name] = "not an id"
            return None
        return value

    def has(self, name: str) -> bool:
        return name in self.data

    def text(
        self, name: str, *, required: bool = True, nullable: bool = False, max_len: int = MAX_TEXT
    ) -> Any:
        if name not in self.data:
            if required:
                self.problems[name] = "required"
            return None
        value = self.data[name]
        if value is None and (nullable or not required):
            return None
        if not isinstance(value, str):
            self.problems[name] = "must be a string"
            return None
        if required and not value.strip():
            self.problems[name] = "required"
            return None
        if len(value) > max_len:
            self.problems[name] = f"at most {max_len} characters"
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: JSON allows it, Unicode text does not
            self.problems[name] = "must be valid Unicode text"
            return None
        return value

    def integer(self, name: str, *, low: int, high: int, required: bool = True) -> Any:
        """A JSON integer from ``low`` to ``high`` (``5.0`` counts, as in JSON Schema; not
        ``5.5``, a string or a boolean)."""
        if name not in self.data or self.data[name] is None:
            if required:
                self.problems[name] = "required"
            return None
        value = whole_number(self.data[name])
        if value is None:
            self.problems[name] = "must be a whole number"
            return None
        if not low <= value <= high:
            self.problems[name] = f"must be from {low} to {high}"
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        """A JSON ``true`` or ``false`` (not 0, 1 or a string); None when absent or wrong."""
        if name not in self.data:
            return None
        value = self.data[name]
        if not isinstance(value, bool):
            self.problems[name] = "must be true or false"
            return None
        return value

    def only(self, names: tuple[str, ...]) -> None:
        """Refuse fields other than ``names`` (for the operators' routes, where a field that
        is not applied must not pass for one that was), and a body with none of them."""
        for name in self.data:
            if name not in names:
                self.problems[name] = "unknown field"
        if not any(name in self.data for name in names):
            self.problems.update(dict.fromkeys(names, "give at least one of these"))

    def choice(self, name: str, options: tuple[str, ...], *, default: str) -> str:
        value = self.data.get(name, default)
        if value not in options:
            self.problems[name] = f"one of {', '.join(options)}"
            return default
        return str(value)

    def array(self, name: str, *, low: int, high: int, required: bool = True) -> list[Any]:
        """A JSON array of ``low`` to ``high`` items (their checks are the caller's)."""
        if name not in self.data or self.data[name] is None:
            if required:
                self.problems[name] = "required"
            return []
        value = self.data[name]
        if not isinstance(value, list):
            self.problems[name] = "must be an array"
            return []
        if not low <= len(value) <= high:
            self.problems[name] = f"must hold {low} to {high} items"
            return []
        return value

    def fail(self, name: str, reason: str) -> None:
        self.problems[name] = reason

    def check(self) -> None:
        if self.problems:
            raise InvalidRequest.fields(self.problems)


def _parse(raw: bytes | str) -> Any:
    """A JSON text in UTF-8 (not UTF-16 or 32, which ``json.loads`` would guess), or None."""
    try:
        return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (ValueError, UnicodeError, RecursionError):
        return None


def _is_text(value: Any) -> bool:
    """Whether every string in a JSON value is Unicode text (no lone surrogate)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, RecursionError):
        return False
    return True


def query(request: Request) -> dict[str, str]:
    """Query parameters, one value each (the last when repeated); a value that is not
    Unicode text is a 400 naming it."""
    params = dict(request.query_params or {})
    for name, value in params.items():
        try:
            f"{name}={value}".encode()
        except UnicodeEncodeError:
            field = name if name.isascii() else "query"
            raise InvalidRequest.fields({field: "must be valid Unicode text"}) from None
    return params


def query_id(request: Request, name: str) -> str | None:
    """An id given in the query (None when absent); one of another shape is a 400."""
    value = query(request).get(name)
    if value is not None and not well_formed(name, value):
        raise InvalidRequest.fields({name: "not an id"})
    return value


def list_params(request: Request) -> tuple[int, str | None]:
    """``?limit=`` (1–200, default 50) and ``?cursor=``; anything else is a 400."""
    params = query(request)
    raw = params.get("limit", "50")
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= 200:
        raise InvalidRequest.fields({"limit": "a whole number from 1 to 200"})
    return int(raw), params.get("cursor") or None
