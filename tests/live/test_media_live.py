"""The media pipeline end to end on the local stack, as `make dev` runs it: a browser-style
upload lands in moto's S3, the bucket notification puts the event on the media queue, the
local poller hands it to the app's ``media`` function, and ffmpeg reads videos through
presigned URLs from moto's server over real HTTP.

Fixtures are made here: ffmpeg's ``testsrc`` (a test card with a running frame counter) for
videos, Pillow for pictures.
"""

from __future__ import annotations

import io
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image, ImageChops, ImageStat

from chalicelib.media import video
from tests.live.conftest import Account

WAIT_S = 60


@pytest.fixture(scope="module")
def owner(live: Any) -> Account:
    return Account(live, f"media{uuid.uuid4().hex[:8]}")


def make_video(
    path: Path, *, seconds: int = 4, size: str = "320x240", extra: list[str] = ()
) -> bytes:
    subprocess.run(
        [
            video.binary(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size={size}:rate=25",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            *extra,
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path.read_bytes()


def upload(account: Account, name: str, data: bytes, content_type: str) -> dict[str, Any]:
    started = account.post(
        "/uploads",
        {"parent_id": account.root, "name": name, "size": len(data), "content_type": content_type},
    )
    assert started.status_code == 201, started.text
    body = started.json()
    put = requests.put(body["url"], data=data, headers={"Content-Type": content_type}, timeout=60)
    assert put.status_code == 200, put.text
    done = account.post(f"/uploads/{body['upload_id']}/complete", {})
    assert done.status_code == 200, done.text
    return done.json()["file"]


def settled(account: Account, node_id: str) -> dict[str, Any]:
    """The node once its thumbnail is no longer pending (the poller got to it)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        node = account.get(f"/nodes/{node_id}")["node"]
        if node["thumbnail"]["status"] != "pending" or time.monotonic() > deadline:
            return node
        time.sleep(0.2)


def fetched(url: str) -> Image.Image:
    reply = requests.get(url, timeout=30)
    assert reply.status_code == 200
    image = Image.open(io.BytesIO(reply.content))
    assert image.format == "WEBP"
    return image.convert("RGB")


def frame_at(path: Path, seconds: float) -> Image.Image:
    """The frame at ``seconds``, decoded from the local file (the oracle)."""
    done = subprocess.run(
        [video.binary(), "-hide_banner", "-loglevel", "error", "-ss", str(seconds), "-i", str(path)]
        + ["-frames:v", "1", "-f", "image2", "-vcodec", "png", "pipe:"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return Image.open(io.BytesIO(done.stdout)).convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0–255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b.resize(a.size))).mean) / 3


def test_a_video_gets_a_poster_from_a_tenth_in_and_its_duration(owner, tmp_path):
    path = tmp_path / "clip.mp4"
    node = upload(owner, "clip.mp4", make_video(path, seconds=4), "video/mp4")

    shown = settled(owner, node["id"])

    assert shown["thumbnail"]["status"] == "ready", shown["thumbnail"]
    assert shown["media"]["width"] == 320 and shown["media"]["height"] == 240
    assert shown["media"]["duration_s"] == pytest.approx(4.0, abs=0.1)
    poster = fetched(shown["thumbnail"]["preview_url"])
    assert poster.size == (320, 240)
    # testsrc's counter changes every frame region: the poster is the frame at 0.4 s, not
    # the first one nor the middle.
    here, start, middle = frame_at(path, 0.4), frame_at(path, 0.0), frame_at(path, 2.0)
    assert difference(poster, here) < difference(poster, start)
    assert difference(poster, here) < difference(poster, middle)
    assert difference(poster, here) < 8
    assert fetched(shown["thumbnail"]["url"]).size == (256, 192)


def test_a_rotated_video_is_recorded_and_shown_upright(owner, tmp_path):
    plain = tmp_path / "plain.mp4"
    make_video(plain, seconds=2, size="320x240")
    rotated = tmp_path / "rotated.mp4"
    subprocess.run(
        [video.binary(), "-hide_banner", "-loglevel", "error", "-display_rotation", "90"]
        + ["-i", str(plain), "-c", "copy", str(rotated)],
        check=True,
        timeout=60,
    )
    node = upload(owner, "phone.mp4", rotated.read_bytes(), "video/mp4")

    shown = settled(owner, node["id"])

    assert shown["thumbnail"]["status"] == "ready", shown["thumbnail"]
    assert (shown["media"]["width"], shown["media"]["height"]) == (240, 320)
    assert shown["media"]["rotation"] in (90, 270)
    assert fetched(shown["thumbnail"]["preview_url"]).size == (240, 320)


def test_a_file_that_is_not_a_video_fails_once_with_a_reason(owner):
    node = upload(owner, "fake.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(4000), "video/mp4")

    shown = settled(owner, node["id"])

    assert shown["thumbnail"]["status"] == "failed"
    assert shown["thumbnail"]["reason"]
    assert "media" not in shown


def test_a_photo_goes_through_the_queue_and_the_poller(owner):
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), "green").save(out, format="JPEG")
    node = upload(owner, "wide.jpg", out.getvalue(), "image/jpeg")

    shown = settled(owner, node["id"])

    assert shown["thumbnail"]["status"] == "ready"
    assert shown["media"] == {"width": 2000, "height": 1000}
    assert fetched(shown["thumbnail"]["url"]).size == (256, 128)
    assert fetched(shown["thumbnail"]["preview_url"]).size == (1280, 640)
