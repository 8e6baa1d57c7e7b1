"""A presigned URL never outlives the credentials that sign it (a Lambda role's expire)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import aws, storage


@pytest.fixture
def expiring_credentials(tmp_path, monkeypatch):
    """Credentials from a credential_process that says they expire in 40 minutes, as
    botocore reads a role's (RefreshableCredentials with an expiry)."""
    expiry = datetime.now(UTC) + timedelta(minutes=40)
    answer = {
        "Version": 1,
        "AccessKeyId": "AKIDEXAMPLE",
        "SecretAccessKey": "secret",
        "SessionToken": "token",
        "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    script = tmp_path / "creds.py"
    script.write_text(f"print({json.dumps(json.dumps(answer))})\n")
    config = tmp_path / "config"
    config.write_text(f"[default]\ncredential_process = {sys.executable} {script}\n")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    aws.reset_clients()
    yield expiry
    aws.reset_clients()


def test_a_url_is_cut_short_to_the_credentials_life(expiring_credentials):
    left = (expiring_credentials - datetime.now(UTC)).total_seconds()

    lifetime = storage.url_lifetime(3600)

    assert left - 120 <= lifetime <= left - 60


def test_a_url_keeps_its_own_life_when_the_credentials_outlive_it(expiring_credentials):
    assert storage.url_lifetime(600) == 600


def test_keys_that_never_expire_leave_the_life_alone(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    aws.reset_clients()
    try:
        assert aws.credentials_expiry() is None
        assert storage.url_lifetime(3600) == 3600
    finally:
        aws.reset_clients()
