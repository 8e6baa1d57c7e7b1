"""Thumbnails of pictures with Pillow, decoding no more pixels than the largest one needs.

Order matters (DESIGN.md, "Traps"): ``draft`` and ``thumbnail`` come before anything that
touches the pixels. ``convert``, ``load`` or ``exif_transpose`` first would decode a 24 MP
JPEG whole (+185 MB); the EXIF orientation is applied to the small image instead.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

# HEIC/HEIF open like any other format. libheif applies the picture's own rotation and resets
# its EXIF orientation to 1, so the orientation step below does nothing more to them.
register_heif_opener()

_ORIENTATION = 0x0112
# EXIF orientation -> the transposes that turn the stored image upright, in order.
_UPRIGHT: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


class Unreadable(Exception):
    """The bytes are not a picture this code will read; the message says why."""


@dataclass(frozen=True)
class Thumbnails:
    """Per longest side asked for, the WebP bytes and their pixel size; and the picture's
    own size as it is shown (upright)."""

    webp: dict[int, bytes]
    sizes: dict[int, tuple[int, int]]
    width: int
    height: int


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    for step in _UPRIGHT.get(orientation, ()):
        image = image.transpose(step)
    return image


_SIXTEEN_BIT = ("I", "I;16", "I;16B", "I;16L", "I;16N")


def _displayable(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency (WebP keeps it). A transparent colour
    (a palette index, or an RGB value in a PNG's tRNS) becomes an alpha channel; 16-bit grey
    is scaled to 8 bits (a plain conversion would clip it to white)."""
    if image.mode == "RGBA" or (image.mode == "RGB" and "transparency" not in image.info):
        return image
    if image.mode in _SIXTEEN_BIT:
        image = image.point(lambda v: v / 257).convert("L")
    if image.mode in ("LA", "PA", "La") or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # method 2 of 0–6: a 1280 px WebP in half method 4's time, hardly bigger.
    image.save(out, format="WEBP", quality=80, method=2)
    return out.getvalue()


def thumbnails(source: IO[bytes], *, sides: Sequence[int], max_pixels: int) -> Thumbnails:
    """Thumbnails of the picture in ``source`` (a seekable file) that fit squares of
    ``sides``. Refuses a picture of more than ``max_pixels`` before decoding it (a
    decompression bomb) with ``Unreadable``."""
    with warnings.catch_warnings():
        # Pillow warns between MAX_IMAGE_PIXELS and twice that; here any excess is refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            return _thumbnails(source, sides)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Unreadable("The picture has too many pixels.") from exc
        except UnidentifiedImageError as exc:
            raise Unreadable("This is not a picture in a format we read.") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            # Pillow's word for truncated or corrupt data.
            raise Unreadable(f"The picture is damaged ({exc}).") from exc
        finally:
            Image.MAX_IMAGE_PIXELS = previous


def _thumbnails(source: IO[bytes], sides: Sequence[int]) -> Thumbnails:
    largest = max(sides)
    with Image.open(source) as image:
        orientation = int(image.getexif().get(_ORIENTATION, 1))
        width, height = image.size
        # JPEG decodes straight at 1/2, 1/4 or 1/8 scale, as small as still covers the
        # largest thumbnail; other formats ignore the draft.
        ratio = min(1.0, largest / max(width, height))
        image.draft("RGB", (max(1, int(width * ratio)), max(1, int(height * ratio))))
        if image.mode not in ("RGB", "RGBA", "L", "CMYK") or "transparency" in image.info:
            # Palettes and other modes resize as colour (a palette would resize by nearest
            # neighbour); they have no shrink-on-decode to lose.
            image = _displayable(image)
        image.thumbnail((largest, largest), Image.Resampling.LANCZOS, reducing_gap=3.0)
        image.load()  # a picture already small enough is left unread by thumbnail()
        big = _displayable(_upright(image, orientation))
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    made = {largest: big}
    for side in sides:
        if side != largest:
            made[side] = big.copy()
            made[side].thumbnail((side, side), Image.Resampling.LANCZOS)
    return Thumbnails(
        webp={side: _webp(image) for side, image in made.items()},
        sizes={side: image.size for side, image in made.items()},
        width=width,
        height=height,
    )
