"""boto3 clients, made on first use and cached per container.

Local mode and tests point them at moto through ``AWS_ENDPOINT_URL``, which boto3 honours,
so no code here knows whether it is local.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

_clients: dict[str, Any] = {}
_session: Any = None
_lock = threading.Lock()


def _get_session() -> Any:
    global _session
    if _session is None:
        import boto3  # deferred: a cold start that never talks to AWS does not pay

        # One session for every client: it loads each service's model only once.
        _session = boto3.session.Session()
    return _session


def _config(service: str) -> Any:
    if service != "s3":
        return None
    from botocore.config import Config

    # Signature V4 signs Content-Length into a presigned part URL, so S3 itself refuses a
    # part bigger than the one we cut.
    return Config(signature_version="s3v4")


def client(service: str) -> Any:
    """The cached boto3 client for ``service``, in botocore's region (``AWS_DEFAULT_REGION``,
    which Lambda sets), the one PynamoDB's connections use too."""
    found = _clients.get(service)
    if found is not None:
        return found
    with _lock:
        if service not in _clients:
            _clients[service] = _get_session().client(service, config=_config(service))
        return _clients[service]


def credentials_expiry() -> datetime | None:
    """When the credentials that sign URLs expire, or None if they do not (an IAM user's
    keys). A presigned URL dies with the credentials that signed it."""
    with _lock:
        creds = _get_session().get_credentials()
    # RefreshableCredentials (a Lambda role) keep their expiry here; botocore offers no public
    # accessor for it.
    expiry = getattr(creds, "_expiry_time", None)
    return expiry if isinstance(expiry, datetime) else None


def reset_clients() -> None:
    """Forget every client (tests switch endpoints between runs)."""
    global _session
    with _lock:
        _clients.clear()
        _session = None
