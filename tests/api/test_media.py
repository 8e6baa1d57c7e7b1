"""Thumbnails of pictures from S3 events: the upload lands in the bucket, the bucket's
notification puts the event on the media queue (moto delivers it, as S3 would), and the app's
own ``media`` function is invoked with what the queue holds, as Lambda's SQS integration does.

Videos need ffmpeg to read an HTTP URL, so they are tested against the local stack
(tests/live/test_media_live.py); the picture code itself in tests/media/test_images.py.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image

from chalicelib import storage
from chalicelib.models import media
from tests import files
from tests.drives import Drive, drain, dynamodb, media_queue, table

SHARED_STACK = True  # see tests/conftest.py: module_stack


def queued() -> list[dict[str, Any]]:
    """Take every message off the media queue."""
    return drain(media_queue())


def invoke(app_client: Any, bodies: list[str]) -> None:
    """The media function, one message per invocation (its batch size)."""
    for body in bodies:
        event = app_client.events.generate_sqs_event([body], queue_name="test-media-events")
        app_client.lambda_.invoke("media", event)


def deliver(app_client: Any) -> list[str]:
    """Hand whatever the queue holds to the media function; returns the message bodies."""
    bodies = [m["Body"] for m in queued()]
    invoke(app_client, bodies)
    return bodies


def event_of(drive: Drive, file_id: str) -> str:
    return json.dumps(
        {
            "Records": [
                {
                    "eventName": "ObjectCreated:Put",
                    "s3": {"object": {"key": storage.file_key(drive.user.id, file_id)}},
                }
            ]
        }
    )


def jpeg(width: int = 800, height: int = 600, *, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), "red")
    image.paste("blue", (width // 2, 0, width, height))
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def thumb_keys(drive: Drive, file_id: str) -> list[str]:
    return [storage.thumb_key(drive.user.id, file_id, side) for side in storage.THUMB_SIDES]


def stored(key: str) -> bytes | None:
    try:
        return files.s3().get_object(Bucket=files.bucket(), Key=key)["Body"].read()
    except files.s3().exceptions.NoSuchKey:
        return None


def node_row(node_id: str) -> dict[str, Any]:
    item = dynamodb().get_item(
        TableName=table("nodes"), Key={"node_id": {"S": node_id}}, ConsistentRead=True
    )
    return item.get("Item", {})


@pytest.fixture
def photo(drive: Drive, app_client: Any) -> dict[str, Any]:
    """A JPEG uploaded and its event delivered: its thumbnails are made."""
    queued()  # what earlier tests left
    node = drive.upload("photo.jpg", jpeg(), content_type="image/jpeg")
    assert node["thumbnail"] == {"status": "pending"}
    deliver(app_client)
    return drive.node(node["id"])


def test_a_photo_gets_two_webp_thumbnails_and_its_size_recorded(drive, photo):
    assert photo["thumbnail"]["status"] == "ready"
    assert photo["media"] == {"width": 800, "height": 600}
    assert (photo["thumbnail"]["width"], photo["thumbnail"]["height"]) == (256, 192)
    for field, side in (("url", 256), ("preview_url", 1280)):
        reply = requests.get(photo["thumbnail"][field], timeout=30)
        assert reply.status_code == 200
        with Image.open(io.BytesIO(reply.content)) as image:
            assert image.format == "WEBP"
            assert image.size == ((256, 192) if side == 256 else (800, 600))


def test_thumbnail_urls_name_their_type_and_disposition(photo):
    # Every GET we sign says what S3 answers with, not what the object holds.
    for field in ("url", "preview_url"):
        url = photo["thumbnail"][field]
        query = parse_qs(urlsplit(url).query)
        assert query["response-content-type"] == ["image/webp"], query
        assert query["response-content-disposition"] == ["inline"], query
        reply = requests.get(url, timeout=30)
        assert reply.headers["Content-Type"] == "image/webp"
        assert reply.headers["Content-Disposition"] == "inline"


def test_listings_carry_the_thumbnail_urls(drive, photo):
    items = drive.folder(photo["parent_id"])["items"]
    (listed,) = [i for i in items if i["id"] == photo["id"]]
    assert listed["thumbnail"]["status"] == "ready"
    assert requests.get(listed["thumbnail"]["url"], timeout=30).status_code == 200


def test_the_same_event_twice_writes_the_thumbnails_once(drive, photo, app_client):
    # Take the thumbnails away: a second run would write them again.
    files.s3().delete_objects(
        Bucket=files.bucket(),
        Delete={"Objects": [{"Key": k} for k in thumb_keys(drive, photo["id"])]},
    )

    invoke(app_client, [event_of(drive, photo["id"])])

    assert all(stored(k) is None for k in thumb_keys(drive, photo["id"]))
    assert drive.node(photo["id"])["thumbnail"]["status"] == "ready"


def test_an_event_for_a_key_that_no_longer_exists_does_nothing(drive, photo, app_client):
    drive.trash(photo["id"])
    assert drive.client.delete(f"/trash/{photo['id']}").status == 204
    assert all(stored(k) is None for k in thumb_keys(drive, photo["id"]))

    invoke(app_client, [event_of(drive, photo["id"])])

    assert all(stored(k) is None for k in thumb_keys(drive, photo["id"]))
    assert node_row(photo["id"]) == {}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not json", id="not-json"),
        pytest.param(
            json.dumps({"Event": "s3:TestEvent", "Service": "Amazon S3"}), id="test-event"
        ),
        pytest.param(
            json.dumps({"Records": [{"eventName": "ObjectRemoved:Delete"}]}), id="removed"
        ),
        pytest.param(
            json.dumps({"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {}}}]}),
            id="no-key",
        ),
        pytest.param(
            json.dumps(
                {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "x"}}}]}
            ),
            id="not-a-file-key",
        ),
    ],
)
def test_messages_that_are_not_file_events_are_dropped(app_client, body):
    invoke(app_client, [body])  # returns: the message is not retried for ever


@pytest.mark.parametrize(
    ("name", "data", "content_type", "reason"),
    [
        pytest.param(
            "notes.jpg", b"just some text\n" * 50, "image/jpeg", "not a picture", id="text-as-jpg"
        ),
        pytest.param(
            "cut.jpg", jpeg(1200, 900)[:3000], "image/jpeg", "damaged", id="truncated-jpeg"
        ),
    ],
)
def test_a_corrupt_file_is_marked_failed_once_and_not_retried(
    drive, app_client, name, data, content_type, reason
):
    queued()
    node = drive.upload(name, data, content_type=content_type)

    deliver(app_client)
    failed = drive.node(node["id"])["thumbnail"]
    invoke(app_client, [event_of(drive, node["id"])])

    assert failed["status"] == "failed"
    assert reason in failed["reason"]
    assert drive.node(node["id"])["thumbnail"] == failed
    assert all(stored(k) is None for k in thumb_keys(drive, node["id"]))
    assert drive.node(node["id"])["size"] == len(data)  # the file itself is untouched
    drive.check()


def test_what_is_not_a_picture_or_a_video_has_no_thumbnail(drive, app_client):
    queued()
    node = drive.upload("paper.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    deliver(app_client)

    assert drive.node(node["id"])["thumbnail"] == {"status": "none"}
    assert all(stored(k) is None for k in thumb_keys(drive, node["id"]))


def test_a_file_that_keeps_killing_the_function_is_failed_after_three_tries(drive, app_client):
    queued()
    node = drive.upload("photo.jpg", jpeg(), content_type="image/jpeg")
    queued()
    # Three claims were taken and abandoned (the function died each time, long ago).
    set_thumbnail(
        node["id"], {"status": {"S": "pending"}, "claimed_at": {"N": "1000"}, "tries": {"N": "3"}}
    )

    invoke(app_client, [event_of(drive, node["id"])])

    thumbnail = drive.node(node["id"])["thumbnail"]
    assert thumbnail == {"status": "failed", "reason": "Gave up after 3 tries."}


def test_a_live_claim_of_another_delivery_is_left_to_it(drive, app_client):
    queued()
    node = drive.upload("photo.jpg", jpeg(), content_type="image/jpeg")
    queued()
    held = media.claim(media_node(node["id"]))
    assert held is not None

    invoke(app_client, [event_of(drive, node["id"])])

    assert drive.node(node["id"])["thumbnail"]["status"] == "pending"
    assert all(stored(k) is None for k in thumb_keys(drive, node["id"]))


def set_thumbnail(node_id: str, state: dict[str, Any]) -> None:
    """Put a thumbnail state straight in the table (what a past run left)."""
    dynamodb().update_item(
        TableName=table("nodes"),
        Key={"node_id": {"S": node_id}},
        UpdateExpression="SET thumbnail = :t",
        ExpressionAttributeValues={":t": {"M": state}},
    )


def media_node(node_id: str) -> Any:
    from chalicelib.models import nodes

    found = nodes.get(node_id)
    assert found is not None
    return found


def test_operators_requeue_failed_thumbnails_and_they_are_made_again(drive, app_client):
    from chalicelib.services import media as media_service

    queued()
    node = drive.upload("photo.jpg", jpeg(), content_type="image/jpeg")
    queued()
    set_thumbnail(node["id"], {"status": {"S": "failed"}, "reason": {"S": "a passing outage"}})

    assert media_service.requeue_failed() >= 1
    bodies = deliver(app_client)

    keys = [json.loads(b)["Records"][0]["s3"]["object"]["key"] for b in bodies]
    assert storage.file_key(drive.user.id, node["id"]) in keys
    assert drive.node(node["id"])["thumbnail"]["status"] == "ready"


def test_deleting_a_file_for_good_deletes_its_thumbnails(drive, photo):
    assert all(stored(k) for k in thumb_keys(drive, photo["id"]))

    drive.trash(photo["id"])
    assert all(stored(k) for k in thumb_keys(drive, photo["id"]))  # the trash keeps them
    assert drive.client.delete(f"/trash/{photo['id']}").status == 204

    assert all(stored(k) is None for k in thumb_keys(drive, photo["id"]))
    drive.check()


def test_the_bytes_of_an_upload_make_no_object_nor_thumbnail_before_it_completes(drive, app_client):
    queued()
    data = jpeg()
    started = files.start(drive.client, drive.home, "photo.jpg", len(data), "image/jpeg")
    assert started.status == 201
    files.put_parts(drive.client, started.json, data)  # part 1 of its multipart upload
    upload_id = started.json["upload_id"]

    assert deliver(app_client) == []  # no object yet, so no event

    assert all(stored(k) is None for k in thumb_keys(drive, upload_id))
    assert storage.file_key(drive.user.id, upload_id) not in files.object_keys(drive.user.id)
    assert drive.client.delete(f"/uploads/{upload_id}").status == 204
    assert storage.file_key(drive.user.id, upload_id) not in files.object_keys(drive.user.id)
    drive.check()


def test_an_exif_rotated_photo_is_recorded_upright(drive, app_client):
    queued()
    node = drive.upload("phone.jpg", jpeg(800, 600, orientation=6), content_type="image/jpeg")
    deliver(app_client)

    shown = drive.node(node["id"])
    assert shown["media"] == {"width": 600, "height": 800}
    assert (shown["thumbnail"]["width"], shown["thumbnail"]["height"]) == (192, 256)
    with Image.open(io.BytesIO(requests.get(shown["thumbnail"]["url"], timeout=30).content)) as im:
        rgb = im.convert("RGB")
        top, bottom = rgb.getpixel((96, 20)), rgb.getpixel((96, 236))
    # Orientation 6 turns the picture a quarter clockwise: the red left half ends on top.
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_each_file_handled_is_one_json_log_line_with_its_outcome(drive, app_client, caplog):
    queued()
    node = drive.upload("photo.jpg", jpeg(), content_type="image/jpeg")
    deliver(app_client)
    caplog.clear()

    invoke(app_client, [event_of(drive, node["id"]), "not json"])

    lines = [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "teamdrive.events" and '"media"' in r.getMessage()
    ]
    assert [(line.get("node_id"), line["outcome"]) for line in lines] == [
        (node["id"], "skipped"),  # made already: the duplicate writes nothing
        (None, "dropped"),
    ]
    assert isinstance(lines[0]["duration_ms"], int)
