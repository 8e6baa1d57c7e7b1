"""Getting back in: username reminders and single-use password-reset links.

Every answer is the same whether or not the account exists, so these routes cannot be used
to learn who has an account: a request only posts a mail job (one SQS message, the same for
any account or none); the mail function (services/mail.py) looks the account up and sends.
"""

from __future__ import annotations

from pynamodb.expressions.update import Action

from chalicelib import delivery, emails, queues
from chalicelib.config import get_settings
from chalicelib.errors import InvalidCode, InvalidRequest, InvalidToken, NotFound
from chalicelib.models import tokens, users
from chalicelib.models.users import UserModel
from chalicelib.services import accounts, attempts, passwords, phones, rules


def forgot_username(email: str) -> None:
    address = rules.email(email)
    queues.post_mail_job({"kind": "username", "email": address}, group=address)


def forgot_password(login_name: str) -> None:
    login = login_name.strip()
    queues.post_mail_job({"kind": "reset", "login": login}, group=login)


def send_username(email: str, *, job_id: str) -> None:
    """The mail function's half of forgot-username: remind an account of its username."""
    user = accounts.find_by_login(email)
    if user is None or not accounts.mail_allowed("username", user.user_id, job_id=job_id):
        return
    link = f"{get_settings().public_url}/signin"
    delivery.send_email(user.email, emails.username_reminder(user.username, link))


def send_reset_link(login: str, *, job_id: str) -> None:
    """The mail function's half of forgot-password: a new single-use reset link."""
    user = accounts.find_by_login(login, phones=True)
    if user is None or not accounts.mail_allowed("reset", user.user_id, job_id=job_id):
        return
    settings = get_settings()
    link = accounts.emailed_link(
        "reset",
        user,
        path="/reset-password",
        ttl_s=settings.reset_ttl_s,
        secret_hash=_password_fingerprint(user),
    )
    delivery.send_email(
        user.email, emails.password_reset(user.username, link, settings.reset_ttl_s // 60)
    )


def _password_fingerprint(user: UserModel) -> str:
    return tokens.hashed(f"{user.user_id}:{user.password_hash or ''}")


def reset_password(token: str, password: str) -> None:
    """Set a new password from a reset link and end every session of the account.

    The link arrived by email, so following it also proves the address.
    """
    item = tokens.find(f"reset#{tokens.hashed(token)}")
    if item is None:
        raise InvalidToken()
    try:
        user = accounts.load(str(item.user_id))
    except NotFound as exc:
        raise InvalidToken() from exc
    if item.secret_hash != _password_fingerprint(user):
        # The password changed since this link was sent (another reset, or a change): every
        # link sent before then is dead.
        raise InvalidToken()
    rules.password(password, username_value=user.username)
    if tokens.take(item.key) is None:
        raise InvalidToken()
    actions: list[Action] = [
        UserModel.password_hash.set(passwords.hash_password(password)),
        UserModel.token_version.add(1),
    ]
    if item.email == user.email:
        actions.append(UserModel.email_verified.set(True))
    users.update_active(user, actions)


def reset_password_by_phone(phone: str, code: str, password: str) -> None:
    """Set a new password with a code texted to the account's verified phone (purpose
    ``reset``) and end every session of the account. Wrong codes count toward the sign-in
    throttle, as wrong passwords do."""
    number, given = rules.collect(lambda: rules.phone(phone), lambda: phones.code(code))
    if number is None:
        raise InvalidRequest.fields({"phone": "required"})
    user, subject, item = phones.code_try(number, given, purpose="reset")
    if item is None:
        raise InvalidCode()
    assert user is not None
    # Judged before the code is used up, so a password we refuse does not cost the code.
    rules.password(password, username_value=user.username)
    if tokens.take(item.key) is None:
        raise InvalidCode()
    users.update_active(
        user,
        [
            UserModel.password_hash.set(passwords.hash_password(password)),
            UserModel.token_version.add(1),
        ],
    )
    attempts.clear(subject)
