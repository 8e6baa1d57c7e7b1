"""What a content type is to us: its category in the usage chart, and whether a browser may
render it in the page (anything that can run script, or that we do not know, is downloaded)."""

from __future__ import annotations

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

# Raster images, video, audio, PDF and plain text. Not SVG (it carries script), not HTML or
# XML, not anything we cannot name.
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
        "text/plain",
    }
)


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


def essence(content_type: str | None) -> str:
    """``type/subtype`` in lower case, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def category(content_type: str | None) -> str:
    kind = essence(content_type)
    major = kind.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return major
    if kind in _DOCUMENTS or kind.startswith("text/") or "officedocument" in kind:
        return "document"
    if kind in _ARCHIVES:
        return "archive"
    return "other"


def renders_inline(content_type: str | None) -> bool:
    return essence(content_type) in _INLINE


def thumbnailed(content_type: str | None) -> str | None:
    """ "picture" or "video" when the media function makes thumbnails of this type, else None."""
    kind = essence(content_type)
    if kind in _PICTURES:
        return "picture"
    if kind.startswith("video/"):
        return "video"
    return None
