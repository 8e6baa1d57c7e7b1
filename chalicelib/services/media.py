"""The media function: S3 says a file landed; make its thumbnails and read its facts.

S3 (ObjectCreated under ``files/``) ─> SQS (dead letters after 3 receives) ─> ``handle``. The
work is claimed on the node first (chalicelib/models/media.py), so a duplicate or late event
does nothing, and settled on the node last, conditioned on that claim: thumbnails made for a
file deleted meanwhile are deleted again. Outputs go under ``thumbs/``, which the
notification does not match, so nothing loops.

Pictures are read whole (up to MEDIA_MAX_IMAGE_BYTES) and shrunk on decode; videos are never
downloaded: ffmpeg reads the ranges it needs from a presigned GET. Pillow and ffmpeg are
imported here only when needed: the API imports this module with the app and must not pay
for them at cold start.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_plus

from chalicelib import aws, filetypes, logs, queues, storage
from chalicelib.config import get_settings
from chalicelib.models import media, nodes
from chalicelib.models.nodes import NodeModel

# How long ffmpeg may take to read a video through its presigned URL.
_VIDEO_URL_S = 600


class Unusable(Exception):
    """The file is not something we make thumbnails of (damaged, hostile, too big); the
    thumbnail is marked failed with this reason and not tried again."""


def handle(bodies: Iterable[str]) -> None:
    """Each SQS message body: an S3 event (or S3's test event, which carries no records).
    Each file handled is one ``event: "media"`` log line: its ``outcome`` (what ``process``
    returns, or ``error`` for a fault that the queue's next delivery retries) and how long it
    took."""
    for body in bodies:
        for key in _created_keys(body):
            started = time.monotonic()
            ids = storage.parse_file_key(key)
            node_id = ids[1] if ids else None
            try:
                outcome = process(key)
            except Exception as exc:
                logs.record(
                    "media", level=logging.ERROR, node_id=node_id, outcome="error",
                    error=type(exc).__name__, duration_ms=_since(started),
                )  # fmt: skip
                raise
            logs.record("media", node_id=node_id, outcome=outcome, duration_ms=_since(started))


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _created_keys(body: str) -> list[str]:
    try:
        event = json.loads(body)
    except ValueError:
        logs.record("media", level=logging.WARNING, outcome="dropped", reason="not JSON")
        return []
    records = event.get("Records", []) if isinstance(event, dict) else []
    return [
        unquote_plus(r["s3"]["object"]["key"])
        for r in records
        if isinstance(r, dict)
        and str(r.get("eventName", "")).startswith("ObjectCreated")
        and isinstance(r.get("s3", {}).get("object", {}).get("key"), str)
    ]


def process(key: str) -> str:
    """Make the thumbnails of the file at ``key`` if they are still to be made. Returns what
    happened (for logs and tests): skipped, ready, failed or gone."""
    ids = storage.parse_file_key(key)
    node = nodes.get(ids[1]) if ids else None
    if ids is None or node is None or node.owner_id != ids[0] or node.is_folder:
        return "skipped"  # not a file's key, or deleted since: nothing to make
    held = media.claim(node)
    if held is None:
        return "skipped"  # made already, being made, not media, or not ours to make
    if held.tries > media.MAX_TRIES:
        media.failed(held, f"Gave up after {media.MAX_TRIES} tries.")
        return "failed"
    try:
        made = _make(node)
    except Unusable as exc:
        media.failed(held, str(exc))
        logs.record("media_unusable", node_id=node.node_id, reason=str(exc))
        return "failed"
    except Exception:
        media.let_go(held)  # a passing fault: the next delivery tries again at once
        raise
    if made is None:
        media.let_go(held)
        return "gone"  # the object went away (an aborted upload): nothing to show
    if not media.ready(held, **made):
        # Deleted (or requeued) while we worked: take back what we wrote.
        storage.delete(storage.object_keys(node.owner_id, node.node_id)[1:])
        return "gone"
    return "ready"


def _make(node: NodeModel) -> dict[str, Any] | None:
    """Write the thumbnails; what ``media.ready`` records, or None when the object is gone."""
    kind = filetypes.thumbnailed(node.content_type)
    if kind == "picture":
        return _picture(node)
    if kind == "video":
        return _video(node)
    raise Unusable("Not a picture or a video.")


def _write(node: NodeModel, webp: dict[int, bytes]) -> None:
    for side, body in webp.items():
        storage.write(
            storage.thumb_key(node.owner_id, node.node_id, side),
            body,
            content_type=storage.THUMB_CONTENT_TYPE,
        )


def _picture(node: NodeModel) -> dict[str, Any] | None:
    from chalicelib.media import images

    settings = get_settings()
    try:
        data = storage.read(
            storage.file_key(node.owner_id, node.node_id), limit=settings.media_max_image_bytes
        )
    except ValueError as exc:
        raise Unusable("The picture is too large to make a thumbnail of.") from exc
    if data is None:
        return None
    try:
        made = images.thumbnails(
            io.BytesIO(data), sides=storage.THUMB_SIDES, max_pixels=settings.media_max_pixels
        )
    except images.Unreadable as exc:
        raise Unusable(str(exc)) from exc
    _write(node, made.webp)
    grid = made.sizes[min(made.sizes)]
    return {
        "width": grid[0],
        "height": grid[1],
        "media": {"width": made.width, "height": made.height},
    }


def _video(node: NodeModel) -> dict[str, Any] | None:
    from chalicelib.media import images, video

    key = storage.file_key(node.owner_id, node.node_id)
    if storage.object_size(key) is None:
        return None
    url = storage.sign_get(
        key,
        disposition="attachment",
        content_type="application/octet-stream",
        lifetime_s=storage.url_lifetime(_VIDEO_URL_S),
    )
    try:
        facts = video.probe(url)
        frame = video.poster(url, facts)
        made = images.thumbnails(
            io.BytesIO(frame), sides=storage.THUMB_SIDES, max_pixels=get_settings().media_max_pixels
        )
    except (video.Unplayable, images.Unreadable) as exc:
        raise Unusable(str(exc)) from exc
    _write(node, made.webp)
    grid = made.sizes[min(made.sizes)]
    facts_seen: dict[str, Any] = {"width": facts.width, "height": facts.height}
    if facts.duration_s is not None:
        facts_seen["duration_s"] = round(facts.duration_s, 3)
    if facts.rotation:
        facts_seen["rotation"] = facts.rotation
    return {"width": grid[0], "height": grid[1], "media": facts_seen}


def requeue_failed() -> int:
    """Make every failed thumbnail pending again and send its file's event once more (an
    operator's job). Returns how many."""
    queue_url = queues.media_queue_url()
    sent = 0
    for node in media.failed_files():
        if not media.requeue(node):
            continue
        key = storage.file_key(node.owner_id, node.node_id)
        aws.client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(event_for(key)))
        sent += 1
    return sent


def event_for(key: str) -> dict[str, Any]:
    """An S3 event as the notification sends it, for a file's key."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "bucket": {"name": get_settings().files_bucket},
                    "object": {"key": key},
                },
            }
        ]
    }
