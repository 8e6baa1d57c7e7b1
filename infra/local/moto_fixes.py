"""A speed fix for moto's S3, applied by the local runner (moto 5.2's behaviour otherwise).

moto assembles a completed multipart upload by growing two ``bytearray``s part by part and
copying each into ``bytes`` again (four copies of the object in Python, ~20 s for 1 GiB here),
where S3 does it on its side. This joins the parts once and checksums the result, giving the
same object, ETag and checksum (tests/infra/test_moto_fixes.py compares the two).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
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
    _applied = True
