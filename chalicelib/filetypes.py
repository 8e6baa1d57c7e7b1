"""What a content type is to us: its one canonical form (the only one we store, sign or
serve), its category in the usage chart, and how a browser gets it: rendered in the page only
from an allow-list of types that cannot run script, else downloaded as plain bytes."""

from __future__ import annotations

import re

OCTET_STREAM = "application/octet-stream"
MAX_LENGTH = 255

# RFC 6838 restricted-name (a subset of RFC 7231's token): no comma, quote, space or slash,
# so one value names one type. Checked after lower-casing plain ASCII only (see ``parse``).
_NAME = r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}"
_ESSENCE = re.compile(rf"{_NAME}/{_NAME}")
_CHARSET = re.compile(r"charset=([a-z0-9][a-z0-9!#$&^_.+-]{0,39})")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")
_CHARSET_ALIASES = {"utf8": "utf-8"}

CATEGORIES = ("image", "video", "audio", "document", "archive", "other")

_DOCUMENTS = frozenset(
    {
        "application/pdf",
        "application/rtf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/epub+zip",
    }
)

_ARCHIVES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/x-rar-compressed",
        "application/vnd.rar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
    }
)

# Served inline when asked: raster images, video, audio and PDF. Not SVG (it carries script),
# not HTML or XML, not image/x-icon, TIFF or HEIC (browsers do not show them as pages anyway),
# not anything we cannot name. Plain text is in ``served``: only in UTF-8.
_INLINE = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "video/mp4",
        "video/webm",
        "video/ogg",
        "video/quicktime",
        "audio/mpeg",
        "audio/ogg",
        "audio/wav",
        "audio/webm",
        "audio/aac",
        "audio/flac",
        "audio/mp4",
        "application/pdf",
    }
)
_PLAIN_TEXT = frozenset({"text/plain", "text/plain; charset=utf-8"})
PLAIN_TEXT_UTF8 = "text/plain; charset=utf-8"


# What the media function makes thumbnails of: the pictures Pillow reads, and any video.
_PICTURES = frozenset(
    {
        "image/jpeg",
        "image/pjpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/bmp",
        "image/x-ms-bmp",
        "image/tiff",
        "image/heic",
        "image/heif",
    }
)


class Malformed(ValueError):
    """Not one media type we accept (rules.content_type makes it a 400)."""


def parse(value: str | None) -> str:
    """The canonical form of a content type, or Malformed.

    Accepted: one ``type/subtype`` (RFC 6838 names, any case), and for ``text/*`` at most one
    ``charset=<name>`` parameter, with spaces around the value and the ``;``. The answer is
    ``type/subtype`` or ``type/subtype; charset=name``, lower-cased (``utf8`` is ``utf-8``).
    None, an empty or an all-spaces value is ``application/octet-stream`` (a browser sends ""
    for a type it does not know). Anything else is refused, not repaired: a comma or a second
    type, other parameters, quotes, tabs or control characters, anything not ASCII, more than
    255 characters."""
    if value is None:
        return OCTET_STREAM
    if len(value) > MAX_LENGTH:
        raise Malformed(f"at most {MAX_LENGTH} characters")
    # Plain ASCII before lower(): "\u212a".lower() is "k", and lookalikes must not pass.
    if not _PRINTABLE_ASCII.fullmatch(value):
        raise Malformed("only printable ASCII characters")
    value = value.strip(" ").lower()
    if not value:
        return OCTET_STREAM
    head, *params = value.split(";")
    kind = head.rstrip(" ")
    if not _ESSENCE.fullmatch(kind):
        raise Malformed("one media type such as image/jpeg")
    if not params:
        return kind
    if len(params) > 1 or not kind.startswith("text/"):
        raise Malformed("no parameters but one charset for a text/* type")
    charset = _CHARSET.fullmatch(params[0].strip(" "))
    if charset is None:
        raise Malformed("no parameters but one charset for a text/* type")
    name = _CHARSET_ALIASES.get(charset[1], charset[1])
    return f"{kind}; charset={name}"


def canonical(content_type: str | None) -> str:
    """What a stored content type is read as: its canonical form, or
    ``application/octet-stream`` for anything that would not be accepted today (so free text
    stored before the rule is never signed or served as it is)."""
    try:
        return parse(content_type)
    except Malformed:
        return OCTET_STREAM


def essence(content_type: str | None) -> str:
    """``type/subtype`` of the canonical form, without parameters."""
    return canonical(content_type).split(";", 1)[0]


def category(content_type: str | None) -> str:
    # The stored value read as it always was (its text before any ";"), not ``canonical``: a
    # file's category is added to the usage counters at upload and taken off at purge, so it
    # must not change for a file stored before the strict rule. It decides no header.
    kind = content_type.split(";", 1)[0].strip().lower() if content_type else ""
    major = kind.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return major
    if kind in _DOCUMENTS or kind.startswith("text/") or "officedocument" in kind:
        return "document"
    if kind in _ARCHIVES:
        return "archive"
    return "other"


def served(content_type: str | None, *, inline: bool) -> tuple[str, bool]:
    """(the Content-Type a download names, whether it is inline): an allow-listed type as its
    canonical form (plain text always with ``charset=utf-8``), inline only when asked; any
    other type, and anything stored that is not canonical, ``application/octet-stream`` as an
    attachment."""
    kind = canonical(content_type)
    if kind in _PLAIN_TEXT:
        return PLAIN_TEXT_UTF8, inline
    if kind in _INLINE:
        return kind, inline
    return OCTET_STREAM, False


def thumbnailed(content_type: str | None) -> str | None:
    """ "picture" or "video" when the media function makes thumbnails of this type, else None."""
    kind = essence(content_type)
    if kind in _PICTURES:
        return "picture"
    if kind.startswith("video/"):
        return "video"
    return None
