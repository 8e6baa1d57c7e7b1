"""Throttling of password checks: at most ``LOGIN_FAIL_LIMIT`` failures per account (or per
unknown name) in a window, counted across every route that checks a password."""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.errors import AppError, RateLimited
from chalicelib.models import tokens
from chalicelib.models.users import UserModel
from chalicelib.services import passwords


def _key(subject: str) -> str:
    return f"throttle#login#{subject}"


def spend(
    subject: str,
    *,
    limit: int | None = None,
    message: str = "Too many failed sign-ins. Try again later.",
) -> None:
    """Count an attempt before checking it, so parallel guesses cannot all slip under the
    limit (``LOGIN_FAIL_LIMIT`` unless given); past it, refuse until the window closes (a
    success clears the count)."""
    settings = get_settings()
    key = _key(subject)
    allowed = settings.login_fail_limit if limit is None else limit
    if tokens.window_hit(key, window_s=settings.login_fail_window_s) > allowed:
        _, left = tokens.window_count(key, window_s=settings.login_fail_window_s)
        raise RateLimited(left, message)


def clear(subject: str) -> None:
    tokens.discard(_key(subject))


def check_password(user: UserModel, password: str, *, error: type[AppError]) -> None:
    """Raise ``error`` unless ``password`` is the user's; attempts count toward throttling."""
    spend(user.user_id)
    if not passwords.verify_password(user.password_hash, password):
        raise error()
    clear(user.user_id)
