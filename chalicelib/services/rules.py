"""What makes a username, email, password, nickname, phone or name acceptable.

Each check returns the normalised value or raises InvalidRequest naming the field; lengths are
counted in Unicode code points, as the contract says. Text that people read (file, folder and
team names, nicknames) enters as NFC, so one name has one spelling, and without the invisible
characters that make a name read other than it is (see ``DECEPTIVE``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from chalicelib import filetypes
from chalicelib.errors import InvalidRequest

USERNAME = re.compile(r"[a-z0-9_.-]{3,30}")
# The addresses mail services deliver to: an ASCII dot-atom local part and a DNS domain.
# Anything looser (quoted local parts, raw Unicode) SES refuses, so we refuse it first.
EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Invisible format characters refused in names: the bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069: "invoice\u202efdp.exe" shows as "invoiceexe.pdf"),
# the bidirectional marks (U+200E, U+200F, U+061C: they too reorder what is around them), and
# the ones that only hide a difference between two names (zero width space, word joiner and
# the invisible operators, the byte order mark). Zero width (non-)joiners stay: Persian, Indic
# scripts and emoji sequences need them.
DECEPTIVE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _bad(field: str, reason: str) -> InvalidRequest:
    return InvalidRequest.fields({field: reason})


def username(value: str, field: str = "username") -> str:
    lowered = value.strip().lower()
    if not USERNAME.fullmatch(lowered):
        raise _bad(field, "3 to 30 characters: letters a-z, digits, '_', '.' or '-'")
    return lowered


def email(value: str, field: str = "email") -> str:
    cleaned = value.strip()
    if len(cleaned) > 254 or len(cleaned.partition("@")[0]) > 64 or not EMAIL.fullmatch(cleaned):
        raise _bad(field, "not a valid email address")
    local, _, domain = cleaned.rpartition("@")
    return f"{local}@{domain.lower()}"


def password(value: str, *, username_value: str | None = None, field: str = "password") -> str:
    if not 8 <= len(value) <= 128:
        raise _bad(field, "8 to 128 characters")
    if value.isdigit():
        raise _bad(field, "must not be all digits")
    if username_value and value.casefold() == username_value.casefold():
        raise _bad(field, "must not be the username")
    return value


def nfc(value: str) -> str:
    """The composed spelling of ``value``: "cafe\u0301" and "caf\u00e9" are one name."""
    return unicodedata.normalize("NFC", value)


def scrub(value: str) -> str:
    """Display text from elsewhere (an identity provider's name) without the characters a
    name may not hold."""
    return DECEPTIVE.sub("", NAME_CONTROL.sub("", nfc(value)))


def _visible(value: str, field: str) -> None:
    if DECEPTIVE.search(value):
        raise _bad(field, "must not contain bidirectional controls or invisible characters")


def nickname(value: str | None, field: str = "nickname") -> str | None:
    if value is None:
        return None
    if CONTROL.search(value):  # before strip(), which takes \x1c-\x1f for spaces
        raise _bad(field, "must not contain control characters")
    cleaned = nfc(value).strip()
    if len(cleaned) > 50:
        raise _bad(field, "at most 50 characters")
    _visible(cleaned, field)
    return cleaned or None


# National forms: a country's calling code and the trunk prefix its people dial before a
# national number ("010-1234-5678" in Korea is +82 10-1234-5678). The North American plan has
# no trunk prefix: a national number there is its 10 digits. Enough for a default country:
# anyone may always write a number of any country with "+".
CALLING_CODES: dict[str, tuple[str, str]] = {
    "KR": ("82", "0"),
    "JP": ("81", "0"),
    "CN": ("86", "0"),
    "TW": ("886", "0"),
    "GB": ("44", "0"),
    "DE": ("49", "0"),
    "FR": ("33", "0"),
    "AU": ("61", "0"),
    "IN": ("91", "0"),
    "US": ("1", ""),
    "CA": ("1", ""),
}
_SETTING: Any = object()


def phone(value: str | None, field: str = "phone", *, country: str | None = _SETTING) -> str | None:
    """A phone number in E.164 (``+821012345678``), or None for none.

    Spaces, dashes and parentheses are ignored. A number with ``+`` is international; one
    without is national to ``country`` (``PHONE_DEFAULT_COUNTRY`` unless given; none: only
    international numbers): its trunk prefix goes and the calling code comes in front, so
    ``010-1234-5678`` in KR is ``+821012345678``. ``00…`` (an international prefix, which
    differs by country) is refused rather than guessed.
    """
    if value is None:
        return None
    cleaned = re.sub(r"[\s()-]", "", value)
    if cleaned == "":
        return None
    if country is _SETTING:
        from chalicelib.config import get_settings  # rules stay importable without settings

        country = get_settings().phone_default_country
    if not cleaned.startswith("+") and country is not None:
        cleaned = _international(cleaned, country) or cleaned
    if not PHONE.fullmatch(cleaned):
        national = f", or a national number of {country}" if country else ""
        raise _bad(field, f"a phone number in E.164 form, like +821012345678{national}")
    return cleaned


def _international(digits: str, country: str) -> str | None:
    """``digits`` dialled at home in ``country`` as E.164, or None when they cannot be."""
    calling, trunk = CALLING_CODES[country]
    if not digits.isascii() or not digits.isdigit():
        return None
    if trunk:
        national = digits[len(trunk) :] if digits.startswith(trunk) else ""
        if not national or national[0] == "0":
            return None
    elif len(digits) == 10 and digits[0] not in "01":
        national = digits
    else:
        return None
    # Shorter is a typo or a local short number, never a whole one (Korea's are 8 to 10).
    return f"+{calling}{national}" if 8 <= len(national) <= 12 else None


def mask_email(address: str) -> str:
    """``j***@example.com``: enough for the owner to recognise, not to harvest."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def collect(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check and return their values; one InvalidRequest names every failed field."""
    values: list[Any] = []
    fields: dict[str, str] = {}
    for check in checks:
        try:
            values.append(check())
        except InvalidRequest as exc:
            fields.update(exc.details.get("fields", {}))
            values.append(None)
    if fields:
        raise InvalidRequest.fields(fields)
    return values


def node_name(value: str, field: str = "name") -> str:
    """A file or folder name in NFC: 1–255 characters (counted once composed), no slash,
    control or invisible character, not . or .."""
    value = nfc(value)
    if not 1 <= len(value) <= 255:
        raise _bad(field, "1 to 255 characters")
    if "/" in value or NAME_CONTROL.search(value):
        raise _bad(field, "must not contain '/' or control characters")
    _visible(value, field)
    if value in (".", "..") or not value.strip():
        raise _bad(field, "must not be '.', '..' or only spaces")
    return value


def content_type(value: str | None, field: str = "content_type") -> str:
    """A file's media type in its canonical form (filetypes.parse: one ``type/subtype``, a
    ``charset`` only for text); none or blank is ``application/octet-stream``; anything else
    is refused, never stored."""
    try:
        return filetypes.parse(value)
    except filetypes.Malformed as exc:
        raise _bad(
            field,
            f"{exc}: one media type such as image/jpeg or text/plain; charset=utf-8, "
            f"at most {filetypes.MAX_LENGTH} characters",
        ) from None


def team_name(value: str, field: str = "name") -> str:
    """A team's name in NFC: 1–100 characters once trimmed, no control or invisible
    character."""
    cleaned = nfc(value).strip()
    if not 1 <= len(cleaned) <= 100:
        raise _bad(field, "1 to 100 characters")
    if NAME_CONTROL.search(cleaned):
        raise _bad(field, "must not contain control characters")
    _visible(cleaned, field)
    return cleaned
