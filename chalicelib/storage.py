"""The files bucket: keys built from ids only, multipart bookkeeping and presigned URLs.

S3's error codes stop here. Bytes never pass through this code: browsers PUT parts to the
URLs it signs and GET files from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from chalicelib import aws, filetypes
from chalicelib.config import get_settings
from chalicelib.errors import InvalidRequest

# Seconds a URL keeps in hand before its credentials expire: time to send the request.
_CREDENTIAL_MARGIN_S = 60
# S3 lists at most 1,000 parts a page, and an upload has at most 10,000.
_PART_PAGES = 11


# Longest sides of the thumbnails the media function makes: a grid tile and a preview.
THUMB_SIDES = (256, 1280)
THUMB_CONTENT_TYPE = "image/webp"


def file_key(owner_id: str, file_id: str) -> str:
    return f"files/{owner_id}/{file_id}"


def thumb_key(owner_id: str, file_id: str, side: int) -> str:
    return f"thumbs/{owner_id}/{file_id}/{side}.webp"


def object_keys(owner_id: str, file_id: str) -> list[str]:
    """Every object a file may have: its bytes and its thumbnails."""
    return [file_key(owner_id, file_id), *(thumb_key(owner_id, file_id, s) for s in THUMB_SIDES)]


def parse_file_key(key: str) -> tuple[str, str] | None:
    """(owner id, file id) of a file's key, or None for any other key."""
    parts = key.split("/")
    if len(parts) == 3 and parts[0] == "files" and all(parts[1:]):
        return parts[1], parts[2]
    return None


def owner_prefixes(owner_id: str) -> tuple[str, str]:
    """Where an owner's files and their thumbnails are."""
    return f"files/{owner_id}/", f"thumbs/{owner_id}/"


def _s3() -> Any:
    return aws.client("s3")


def _bucket() -> str:
    return get_settings().files_bucket


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def url_lifetime(wanted_s: int) -> int:
    """``wanted_s``, cut short so the URL does not outlive the credentials that sign it."""
    expiry = aws.credentials_expiry()
    if expiry is None:
        return wanted_s
    left = int((expiry - datetime.now(UTC)).total_seconds()) - _CREDENTIAL_MARGIN_S
    return max(1, min(wanted_s, left))


def expires_at(lifetime_s: int) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=lifetime_s)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def start_multipart(key: str, content_type: str) -> str:
    """A multipart upload whose object S3 will store with the canonical ``content_type``."""
    kind = filetypes.canonical(content_type)
    reply = _s3().create_multipart_upload(Bucket=_bucket(), Key=key, ContentType=kind)
    return str(reply["UploadId"])


def sign_parts(
    key: str, upload_id: str, lengths: dict[int, int], *, lifetime_s: int
) -> dict[str, str]:
    """A URL per part number, each with that part's exact length signed into it."""
    s3, bucket = _s3(), _bucket()
    return {
        str(number): s3.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": bucket,
                "Key": key,
                "UploadId": upload_id,
                "PartNumber": number,
                "ContentLength": length,
            },
            ExpiresIn=lifetime_s,
        )
        for number, length in lengths.items()
    }


def list_parts(key: str, upload_id: str) -> list[dict[str, Any]] | None:
    """The parts S3 holds, in order (number, ETag, size, when it arrived), or None when the
    upload is no longer open there."""
    parts: list[dict[str, Any]] = []
    marker = 0
    for _ in range(_PART_PAGES):
        try:
            reply = _s3().list_parts(
                Bucket=_bucket(), Key=key, UploadId=upload_id, PartNumberMarker=marker
            )
        except Exception as exc:
            if _code(exc) == "NoSuchUpload":
                return None
            raise
        parts += [
            {
                "part_number": p["PartNumber"],
                "etag": p["ETag"],
                "size": p["Size"],
                "last_modified": p["LastModified"],
            }
            for p in reply.get("Parts", [])
        ]
        if not reply.get("IsTruncated"):
            return parts
        marker = int(reply["NextPartNumberMarker"])
    raise RuntimeError(f"S3 listed more than {_PART_PAGES} pages of parts of {key}")


def put_empty_part(key: str, upload_id: str) -> str:
    """Part 1 of a 0-byte file, sent by us: S3 completes no multipart upload without a part.
    Its ETag."""
    reply = _s3().upload_part(Bucket=_bucket(), Key=key, UploadId=upload_id, PartNumber=1, Body=b"")
    return str(reply["ETag"])


def complete_multipart(key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> bool:
    """Join the parts into the object; False when S3 has no such upload any more (completed
    or aborted already). A part list S3 refuses is InvalidRequest."""
    try:
        _s3().complete_multipart_upload(
            Bucket=_bucket(),
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in parts]},
        )
    except Exception as exc:
        code = _code(exc)
        if code == "NoSuchUpload":
            return False
        if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall"):
            raise InvalidRequest.fields(
                {"parts": f"do not match the parts uploaded (S3 says {code})"}
            ) from exc
        raise
    return True


def object_size(key: str) -> int | None:
    try:
        return int(_s3().head_object(Bucket=_bucket(), Key=key)["ContentLength"])
    except Exception as exc:
        if _code(exc) in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def abort(owner_id: str, file_id: str, upload_id: str | None) -> None:
    """Abort a file's open multipart upload (if any) and delete whatever objects it has (the
    joined object of a completion that lost its race, and its thumbnails)."""
    if upload_id:
        try:
            _s3().abort_multipart_upload(
                Bucket=_bucket(), Key=file_key(owner_id, file_id), UploadId=upload_id
            )
        except Exception as exc:
            if _code(exc) != "NoSuchUpload":
                raise
    delete(object_keys(owner_id, file_id))


def delete(keys: Iterable[str]) -> None:
    """Delete objects, a thousand per call; a key that is already gone is not an error."""
    pending = list(keys)
    for start in range(0, len(pending), 1000):
        chunk = pending[start : start + 1000]
        reply = _s3().delete_objects(
            Bucket=_bucket(), Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
        )
        if reply.get("Errors"):
            raise RuntimeError(f"S3 refused to delete {len(reply['Errors'])} objects")


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many."""
    removed = 0
    paginator = _s3().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=_bucket(), Prefix=prefix):
        keys = [item["Key"] for item in page.get("Contents", [])]
        delete(keys)
        removed += len(keys)
    return removed


def read(key: str, *, limit: int) -> bytes | None:
    """An object's bytes, or None when it is gone; more than ``limit`` bytes is ValueError."""
    try:
        reply = _s3().get_object(Bucket=_bucket(), Key=key)
    except Exception as exc:
        if _code(exc) in ("NoSuchKey", "404"):
            return None
        raise
    if int(reply["ContentLength"]) > limit:
        reply["Body"].close()
        raise ValueError(f"{key} holds more than {limit} bytes")
    return bytes(reply["Body"].read())


def write(key: str, body: bytes, *, content_type: str) -> None:
    """An object we make ourselves (thumbnails), with a content type we name."""
    _s3().put_object(Bucket=_bucket(), Key=key, Body=body, ContentType=content_type)


def content_disposition(name: str, *, inline: bool) -> str:
    """RFC 6266: a plain ASCII fallback and the real name in ``filename*`` (RFC 8187)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def sign_get(key: str, *, disposition: str, content_type: str, lifetime_s: int) -> str:
    """A GET whose answer's Content-Type and Content-Disposition are the ones given, not the
    object's own. S3 can override no other header: ``X-Content-Type-Options: nosniff`` cannot
    be added to a presigned GET, so what a browser may render is decided by the type named."""
    params = {
        "Bucket": _bucket(),
        "Key": key,
        "ResponseContentDisposition": disposition,
        "ResponseContentType": content_type,
    }
    return str(_s3().generate_presigned_url("get_object", Params=params, ExpiresIn=lifetime_s))


def sign_thumb(owner_id: str, file_id: str, side: int, *, lifetime_s: int) -> str:
    """A thumbnail (WebP we wrote), served inline as ``image/webp`` named in the
    URL, like every GET we sign."""
    return sign_get(
        thumb_key(owner_id, file_id, side),
        disposition="inline",
        content_type=THUMB_CONTENT_TYPE,
        lifetime_s=lifetime_s,
    )
