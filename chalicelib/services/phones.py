"""Codes by SMS: 6 digits, valid for minutes and a few tries, to verify the caller's phone,
to sign in with a verified phone, or to reset the password of the account that verified it.

Every text leaves through the mail queue; the mail function makes the code (no queue holds
one) and judges the limits: at most ``CODES_PER_NUMBER`` texts to one number an hour, and
``CODES_PER_HOUR`` per account. A sign-in or reset request posts its job whether or not the
number is anyone's, so its answer, its AWS calls and its time are the same either way.
"""

from __future__ import annotations

import hmac
import re
import secrets

from chalicelib import delivery, queues
from chalicelib.config import get_settings
from chalicelib.errors import InvalidCode, InvalidRequest, RateLimited
from chalicelib.models import tokens, users
from chalicelib.models.tokens import TokenModel
from chalicelib.models.users import UserModel
from chalicelib.services import accounts, attempts, rules

MAX_TRIES = 5
CODES_PER_HOUR = 5
CODES_PER_NUMBER = 5
# What a code is for. "verify" needs a session; the others are how a session starts.
PURPOSES = ("verify", "sign_in", "reset")
CODE = re.compile(r"[0-9]{6}")
_TEXTS = {
    "verify": "teamdrive code",
    "sign_in": "teamdrive sign-in code",
    "reset": "teamdrive password reset code",
}


def _key(user_id: str) -> str:
    return f"phone#{user_id}"


def _access_key(purpose: str, number: str) -> str:
    return f"phonecode#{purpose}#{number}"


def _number_limit(number: str) -> dict[str, int]:
    return {f"throttle#sms#number#{number}": CODES_PER_NUMBER}


def code(value: str, field: str = "code") -> str:
    """A code as typed: six digits, spaces around them ignored."""
    cleaned = value.strip()
    if not CODE.fullmatch(cleaned):
        raise InvalidRequest.fields({field: "the 6 digits of the code we texted"})
    return cleaned


def purpose(value: str | None) -> str:
    if value is None:
        return "verify"
    if value not in PURPOSES:
        raise InvalidRequest.fields({"purpose": "one of " + ", ".join(PURPOSES)})
    return value


def send_code(user_id: str, phone: str) -> None:
    """Have the mail function text a new code to ``phone`` (at most five an hour)."""
    number = rules.phone(phone)
    if number is None:
        raise InvalidRequest.fields({"phone": "required"})
    user = accounts.load(user_id)
    sent = tokens.window_hit(f"throttle#sms#{user.user_id}", window_s=3600)
    if sent > CODES_PER_HOUR:
        _, left = tokens.window_count(f"throttle#sms#{user.user_id}", window_s=3600)
        raise RateLimited(left, "Too many codes requested. Try again later.")
    post_verify_code(user.user_id, number)


def post_verify_code(user_id: str, number: str) -> None:
    # The code is made by the mail function, so no queue ever holds it.
    queues.post_mail_job({"kind": "phone_code", "user_id": user_id, "phone": number}, group=user_id)


def request_access_code(phone: str, purpose: str) -> None:
    """Sign-in or reset: one queued job for any number, anyone's or no one's."""
    number = rules.phone(phone)
    if number is None:
        raise InvalidRequest.fields({"phone": "required"})
    queues.post_mail_job(
        {"kind": "phone_access", "phone": number, "purpose": purpose}, group=number
    )


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _send(number: str, purpose: str, code_: str, ttl: int) -> None:
    minutes = max(1, round(ttl / 60))
    unit = "minute" if minutes == 1 else "minutes"
    delivery.send_sms(number, f"{_TEXTS[purpose]}: {code_}. It expires in {minutes} {unit}.")


def text_code(user_id: str, phone: str, *, job_id: str) -> None:
    """The mail function's half of verifying: a new code replaces any earlier one."""
    if not accounts.job_allowed(job_id, _number_limit(phone)):
        return
    new = _new_code()
    ttl = get_settings().phone_code_ttl_s
    tokens.put(
        _key(user_id),
        ttl_s=ttl,
        user_id=user_id,
        phone=phone,
        secret_hash=tokens.hashed(f"{user_id}:{new}"),
        attempts=0,
    )
    _send(phone, "verify", new, ttl)


def text_access_code(phone: str, purpose: str, *, job_id: str) -> None:
    """The mail function's half of sign-in and reset codes: nothing for a number no account
    verified, or past the number's or the account's hourly limit."""
    user = accounts.find_by_phone(phone)
    if user is None:
        return
    limits = {**_number_limit(phone), f"throttle#sms#{user.user_id}": CODES_PER_HOUR}
    if not accounts.job_allowed(job_id, limits):
        return
    new = _new_code()
    ttl = get_settings().phone_code_ttl_s
    tokens.put(
        _access_key(purpose, phone),
        ttl_s=ttl,
        user_id=user.user_id,
        phone=phone,
        secret_hash=tokens.hashed(f"{user.user_id}:{purpose}:{new}"),
        attempts=0,
    )
    _send(phone, purpose, new, ttl)


def code_try(
    number: str, code_: str, *, purpose: str
) -> tuple[UserModel | None, str, TokenModel | None]:
    """One try of a code sent to ``number`` for ``purpose``: the account that verified the
    number (or None), the throttle subject the try was counted against (the sign-in throttle
    wrong passwords count toward too), and the code item when ``code_`` is it."""
    user = accounts.find_by_phone(number)
    subject = user.user_id if user else f"phone#{number}"
    attempts.spend(subject)
    return user, subject, matching_code(user, number, code_, purpose=purpose)


def matching_code(
    user: UserModel | None, number: str, code_: str, *, purpose: str
) -> TokenModel | None:
    """The live code item for ``purpose`` sent to ``number`` for ``user``, when ``code_`` is
    it; each call spends one of its tries (after ``MAX_TRIES`` none matches). The caller
    takes it (``tokens.take``) to use it once."""
    item = tokens.find(_access_key(purpose, number))
    if item is None or user is None or item.user_id != user.user_id:
        return None
    if not tokens.count_attempt(item.key, limit=MAX_TRIES):
        return None
    expected = item.secret_hash or ""
    given = tokens.hashed(f"{user.user_id}:{purpose}:{code_}")
    return item if hmac.compare_digest(expected, given) else None


def verify(user_id: str, phone: str, code_: str) -> dict:
    """Mark the phone verified when the code matches; the number must not be another's."""
    number = rules.phone(phone)
    item = tokens.find(_key(user_id))
    if item is None or number is None or item.phone != number:
        raise InvalidCode()
    if not tokens.count_attempt(item.key, limit=MAX_TRIES):
        raise InvalidCode("Too many wrong codes. Ask for a new one.")
    expected = item.secret_hash or ""
    if not hmac.compare_digest(expected, tokens.hashed(f"{user_id}:{code_.strip()}")):
        raise InvalidCode()
    users.set_verified_phone(accounts.load(user_id), number)
    tokens.discard(item.key)
    return accounts.profile(user_id)
