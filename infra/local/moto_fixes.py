"""Three fixes to moto, applied by the local runner (moto 5.2's behaviour otherwise).

DynamoDB: moto's server answers requests in parallel threads, but its TransactWriteItems is
not atomic: it copies each table it touches, applies the items one by one and, when a
condition fails, puts the whole copy back, wiping what other threads wrote meanwhile (and its
copy can meet another thread's write half-way). DynamoDB serialises conflicting transactions;
here moto's DynamoDB answers one request at a time. Our threads still race between calls,
which is what the concurrency tests exercise.

S3: moto assembles a completed multipart upload by growing two ``bytearray``s part by part and
copying each into ``bytes`` again (four copies of the object in Python, ~20 s for 1 GiB here),
where S3 does it on its side. This joins the parts once and checksums the result, giving the
same object, ETag and checksum (tests/infra/test_moto_fixes.py compares the two).

S3: a part sent to an upload that was completed or aborted is 404 NoSuchUpload, as S3 answers
it; moto's server answers 500 (a KeyError), which a client would take for a failure to retry.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Iterator
from typing import Any

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _serial_dynamodb()
    _single_copy_multipart()
    _no_such_upload()
    _applied = True


def _serial_dynamodb() -> None:
    from moto.dynamodb.responses import DynamoHandler

    lock = threading.RLock()
    call_action = DynamoHandler.call_action

    def one_at_a_time(self: Any) -> Any:
        with lock:
            return call_action(self)

    DynamoHandler.call_action = one_at_a_time


def _single_copy_multipart() -> None:
    from moto.s3 import models

    original = models.FakeMultipart.complete

    def complete(self: Any, body: Iterator[tuple[int, str]]) -> Any:
        builder = models.MultipartChecksumBuilder(
            self.metadata.get("x-amz-checksum-algorithm"),
            self.metadata.get("x-amz-checksum-type"),
        )
        if builder.checksum_type != "FULL_OBJECT":
            return original(self, body)  # composite checksums: per part, no copy to spare
        decode_hex = codecs.getdecoder("hex_codec")
        values: list[bytes] = []
        md5s = bytearray()
        last = None
        for number, etag in body:
            part = self.parts.get(number)
            if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
                raise models.InvalidPart()
            if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
                raise models.EntityTooSmall()
            md5s.extend(decode_hex(part.etag.replace('"', ""))[0])
            values.append(part.value)
            last = part
        if not values:
            raise models.MalformedXML()
        whole = b"".join(values)
        checksum = models.compute_checksum(whole, builder.checksum_algorithm).decode()
        full_etag = models.md5_hash()
        full_etag.update(bytes(md5s))
        return whole, f"{full_etag.hexdigest()}-{len(values)}", ("FULL_OBJECT", checksum, 1)

    models.FakeMultipart.complete = complete
    models.FakeMultipart.complete_unpatched = original


def _no_such_upload() -> None:
    from moto.s3 import models
    from moto.s3.exceptions import NoSuchUpload

    original = models.S3Backend.upload_part

    def upload_part(self: Any, bucket_name: str, multipart_id: str, *args: Any) -> Any:
        if multipart_id not in self.get_bucket(bucket_name).multiparts:
            raise NoSuchUpload(upload_id=multipart_id)
        return original(self, bucket_name, multipart_id, *args)

    models.S3Backend.upload_part = upload_part
