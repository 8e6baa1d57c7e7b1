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


def spend(subject: str) -> None:
    """Count an attempt before checking it, so parallel guesses cannot all slip under the
    limit; past the limit, refuse until the window closes (a success clears the count)."""
    settings = get_settings()
    key = _key(subject)
    if tokens.window_hit(key, window_s=settings.login_fail_window_s) > settings.login_fail_limit:
        _, left = tokens.window_count(key, window_s=settings.login_fail_window_s)
        raise RateLimited(left, "Too many failed sign-ins. Try again later.")


def clear(subject: str) -> None:
    tokens.discard(_key(subject))


def check_password(user: UserModel, password: str, *, error: type[AppError]) -> None:
    """Raise ``error`` unless ``password`` is the user's; attempts count toward throttling."""
    spend(user.user_id)
    if not passwords.verify_password(user.password_hash, password):
        raise error()
    clear(user.user_id)
