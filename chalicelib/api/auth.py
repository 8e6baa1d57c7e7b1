"""Routes of signing up, in and out, and of getting back into an account."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.api import session
from chalicelib.api.http import Body, json_response, no_content, route
from chalicelib.errors import Unauthenticated
from chalicelib.services import accounts, devices, phones, recovery, sessions, signin

bp = Blueprint(__name__)
ACCEPTED = {"status": "accepted"}


def _token_body(result: signin.SignedIn) -> dict[str, Any]:
    return {
        "access_token": result.tokens.access_token,
        "refresh_token": result.tokens.refresh_token,
        "token_type": "Bearer",
        "expires_in": result.tokens.expires_in,
    }


@route(bp, "/auth/register", methods=["POST"])
def register() -> Any:
    body = Body.of(bp.current_request)
    fields = {name: body.text(name) for name in ("username", "email", "password")}
    optional = {name: body.text(name, required=False) for name in ("nickname", "phone")}
    body.check()
    return json_response({"user": accounts.register(**fields, **optional)}, status=201)


@route(bp, "/auth/verify-email", methods=["POST"])
def verify_email() -> Any:
    body = Body.of(bp.current_request)
    token = body.text("token", max_len=200)
    body.check()
    return {"user": accounts.verify_email(token)}


@route(bp, "/auth/resend-verification", methods=["POST"])
def resend_verification() -> Any:
    body = Body.of(bp.current_request)
    email = body.text("email", max_len=320)
    body.check()
    accounts.resend_verification(email)
    return json_response(ACCEPTED, status=202)


def _sign_in(body: Body, client: devices.Client) -> signin.SignedIn:
    """``login`` with a ``password``, or (a phone number) with the ``code`` texted to it."""
    login_name = body.text("login", max_len=320)
    if body.has("code") and not body.has("password"):
        code = body.text("code", max_len=16)
        body.check()
        return signin.login_with_code(login_name, code, client=client)
    password = body.text("password", max_len=1024)
    body.check()
    return signin.login(login_name, password, client=client)


@route(bp, "/auth/login", methods=["POST"])
def login() -> Any:
    result = _sign_in(Body.of(bp.current_request), session.client(bp.current_request))
    return json_response({"user": result.user}, headers=session.session_cookies(result.tokens))


def _refresh_by_body(body: Body) -> dict[str, Any]:
    refresh_token = body.text("refresh_token", max_len=200)
    body.check()
    return _token_body(signin.refresh(refresh_token))


@route(bp, "/auth/token", methods=["POST"])
def token() -> Any:
    body = Body.of(bp.current_request)
    if body.has("refresh_token"):
        return _refresh_by_body(body)
    return _token_body(_sign_in(body, session.client(bp.current_request)))


@route(bp, "/auth/refresh", methods=["POST"])
def refresh() -> Any:
    request = bp.current_request
    body = Body.of(request, optional=True)
    if body.has("refresh_token"):
        return _refresh_by_body(body)
    jar = session.cookies(request)
    if not jar.get(session.REFRESH):
        raise Unauthenticated("No session to refresh. Sign in again.")
    session.check_csrf(request, jar)
    result = signin.refresh(jar[session.REFRESH])
    cookies = session.session_cookies(result.tokens, csrf=jar[session.CSRF])
    return json_response(
        {"user": result.user, "expires_in": result.tokens.expires_in}, headers=cookies
    )


@route(bp, "/auth/logout", methods=["POST"])
def logout() -> Any:
    request = bp.current_request
    caller = session.optional_actor(request)
    if caller is not None:
        signin.logout(family_id=caller.family_id)
    else:
        jar = session.cookies(request)
        if jar.get(session.REFRESH):
            session.check_csrf(request, jar)
            signin.logout(refresh_token=jar[session.REFRESH])
    return no_content(session.cleared_cookies())


@route(bp, "/auth/logout-all", methods=["POST"])
def logout_all() -> Any:
    signin.logout_everywhere(session.actor(bp.current_request).user_id)
    return no_content(session.cleared_cookies())


@route(bp, "/auth/sessions", methods=["GET"])
def list_sessions() -> Any:
    return {"items": sessions.listed(session.actor(bp.current_request))}


@route(bp, "/auth/sessions/{session_id}", methods=["DELETE"])
def end_session(session_id: str) -> Any:
    caller = session.actor(bp.current_request)
    sessions.end(caller.user_id, session_id)
    # Ending the session this request belongs to is signing out.
    return no_content(session.cleared_cookies() if session_id == caller.family_id else None)


@route(bp, "/auth/providers", methods=["GET"])
def sign_in_providers() -> Any:
    return {"items": signin.providers()}


@route(bp, "/auth/{provider}", methods=["POST"])
def provider_sign_in(provider: str) -> Any:
    body = Body.of(bp.current_request)
    credential = body.text("credential", max_len=8192)
    body.check()
    result = signin.provider_sign_in(
        provider, credential, client=session.client(bp.current_request)
    )
    return json_response(
        {"user": result.user, "created": result.created},
        headers=session.session_cookies(result.tokens),
    )


@route(bp, "/auth/forgot-username", methods=["POST"])
def forgot_username() -> Any:
    body = Body.of(bp.current_request)
    email = body.text("email", max_len=320)
    body.check()
    recovery.forgot_username(email)
    return json_response(ACCEPTED, status=202)


@route(bp, "/auth/forgot-password", methods=["POST"])
def forgot_password() -> Any:
    body = Body.of(bp.current_request)
    name = "login" if body.has("login") or not body.has("email") else "email"
    login_name = body.text(name, max_len=320)
    body.check()
    recovery.forgot_password(login_name)
    return json_response(ACCEPTED, status=202)


@route(bp, "/auth/reset-password", methods=["POST"])
def reset_password() -> Any:
    body = Body.of(bp.current_request)
    if body.has("phone") and not body.has("token"):
        phone, code = body.text("phone", max_len=32), body.text("code", max_len=16)
        password = body.text("password", max_len=1024)
        body.check()
        recovery.reset_password_by_phone(phone, code, password)
        return no_content(session.cleared_cookies())
    token, password = body.text("token", max_len=200), body.text("password", max_len=1024)
    body.check()
    recovery.reset_password(token, password)
    return no_content(session.cleared_cookies())


@route(bp, "/auth/phone/code", methods=["POST"])
def phone_code() -> Any:
    """``purpose`` "verify" (the default) texts the caller a code for their phone; "sign_in"
    and "reset" need no session and answer alike for any number."""
    request = bp.current_request
    body = Body.of(request)
    purpose = body.text("purpose", required=False, max_len=16)
    phone = body.text("phone", max_len=32)
    body.check()
    purpose = phones.purpose(purpose)
    if purpose == "verify":
        phones.send_code(session.actor(request).user_id, phone)
    else:
        phones.request_access_code(phone, purpose)
    return json_response(ACCEPTED, status=202)


@route(bp, "/auth/phone/verify", methods=["POST"])
def phone_verify() -> Any:
    caller = session.actor(bp.current_request)
    body = Body.of(bp.current_request)
    phone, code = body.text("phone", max_len=32), body.text("code", max_len=16)
    body.check()
    return {"user": phones.verify(caller.user_id, phone, code)}
