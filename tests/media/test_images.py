"""Thumbnails of pictures drawn here with Pillow: upright by EXIF, transparency kept, every
format read, nothing upscaled, bombs and non-pictures refused, big JPEGs shrunk while decoded."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from chalicelib.media.images import Thumbnails, Unreadable, thumbnails

SIDES = (1280, 256)
MAX_PIXELS = 100_000_000
REPO = Path(__file__).resolve().parents[2]

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
YELLOW = (255, 255, 0)

Size = tuple[int, int]


def encode(image: Image.Image, format: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def make(
    data: bytes, *, sides: tuple[int, ...] = SIDES, max_pixels: int = MAX_PIXELS
) -> Thumbnails:
    return thumbnails(io.BytesIO(data), sides=sides, max_pixels=max_pixels)


def refusal(data: bytes, *, max_pixels: int = MAX_PIXELS) -> str:
    """The message of the Unreadable that thumbnails() raises for ``data``."""
    with pytest.raises(Unreadable) as caught:
        make(data, max_pixels=max_pixels)
    return str(caught.value)


def decoded(made: Thumbnails, side: int) -> Image.Image:
    """The thumbnail for ``side`` read back by Pillow; it must be a WebP of the size reported."""
    image = Image.open(io.BytesIO(made.webp[side]))
    assert image.format == "WEBP"
    image.load()
    assert image.size == made.sizes[side]
    return image


def assert_fits(size: Size, original: Size, side: int) -> None:
    """Longest side is ``side`` (never more than the original's) and the aspect is kept."""
    longest = min(side, max(original))
    scale = longest / max(original)
    assert max(size) == longest, (size, original, side)
    assert abs(size[0] - original[0] * scale) <= 1, (size, original, side)
    assert abs(size[1] - original[1] * scale) <= 1, (size, original, side)


def mean_difference(image: Image.Image, reference: Image.Image) -> float:
    """Mean absolute difference per channel (0-255, worst channel) after fitting sizes."""
    reference = reference.convert("RGB").resize(image.size, Image.Resampling.LANCZOS)
    difference = ImageChops.difference(image.convert("RGB"), reference)
    return max(ImageStat.Stat(difference).mean)


def pattern(size: Size) -> Image.Image:
    """Red rises left to right, green top to bottom, blue is flat: every region differs."""
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (across, down, Image.new("L", size, 128)))


def noise(size: Size) -> Image.Image:
    """Random texture that does not compress away (noise drawn small, then enlarged)."""
    small = (max(1, size[0] // 8), max(1, size[1] // 8))
    channels = [Image.effect_noise(small, 60) for _ in range(3)]
    return Image.merge("RGB", channels).resize(size, Image.Resampling.BILINEAR)


# --- EXIF orientation -------------------------------------------------------------------

# The picture as stored, 2 by 2 quadrants:  red   | blue
#                                           green | yellow
# and what a viewer shows for each EXIF orientation, rows top to bottom. Four colours tell
# all eight orientations apart (two halves would not tell a rotation from a transpose).
UPRIGHT = {
    1: (("red", "blue"), ("green", "yellow")),
    2: (("blue", "red"), ("yellow", "green")),  # mirrored left-right
    3: (("yellow", "green"), ("blue", "red")),  # turned 180°
    4: (("green", "yellow"), ("red", "blue")),  # mirrored top-bottom
    5: (("red", "green"), ("blue", "yellow")),  # mirrored along the main diagonal
    6: (("green", "red"), ("yellow", "blue")),  # turned 90° clockwise: the left half on top
    7: (("yellow", "blue"), ("green", "red")),  # mirrored along the other diagonal
    8: (("blue", "yellow"), ("red", "green")),  # turned 90° anticlockwise: left half at bottom
}
COLOURS = {"red": RED, "blue": BLUE, "green": GREEN, "yellow": YELLOW}


def quadrants(size: Size) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (width // 2, 0, width, height // 2))
    image.paste(GREEN, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    return image


def colour_name(pixel: tuple[int, ...]) -> str:
    """The quadrant colour nearest ``pixel``, or "?" when none is near (say a grey mush)."""
    name, colour = min(
        COLOURS.items(),
        key=lambda item: sum((a - b) ** 2 for a, b in zip(item[1], pixel, strict=True)),
    )
    near = all(abs(a - b) <= 40 for a, b in zip(colour, pixel, strict=True))
    return name if near else "?"


def layout(image: Image.Image) -> tuple[tuple[str, ...], ...]:
    """The colours at the centres of the four quadrants, rows top to bottom."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    xs, ys = (width // 4, width * 3 // 4), (height // 4, height * 3 // 4)
    return tuple(tuple(colour_name(rgb.getpixel((x, y))) for x in xs) for y in ys)


def with_orientation(image: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", quality=95, exif=exif)


ORIENTATIONS = {
    1: "1-as-stored",
    2: "2-mirrored",
    3: "3-rotate-180",
    4: "4-flipped",
    5: "5-transposed",
    6: "6-rotate-cw",
    7: "7-transversed",
    8: "8-rotate-ccw",
}


@pytest.mark.parametrize(
    ("orientation", "stored"),
    [
        *(pytest.param(o, (600, 400), id=f"{name}-600x400") for o, name in ORIENTATIONS.items()),
        # Both sides twice 1280 or more: decoded at a half by JPEG, then resized, then turned.
        *(
            pytest.param(o, (3840, 2560), id=f"{ORIENTATIONS[o]}-3840x2560-decoded-at-a-half")
            for o in (3, 6, 8)
        ),
    ],
)
def test_thumbnails_are_upright_by_exif_orientation(orientation: int, stored: Size) -> None:
    data = with_orientation(quadrants(stored), orientation)
    # The oracle: Pillow's own reading of the orientation, on the whole picture.
    oracle = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    assert layout(oracle) == UPRIGHT[orientation]

    made = make(data)

    assert (made.width, made.height) == oracle.size
    if orientation >= 5:
        assert (made.width, made.height) == (stored[1], stored[0])
    for side in SIDES:
        thumbnail = decoded(made, side)
        assert layout(thumbnail) == UPRIGHT[orientation], side
        assert_fits(thumbnail.size, oracle.size, side)


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_a_heic_photo_is_upright_by_its_orientation(orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(quadrants((600, 400)), "HEIF", quality=95, exif=exif.tobytes())

    made = make(data)

    assert (made.width, made.height) == ((400, 600) if orientation in (6, 8) else (600, 400))
    for side in SIDES:
        assert layout(decoded(made, side)) == UPRIGHT[orientation], side


# --- transparency -----------------------------------------------------------------------

TRANSPARENT_SIZE = (1600, 1000)


def left_half(size: Size) -> tuple[int, int, int, int]:
    return (0, 0, size[0] // 2, size[1])


def rgba_png() -> bytes:
    image = Image.new("RGBA", TRANSPARENT_SIZE, (0, 0, 0, 0))
    image.paste((*RED, 255), left_half(TRANSPARENT_SIZE))
    return encode(image, "PNG")


def rgba_webp() -> bytes:
    image = Image.new("RGBA", TRANSPARENT_SIZE, (0, 0, 0, 0))
    image.paste((*RED, 255), left_half(TRANSPARENT_SIZE))
    return encode(image, "WEBP", lossless=True)


def palette(format: str) -> bytes:
    image = Image.new("P", TRANSPARENT_SIZE, 0)
    image.putpalette([0, 0, 0, *RED])
    image.paste(1, left_half(TRANSPARENT_SIZE))
    return encode(image, format, transparency=0)


def la_png() -> bytes:
    image = Image.new("LA", TRANSPARENT_SIZE, (0, 0))
    image.paste((255, 255), left_half(TRANSPARENT_SIZE))
    return encode(image, "PNG")


def rgb_png_with_transparent_colour() -> bytes:
    # What optipng and oxipng write for an RGBA picture whose alpha is all or nothing.
    image = Image.new("RGB", TRANSPARENT_SIZE, (0, 0, 0))
    image.paste(RED, left_half(TRANSPARENT_SIZE))
    return encode(image, "PNG", transparency=(0, 0, 0))


@pytest.mark.parametrize(
    ("source", "opaque"),
    [
        pytest.param(rgba_png, RED, id="rgba-png"),
        pytest.param(rgba_webp, RED, id="rgba-webp"),
        pytest.param(lambda: palette("PNG"), RED, id="palette-png-transparent-index"),
        pytest.param(lambda: palette("GIF"), RED, id="palette-gif-transparent-index"),
        pytest.param(la_png, (255, 255, 255), id="la-png"),
        pytest.param(rgb_png_with_transparent_colour, RED, id="rgb-png-transparent-colour"),
    ],
)
def test_thumbnails_keep_transparency(
    source: Callable[[], bytes], opaque: tuple[int, int, int]
) -> None:
    made = make(source())

    for side in SIDES:
        thumbnail = decoded(made, side)
        assert thumbnail.mode == "RGBA", side
        width, height = thumbnail.size
        *colour, alpha = thumbnail.getpixel((width // 4, height // 2))
        assert alpha == 255
        assert all(abs(a - b) <= 4 for a, b in zip(colour, opaque, strict=True)), colour
        assert thumbnail.getpixel((width * 3 // 4, height // 2))[3] == 0
        # Transparent where the source was (the right half, give or take the resampled edge).
        alpha = thumbnail.getchannel("A").histogram()
        assert 0.45 < sum(alpha[:16]) / (width * height) < 0.55, side
        assert 0.45 < sum(alpha[240:]) / (width * height) < 0.55, side


# --- refused before decoding ------------------------------------------------------------

# Run in a fresh interpreter so its peak resident memory is the work's own. Pillow allocates
# pixels with C malloc, out of tracemalloc's sight, so the kernel's VmHWM measures it; and
# ru_maxrss would not do either: Linux carries the parent's peak over exec.
MEASURE = """
import io, json, sys, time
from PIL import Image
from chalicelib.media.images import Unreadable, thumbnails

def peak_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")

how, max_pixels = sys.argv[1], int(sys.argv[2])
data = sys.stdin.buffer.read()
# Load the codecs first: their libraries' pages are no part of the work measured.
for format in ("JPEG", "PNG", "WEBP"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format=format)
    Image.open(out).load()
before = peak_mib()
started = time.perf_counter()
if how == "ours":
    try:
        made = thumbnails(io.BytesIO(data), sides=(1280, 256), max_pixels=max_pixels)
        outcome = sorted(made.sizes.values())
    except Unreadable as exc:
        outcome = str(exc)
else:  # the naive way: decode it all, then shrink
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        outcome = rgb.resize((1280, 1280 * rgb.height // rgb.width)).size
print(json.dumps({
    "added_mib": peak_mib() - before,
    "seconds": time.perf_counter() - started,
    "outcome": outcome,
}))
"""

needs_proc = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="peak memory is read from Linux's /proc"
)


def measured(how: str, data: bytes, *, max_pixels: int = MAX_PIXELS) -> dict[str, Any]:
    """Peak memory added (MiB), seconds and outcome of ``how`` on ``data`` in a new Python."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, how, str(max_pixels)],
        input=data,
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


@needs_proc
def test_refuses_a_decompression_bomb_before_decoding_it() -> None:
    # 144 million pixels (144 MB decoded, one byte each) in a file of about 80 kB.
    data = encode(Image.new("1", (12_000, 12_000)), "PNG", compress_level=1)
    assert len(data) < 200_000

    result = measured("ours", data, max_pixels=50_000_000)

    assert "too many pixels" in result["outcome"]
    assert result["added_mib"] < 50
    assert result["seconds"] < 1


@pytest.mark.parametrize(
    ("max_pixels", "refused"),
    [
        pytest.param(799, True, id="over-twice-the-limit-pillow-errors"),
        pytest.param(1000, True, id="under-twice-the-limit-pillow-only-warns"),
        pytest.param(1599, True, id="one-pixel-over"),
        pytest.param(1600, False, id="exactly-the-limit"),
    ],
)
def test_refuses_any_picture_over_max_pixels(max_pixels: int, refused: bool) -> None:
    data = encode(pattern((40, 40)), "PNG")

    if refused:
        assert "too many pixels" in refusal(data, max_pixels=max_pixels)
    else:
        assert make(data, max_pixels=max_pixels).sizes == {1280: (40, 40), 256: (40, 40)}


def test_leaves_pillows_global_limit_and_warning_filters_as_they_were() -> None:
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    data = encode(pattern((40, 40)), "PNG")

    make(data, max_pixels=1600)
    refusal(data, max_pixels=1000)

    assert Image.MAX_IMAGE_PIXELS == limit
    assert warnings.filters == filters


# --- damaged and foreign bytes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("format", "size", "kept"),
    [
        pytest.param("JPEG", (1600, 1000), 0.5, id="jpeg-cut-in-half"),
        pytest.param("JPEG", (1600, 1000), 0.95, id="jpeg-cut-near-end"),
        pytest.param("JPEG", (600, 400), 0.5, id="small-jpeg-cut-in-half"),
        pytest.param("PNG", (600, 400), 0.5, id="png-cut-in-half"),
        pytest.param("WEBP", (600, 400), 0.5, id="webp-cut-in-half"),
        pytest.param("GIF", (300, 200), 0.5, id="gif-cut-in-half"),
        pytest.param("BMP", (600, 400), 0.5, id="bmp-cut-in-half"),
        pytest.param("TIFF", (600, 400), 0.5, id="tiff-cut-in-half"),
    ],
)
def test_refuses_a_truncated_picture(format: str, size: Size, kept: float) -> None:
    whole = encode(noise(size), format)

    assert "damaged" in refusal(whole[: int(len(whole) * kept)])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"hello, this is not a picture\n" * 100, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', id="svg"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", id="pdf"),
        pytest.param(b"PK\x03\x04" + bytes(200), id="zip"),
    ],
)
def test_refuses_bytes_that_are_not_a_picture(data: bytes) -> None:
    assert "not a picture" in refusal(data)


# --- formats and sizes ------------------------------------------------------------------


def animated_gif(size: Size) -> tuple[bytes, Image.Image]:
    frames = [Image.new("RGB", size, colour) for colour in (RED, GREEN, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    return data, frames[0]


def sixteen_bit_grey_png(size: Size) -> tuple[bytes, Image.Image]:
    grey = pattern(size).convert("L")
    deep = grey.convert("I").point(lambda value: value * 257).convert("I;16")
    data = encode(deep, "PNG")
    assert Image.open(io.BytesIO(data)).mode == "I;16"
    return data, grey  # shown as its top 8 bits


def as_format(format: str, mode: str = "RGB", **params: Any) -> Callable[[Size], Any]:
    def source(size: Size) -> tuple[bytes, Image.Image]:
        picture = pattern(size)
        if mode == "L":
            picture = picture.convert("L")
        data = encode(picture.convert(mode), format, **params)
        assert Image.open(io.BytesIO(data)).mode == mode
        return data, picture

    return source


FORMATS = [
    pytest.param(as_format("JPEG", quality=90), id="jpeg"),
    pytest.param(as_format("JPEG", "L", quality=90), id="greyscale-jpeg"),
    pytest.param(as_format("JPEG", "CMYK", quality=90), id="cmyk-jpeg"),
    pytest.param(as_format("PNG"), id="png"),
    pytest.param(as_format("PNG", "RGBA"), id="rgba-png"),
    pytest.param(as_format("PNG", "P"), id="palette-png"),
    pytest.param(sixteen_bit_grey_png, id="16-bit-grey-png"),
    pytest.param(as_format("WEBP", quality=90), id="webp"),
    pytest.param(animated_gif, id="animated-gif-first-frame"),
    pytest.param(as_format("BMP"), id="bmp"),
    pytest.param(as_format("TIFF"), id="tiff"),
    pytest.param(as_format("HEIF", quality=90), id="heic"),
]


@pytest.mark.parametrize(
    "original",
    [pytest.param((1600, 1000), id="landscape"), pytest.param((1000, 1600), id="portrait")],
)
@pytest.mark.parametrize("source", FORMATS)
def test_every_format_gives_one_webp_per_side(
    source: Callable[[Size], tuple[bytes, Image.Image]], original: Size
) -> None:
    data, picture = source(original)

    made = make(data)

    assert (made.width, made.height) == original
    assert set(made.webp) == set(made.sizes) == set(SIDES)
    for side in SIDES:
        thumbnail = decoded(made, side)
        assert_fits(thumbnail.size, original, side)
        # The picture itself, not a blank or clipped one (palette quantising costs a little).
        assert mean_difference(thumbnail, picture) < 12, side


@pytest.mark.parametrize("source", FORMATS)
def test_never_upscales_a_small_picture(
    source: Callable[[Size], tuple[bytes, Image.Image]],
) -> None:
    data, picture = source((100, 50))

    made = make(data)

    assert (made.width, made.height) == (100, 50)
    assert made.sizes == {1280: (100, 50), 256: (100, 50)}
    for side in SIDES:
        assert mean_difference(decoded(made, side), picture) < 12, side


@pytest.mark.parametrize(
    "sides",
    [
        pytest.param((256,), id="one"),
        pytest.param((64, 1280, 256), id="three-unsorted"),
    ],
)
def test_makes_exactly_the_sides_asked_for(sides: tuple[int, ...]) -> None:
    made = make(encode(pattern((1600, 1000)), "JPEG"), sides=sides)

    assert set(made.webp) == set(sides)
    for side in sides:
        assert_fits(decoded(made, side).size, (1600, 1000), side)


# --- shrink on decode -------------------------------------------------------------------


@needs_proc
def test_decodes_a_large_jpeg_at_a_fraction_of_its_size() -> None:
    # 24 megapixels: a full decode alone is 96 MB (Pillow keeps RGB in four bytes a pixel).
    data = encode(noise((6000, 4000)), "JPEG", quality=85)

    with ThreadPoolExecutor(2) as pool:
        ours, naive = pool.map(lambda how: measured(how, data), ("ours", "naive"))

    assert ours["outcome"] == [[256, 171], [1280, 853]]
    assert naive["added_mib"] > 72, naive  # the measurement sees a full decode
    assert ours["added_mib"] < naive["added_mib"] / 4, (ours, naive)
    # Decoded at a quarter (1500x1000, 6 MB) it covers the 1280x853 thumbnail; at a half, 24 MB.
    assert ours["added_mib"] < 30, ours
