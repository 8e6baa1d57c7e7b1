"""Media work against the seed project's naive ways, side by side:

(a) a 256 px thumbnail of a 24 MP JPEG: ``images.thumbnails`` (draft, then thumbnail) against
    a full decode, ``convert`` and ``resize``; wall time, and the peak memory each one adds,
    read from the kernel in a fresh process (Pillow's pixels live outside tracemalloc);
(b) the poster frame of a 200+ MB video behind a presigned GET: ``video.probe`` and
    ``video.poster`` (ffmpeg seeking in the URL) against downloading the object and taking the
    frame from the file; what S3 sent is counted by a proxy between ffmpeg and moto's server.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

from bench.table import render

ROOT = Path(__file__).resolve().parent.parent
# Generated inputs live here between runs; their names carry what they were made from.
CACHE = Path(tempfile.gettempdir()) / "teamdrive-bench-media"
MB = 1_000_000
RUNS = int(os.environ.get("BENCH_MEDIA_RUNS", "5"))

PHOTO_SIZE = (6000, 4000)
PHOTO_QUALITY = 90
THUMB_SIDE = 256
MAX_PIXELS = 200_000_000
TIME_TARGET = 4.0  # naive / ours
MEMORY_TARGET = 0.25  # ours / naive

# 720p at ~13 Mbit/s (a phone's rate) with a keyframe every 2 s, long enough to pass 200 MB.
VIDEO_SIZE = (1280, 720)
VIDEO_FPS = 30
VIDEO_SECONDS = int(os.environ.get("BENCH_VIDEO_SECONDS", "140"))
VIDEO_GOP = 60
VIDEO_NAME = (
    f"testsrc2-{VIDEO_SIZE[0]}x{VIDEO_SIZE[1]}-{VIDEO_FPS}fps-{VIDEO_SECONDS}s-g{VIDEO_GOP}"
    "-noise2-mpeg4-q2.mp4"
)
VIDEO_MIN_BYTES = 200 * MB
BYTES_TARGET = 0.03  # of the object
RANGES_TARGET = 4
CHUNK = 64 * 1024
SEND_BUFFER = 2 * CHUNK  # the proxy's, towards the client
BUCKET = "bench-media"

_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_PNG = b"\x89PNG\r\n\x1a\n"


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def _cached(name: str, make: Callable[[Path], None]) -> Path:
    """``CACHE/name``, made once by ``make`` (into a scratch name, so a run stopped halfway
    leaves nothing behind that a later run would take for finished)."""
    path = CACHE / name
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        make(scratch)
        scratch.replace(path)
    return path


# (a) thumbnails ---------------------------------------------------------------------------


def _make_photo(path: Path) -> None:
    """Colour gradients, blotchy colour texture and fine luminance grain: a JPEG that
    compresses like a detailed photo (~11 MB at q90), not like a flat test card."""
    from PIL import Image

    width, height = PHOTO_SIZE

    def stretched(image: Image.Image) -> Image.Image:
        return image.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)

    base = Image.merge(
        "RGB",
        (
            stretched(Image.linear_gradient("L")),
            stretched(Image.radial_gradient("L")),
            stretched(Image.linear_gradient("L").rotate(90)),
        ),
    )
    texture = Image.merge(
        "RGB",
        [stretched(Image.effect_noise((width // 8, height // 8), 60.0)) for _ in range(3)],
    )
    grain = Image.effect_noise(PHOTO_SIZE, 40.0)
    photo = Image.blend(
        Image.blend(base, texture, 0.35), Image.merge("RGB", (grain, grain, grain)), 0.3
    )
    photo.save(path, format="JPEG", quality=PHOTO_QUALITY)


def _make_warmup(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (640, 480), (90, 120, 150)).save(path, format="JPEG", quality=PHOTO_QUALITY)


def _ours(path: Path) -> bytes:
    from chalicelib.media import images

    with path.open("rb") as source:
        made = images.thumbnails(source, sides=(THUMB_SIDE,), max_pixels=MAX_PIXELS)
    return made.webp[THUMB_SIDE]


def _naive(path: Path) -> bytes:
    """The seed project's way: decode everything, convert, resize, save."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    scale = THUMB_SIDE / max(rgb.size)
    size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
    small = rgb.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()


_WAYS: dict[str, Callable[[Path], bytes]] = {"ours": _ours, "naive": _naive}


def _status_kib(field_name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} in /proc/self/status")


def thumbnail_child(way: str, photo: str, warmup: str) -> None:
    """Runs in a fresh interpreter: the peak RSS one call of ``way`` adds, in MB, printed.
    Imports and Pillow's lazy set-up (plugins, codecs) happen on a small picture first, so
    the baseline has them."""
    from PIL import Image

    Image.init()
    work = _WAYS[way]
    work(Path(warmup))
    try:
        Path("/proc/self/clear_refs").write_text("5")  # the peak restarts from the RSS now
        baseline = _status_kib("VmRSS")
    except OSError:
        baseline = _status_kib("VmHWM")
    work(Path(photo))
    sys.stdout.write(str((_status_kib("VmHWM") - baseline) * 1024 / MB))


def _added_mb(way: str, photo: Path, warmup: Path) -> float:
    code = (
        "from bench.media import thumbnail_child; "
        f"thumbnail_child({way!r}, {str(photo)!r}, {str(warmup)!r})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def _median_ms(photo: Path) -> tuple[dict[str, float], dict[str, tuple[int, int]]]:
    """Each way's median wall time, the two taking turns so that a change in the machine's
    load falls on both; and the size of the WebP each made."""
    from PIL import Image

    seconds: dict[str, list[float]] = {way: [] for way in _WAYS}
    sizes = {}
    for way, work in _WAYS.items():
        with Image.open(io.BytesIO(work(photo))) as made:  # warm up, and check the output
            sizes[way] = made.size if made.format == "WEBP" else (0, 0)
    for _ in range(RUNS):
        for way, work in _WAYS.items():
            began = time.perf_counter()
            work(photo)
            seconds[way].append(time.perf_counter() - began)
    return {way: statistics.median(s) * 1000 for way, s in seconds.items()}, sizes


def _thumbnails() -> str:
    width, height = PHOTO_SIZE
    photo = _cached(f"photo-{width}x{height}-q{PHOTO_QUALITY}-grain40.jpg", _make_photo)
    warmup = _cached(f"warmup-q{PHOTO_QUALITY}.jpg", _make_warmup)
    added = {way: _added_mb(way, photo, warmup) for way in _WAYS}
    ms, sizes = _median_ms(photo)
    speedup = ms["naive"] / ms["ours"]
    memory = added["ours"] / added["naive"]
    rows = [
        ["images.thumbnails: draft, thumbnail (ours)", f"{ms['ours']:.0f}"]
        + [f"{added['ours']:.1f}", "", ""],
        ["open, convert, resize (naive)", f"{ms['naive']:.0f}", f"{added['naive']:.1f}", "", ""],
        ["time naive/ours", f"{speedup:.1f}×", "", f"≥ {TIME_TARGET:g}×"]
        + [_verdict(speedup >= TIME_TARGET)],
        ["memory ours/naive", "", f"{memory:.3f}", f"≤ {MEMORY_TARGET}"]
        + [_verdict(memory <= MEMORY_TARGET)],
    ]
    title = (
        f"(a) {THUMB_SIDE} px WebP of a {width * height / 1e6:.0f} MP JPEG"
        f" ({photo.stat().st_size / MB:.1f} MB, q{PHOTO_QUALITY}); ms: median of {RUNS},"
        " taking turns; peak memory: the first call in a fresh process"
    )
    table = render(title, ["way", "ms", "added peak MB", "target", "result"], rows)
    made = ", ".join(f"{way} {w}x{h}" for way, (w, h) in sizes.items())
    return f"{table}\nWebPs made (both Lanczos, quality 80): {made}"


# (b) poster frames --------------------------------------------------------------------------


def _ffmpeg() -> str:
    from chalicelib.media import video

    return video.binary()


def _make_video(path: Path) -> None:
    """testsrc2 with a little temporal noise, MPEG-4 part 2 at -q:v 2, index first."""
    width, height = VIDEO_SIZE
    source = f"testsrc2=size={width}x{height}:rate={VIDEO_FPS}:duration={VIDEO_SECONDS}"
    command = [
        _ffmpeg(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        source,
        "-vf",
        "noise=alls=2:allf=t",
        "-c:v",
        "mpeg4",
        "-q:v",
        "2",
        "-g",
        str(VIDEO_GOP),
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "-y",
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True)
    if path.stat().st_size < VIDEO_MIN_BYTES:
        size = path.stat().st_size
        path.unlink()
        raise RuntimeError(
            f"the test video came out at {size / MB:.0f} MB, under {VIDEO_MIN_BYTES / MB:.0f} MB:"
            " raise BENCH_VIDEO_SECONDS"
        )


@dataclass
class Seen:
    """What the proxy passed on, per request: its Range header ("" for none) and the body
    bytes the client's socket took."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, int]] = field(default_factory=list)

    def add(self, range_: str, sent: int) -> None:
        with self.lock:
            self.requests.append((range_, sent))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    upstream: tuple[str, int]
    seen: Seen


class _Forward(BaseHTTPRequestHandler):
    """GET only, Range passed on, the body streamed back in 64 KiB chunks and counted as it
    is handed to the socket; a client that hangs up ends the upstream read too."""

    protocol_version = "HTTP/1.1"
    _PASSED = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges", "ETag")

    def setup(self) -> None:
        # Left to itself, the kernel grows a loopback socket's send buffer to 4 MB, which
        # swallows bytes the client never reads; then "sent" would count them too.
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        super().setup()

    def do_GET(self) -> None:
        server = cast(_ProxyServer, self.server)
        range_ = self.headers.get("Range", "")
        upstream = http.client.HTTPConnection(*server.upstream, timeout=60)
        sent = 0
        try:
            upstream.request("GET", self.path, headers={"Range": range_} if range_ else {})
            reply = upstream.getresponse()
            self.send_response(reply.status)
            for name in self._PASSED:
                value = reply.getheader(name)
                if value is not None:
                    self.send_header(name, value)
            if reply.getheader("Content-Length") is None:
                self.close_connection = True
            self.end_headers()
            while chunk := reply.read(CHUNK):
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            upstream.close()
            server.seen.add(range_, sent)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def _s3_behind_proxy() -> Iterator[tuple[str, str, Seen]]:
    """moto's server, and the counting proxy in front of it: (moto's URL, the proxy's URL,
    what the proxy saw)."""
    from moto.server import ThreadedMotoServer

    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    werkzeug = logging.getLogger("werkzeug")  # moto's server logs every request otherwise
    level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    proxy = _ProxyServer(("127.0.0.1", 0), _Forward)
    proxy.upstream = moto.get_host_and_port()
    proxy.seen = Seen()
    try:
        host, port = proxy.upstream
        with _serving(proxy) as proxy_url:
            yield f"http://{host}:{port}", proxy_url, proxy.seen
    finally:
        moto.stop()
        werkzeug.setLevel(level)
        os.environ.clear()
        os.environ.update(saved)


def _naive_poster(url: str, scratch: Path) -> tuple[bytes, float]:
    """The seed project's way (moviepy's): download the object, read its duration from
    ``ffmpeg -i``, then take the frame at 10 % from the file. The frame, and the seconds the
    download took."""
    import requests

    local = scratch / "download.mp4"
    began = time.perf_counter()
    with requests.get(url, stream=True, timeout=300) as reply, local.open("wb") as out:
        reply.raise_for_status()
        for block in reply.iter_content(1024 * 1024):
            out.write(block)
    download_s = time.perf_counter() - began
    info = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostdin", "-i", str(local)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = _DURATION.search(info.stderr)
    if found is None:
        raise RuntimeError("ffmpeg reported no duration for the downloaded video")
    hours, minutes, seconds = found.groups()
    at = (int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 0.10
    frame = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-ss", f"{at:.3f}"]
        + ["-i", str(local), "-frames:v", "1", "-f", "image2", "-vcodec", "png", "pipe:"],
        capture_output=True,
        check=True,
    )
    return frame.stdout, download_s


def _png_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image

    if not data.startswith(_PNG):
        return None
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        return image.size if image.format == "PNG" else None


def _totals(requests: list[tuple[str, int]]) -> tuple[int, int]:
    """Bytes sent and range requests made."""
    return sum(sent for _, sent in requests), sum(1 for range_, _ in requests if range_)


def _dimensions(size: tuple[int, int] | None) -> str:
    return f"PNG {size[0]}x{size[1]}" if size else "not a PNG"


def _posters() -> str:
    import boto3
    from botocore.config import Config

    from chalicelib.media import video

    clip = _cached(VIDEO_NAME, _make_video)
    size = clip.stat().st_size
    with _s3_behind_proxy() as (moto_url, proxy_url, seen):
        s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(clip), BUCKET, "clip.mp4")
        signer = boto3.client(
            "s3",
            endpoint_url=proxy_url,
            region_name="us-east-1",
            config=Config(signature_version="s3v4"),  # as the app signs
        )
        url = signer.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": "clip.mp4"}, ExpiresIn=900
        )

        began = time.perf_counter()
        facts = video.probe(url)
        ours_png = video.poster(url, facts)
        ours_s = time.perf_counter() - began
        ours_seen = seen.take()

        with tempfile.TemporaryDirectory(prefix="bench-media-") as scratch:
            began = time.perf_counter()
            naive_png, download_s = _naive_poster(url, Path(scratch))
            naive_s = time.perf_counter() - began
        naive_seen = seen.take()

    rows: list[Sequence[object]] = []
    for label, seconds, requests in (
        ("probe + poster from the presigned URL (ours)", ours_s, ours_seen),
        ("download, then ffmpeg on the file (naive)", naive_s, naive_seen),
    ):
        read, ranges = _totals(requests)
        rows.append(
            [label, f"{seconds:.2f}", f"{read / MB:.2f}", f"{read / size:.2%}"]
            + [len(requests), ranges]
        )
    ours_read, ours_ranges = _totals(ours_seen)
    bytes_ok = ours_read <= BYTES_TARGET * size
    rows.append(
        ["targets (ours)", "", "", f"≤ {BYTES_TARGET:.0%}: {_verdict(bytes_ok)}", ""]
        + [f"≤ {RANGES_TARGET}: {_verdict(ours_ranges <= RANGES_TARGET)}"]
    )
    width, height = VIDEO_SIZE
    title = (
        f"(b) poster frame of a {size / MB:.0f} MB video ({width}x{height}, {VIDEO_SECONDS} s,"
        f" keyframe every {VIDEO_GOP / VIDEO_FPS:g} s) behind a presigned GET to moto; one run"
    )
    table = render(
        title,
        ["way", "seconds", "MB from S3", "of the object", "requests", "range requests"],
        rows,
    )
    got = _png_size(ours_png)
    trail = "; ".join(f"{range_ or 'no Range'} → {sent / MB:.2f} MB" for range_, sent in ours_seen)
    notes = [
        f"ours' requests, as the proxy saw them: {trail}",
        f"poster: {_dimensions(got)} (expected {width}x{height}):"
        f" {_verdict(got == (width, height))}; naive's frame: {_dimensions(_png_size(naive_png))};"
        f" probed: {facts.width}x{facts.height}, {facts.duration_s} s",
        f"seconds are over loopback, where the naive download ran at"
        f" {size / MB / download_s:.0f} MB/s ({download_s:.2f} s)",
    ]
    return "\n".join([table, *notes])


def run() -> str:
    return "\n\n".join([_thumbnails(), _posters()])


if __name__ == "__main__":
    sys.stdout.write(run() + "\n")
