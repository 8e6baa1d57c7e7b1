"""Rotating the signing key (the README's runbook) signs nobody out: the secret holds the old
key beside the new current one until the old key's tokens have expired."""

from __future__ import annotations

import json

import boto3
import jwt
import pytest

from chalicelib.errors import ConfigError, Unauthenticated
from chalicelib.services import sessions, signing

SECRET_ID = "teamdrive/test/signing-key"


def _rotate(update) -> None:
    manager = boto3.client("secretsmanager")
    keys = json.loads(manager.get_secret_value(SecretId=SECRET_ID)["SecretString"])
    update(keys)
    manager.put_secret_value(SecretId=SECRET_ID, SecretString=json.dumps(keys))
    signing.reset_cache()  # a container that reads the secret after the change


def _token() -> str:
    return sessions.issue_access("user-1", version=0, family_id="family-1")


def test_a_new_current_key_signs_while_the_old_one_still_verifies(stack) -> None:
    before = _token()
    _rotate(lambda keys: keys.update({"k2": "n" * 64, "current": "k2"}))
    after = _token()
    assert jwt.get_unverified_header(before)["kid"] == "k1"
    assert jwt.get_unverified_header(after)["kid"] == "k2"
    assert sessions.decode_access(before)["sub"] == "user-1"
    assert sessions.decode_access(after)["sub"] == "user-1"


def test_removing_the_old_key_ends_only_its_tokens(stack) -> None:
    before = _token()
    _rotate(lambda keys: keys.update({"k2": "n" * 64, "current": "k2"}))
    after = _token()
    _rotate(lambda keys: keys.pop("k1"))
    with pytest.raises(Unauthenticated):
        sessions.decode_access(before)
    assert sessions.decode_access(after)["sub"] == "user-1"


def test_a_secret_whose_current_key_is_missing_is_refused() -> None:
    with pytest.raises(ConfigError, match="current key"):
        signing.parse_secret(json.dumps({"current": "k2", "k1": "o" * 64}))
