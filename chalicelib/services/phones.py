"""Phone verification: a 6-digit code by SMS, valid for minutes and a few tries."""

from __future__ import annotations

import hmac
import secrets

from chalicelib import delivery, queues
from chalicelib.config import get_settings
from chalicelib.errors import InvalidCode, InvalidRequest, RateLimited
from chalicelib.models import tokens, users
from chalicelib.services import accounts, rules

MAX_TRIES = 5
CODES_PER_HOUR = 5


def _key(user_id: str) -> str:
    return f"phone#{user_id}"


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
    # The code is made by the mail function, so no queue ever holds it.
    queues.post_mail_job(
        {"kind": "phone_code", "user_id": user.user_id, "phone": number}, group=user.user_id
    )


def text_code(user_id: str, phone: str) -> None:
    """The mail function's half: a new code replaces any earlier one and goes out by SMS."""
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = get_settings().phone_code_ttl_s
    tokens.put(
        _key(user_id),
        ttl_s=ttl,
        user_id=user_id,
        phone=phone,
        secret_hash=tokens.hashed(f"{user_id}:{code}"),
        attempts=0,
    )
    minutes = max(1, round(ttl / 60))
    unit = "minute" if minutes == 1 else "minutes"
    delivery.send_sms(phone, f"teamdrive code: {code}. It expires in {minutes} {unit}.")


def verify(user_id: str, phone: str, code: str) -> dict:
    """Mark the phone verified when the code matches; the number must not be another's."""
    number = rules.phone(phone)
    item = tokens.find(_key(user_id))
    if item is None or number is None or item.phone != number:
        raise InvalidCode()
    if not tokens.count_attempt(item.key, limit=MAX_TRIES):
        raise InvalidCode("Too many wrong codes. Ask for a new one.")
    expected = item.secret_hash or ""
    if not hmac.compare_digest(expected, tokens.hashed(f"{user_id}:{code.strip()}")):
        raise InvalidCode()
    users.set_verified_phone(accounts.load(user_id), number)
    tokens.discard(item.key)
    return accounts.profile(user_id)
