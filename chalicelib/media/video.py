"""Poster frames and stream facts of videos with ffmpeg, read straight from a presigned GET.

ffmpeg seeks in its input (``-ss`` before ``-i``), so it asks S3 for the byte ranges it needs
(the header, then the frames around the seek point) and never downloads a whole video. The
imageio-ffmpeg wheel brings no ffprobe: the facts come from ffmpeg's own report of its input.
Only HTTP(S) may be opened, so a crafted file (a playlist, say) cannot make ffmpeg fetch
anything else.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import ffmpeg

from chalicelib.config import get_settings

PROTOCOLS = "https,http,tcp,tls"
# Where the poster frame comes from, as a share of the duration.
POSTER_AT = 0.10
# Longest side of the frame ffmpeg hands over (the largest thumbnail's).
FRAME_SIDE = 1280
_TIMEOUT_S = 60
# Give up on a stalled read after this long (microseconds, as ffmpeg counts).
_READ_TIMEOUT_US = 15_000_000

_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO_STREAM = re.compile(r"Stream #\d+:\d+.*?: Video: (.*)")
_DIMENSIONS = re.compile(r", (\d{1,5})x(\d{1,5})(?=[ ,\[]|$)")
_ROTATION = re.compile(r"displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees|rotate\s*:\s*(-?\d+)")


class Unplayable(Exception):
    """ffmpeg found no video it could read; the message says why."""


@dataclass(frozen=True)
class Facts:
    """What the input's header says: the size as shown (rotation applied) and the duration."""

    width: int
    height: int
    duration_s: float | None
    rotation: int


def binary() -> str:
    """The ffmpeg to run: the layer's in AWS (``FFMPEG_BINARY``), else the wheel's."""
    configured = get_settings().ffmpeg_binary
    if configured:
        return configured
    import imageio_ffmpeg  # a development dependency: the layer replaces it in AWS

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _input(url: str, **options: object) -> ffmpeg.nodes.FilterableStream:
    return ffmpeg.input(url, protocol_whitelist=PROTOCOLS, rw_timeout=_READ_TIMEOUT_US, **options)


def _run(stream: ffmpeg.nodes.OutputStream) -> subprocess.CompletedProcess[bytes]:
    args = stream.global_args("-hide_banner", "-nostdin", "-loglevel", "info").compile(cmd=binary())
    try:
        return subprocess.run(args, capture_output=True, timeout=_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Unplayable("ffmpeg took too long over this video.") from exc


def parse_report(report: str) -> Facts:
    """The facts of ffmpeg's report on its input (its stderr), or Unplayable."""
    stream = _VIDEO_STREAM.search(report)
    dimensions = _DIMENSIONS.search(stream.group(1)) if stream else None
    if stream is None or dimensions is None:
        raise Unplayable("No video stream was found.")
    width, height = int(dimensions.group(1)), int(dimensions.group(2))
    duration = _DURATION.search(report)
    seconds = None
    if duration:
        hours, minutes, rest = duration.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + float(rest)
    rotated = _ROTATION.search(report)
    rotation = 0
    if rotated:
        rotation = round(float(rotated.group(1) or rotated.group(2))) % 360
    if rotation in (90, 270):
        width, height = height, width
    return Facts(width=width, height=height, duration_s=seconds, rotation=rotation)


def probe(url: str) -> Facts:
    """Read the header only: one frame from the start is decoded and thrown away (ffmpeg
    reports its input once it has an output)."""
    done = _run(_input(url).output("-", format="null", map="0:v:0", vframes=1))
    return parse_report(done.stderr.decode(errors="replace"))


def _frame(stream: ffmpeg.nodes.FilterableStream, **seek: float) -> bytes:
    scaled = stream.video.filter(
        "scale",
        w=f"min({FRAME_SIDE},iw)",
        h=f"min({FRAME_SIDE},ih)",
        force_original_aspect_ratio="decrease",
    )
    done = _run(scaled.output("pipe:", vframes=1, format="image2", vcodec="png", **seek))
    return done.stdout


def poster(url: str, facts: Facts) -> bytes:
    """A PNG of the frame about 10% into the video (upright: ffmpeg applies the rotation).
    Seeking in the input fetches only the ranges needed; when that yields no frame (some
    files have no index to seek by) an output seek, which reads up to the point, tries again."""
    at = round((facts.duration_s or 0) * POSTER_AT, 3)
    frame = _frame(_input(url, ss=at)) if at > 0 else b""
    if not frame:
        frame = _frame(_input(url), ss=at)
    if not frame:
        raise Unplayable("ffmpeg could not decode a frame.")
    return frame
