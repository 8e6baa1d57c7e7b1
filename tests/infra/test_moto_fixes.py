"""The local runner's faster multipart assembly gives exactly what moto's own gives."""

from __future__ import annotations

import os

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.exceptions import InvalidPart
from moto.s3.models import FakeMultipart, s3_backends

from infra.local import moto_fixes

MIB = 1024 * 1024


@pytest.fixture
def multipart(settings_env):
    moto_fixes.apply()
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="fixes")
        upload_id = s3.create_multipart_upload(Bucket="fixes", Key="k")["UploadId"]
        parts = []
        for number, size in ((1, 5 * MIB), (2, 5 * MIB), (3, 123)):
            etag = s3.upload_part(
                Bucket="fixes",
                Key="k",
                UploadId=upload_id,
                PartNumber=number,
                Body=os.urandom(size),
            )["ETag"]
            parts.append((number, etag))
        backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
        yield backend.buckets["fixes"].multiparts[upload_id], parts


def test_the_joined_object_etag_and_checksum_equal_motos_own(multipart):
    upload, parts = multipart

    fast = FakeMultipart.complete(upload, iter(parts))
    slow = FakeMultipart.complete_unpatched(upload, iter(parts))

    assert fast == slow
    assert len(fast[0]) == 10 * MIB + 123


@pytest.mark.parametrize("patched", [True, False], ids=["fast", "moto"])
def test_a_wrong_etag_is_refused_the_same_way(multipart, patched):
    upload, parts = multipart
    complete = FakeMultipart.complete if patched else FakeMultipart.complete_unpatched

    with pytest.raises(InvalidPart):
        complete(upload, iter([(1, parts[0][1]), (2, '"0000"')]))


@pytest.mark.parametrize("end", ["complete", "abort"])
def test_a_part_sent_to_an_ended_upload_is_no_such_upload(multipart, end):
    upload, parts = multipart
    s3 = boto3.client("s3", region_name="us-east-1")
    if end == "complete":
        joined = [{"PartNumber": n, "ETag": e} for n, e in parts]
        s3.complete_multipart_upload(
            Bucket="fixes", Key="k", UploadId=upload.id, MultipartUpload={"Parts": joined}
        )
    else:
        s3.abort_multipart_upload(Bucket="fixes", Key="k", UploadId=upload.id)

    with pytest.raises(s3.exceptions.NoSuchUpload):
        s3.upload_part(Bucket="fixes", Key="k", UploadId=upload.id, PartNumber=1, Body=b"x")
