"""boto3 clients, made on first use and cached per container.

Local mode and tests point them at moto through ``AWS_ENDPOINT_URL``, which boto3 honours,
so no code here knows whether it is local.
"""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_session: Any = None
_lock = threading.Lock()


def client(service: str) -> Any:
    """The cached boto3 client for ``service``, in botocore's region (``AWS_DEFAULT_REGION``,
    which Lambda sets), the one PynamoDB's connections use too."""
    found = _clients.get(service)
    if found is not None:
        return found
    global _session
    with _lock:
        if service not in _clients:
            if _session is None:
                import boto3  # deferred: a cold start that never talks to AWS does not pay

                # One session for every client: it loads each service's model only once.
                _session = boto3.session.Session()
            _clients[service] = _session.client(service)
        return _clients[service]


def reset_clients() -> None:
    """Forget every client (tests switch endpoints between runs)."""
    global _session
    with _lock:
        _clients.clear()
        _session = None
