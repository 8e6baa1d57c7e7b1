"""boto3 clients, made on first use and cached per container.

Local mode and tests point them at moto through ``AWS_ENDPOINT_URL``, which boto3 honours,
so no code here knows whether it is local.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import get_settings

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    """The cached boto3 client for ``service`` in the configured region."""
    found = _clients.get(service)
    if found is not None:
        return found
    with _lock:
        if service not in _clients:
            import boto3  # deferred: a cold start that never talks to AWS does not pay for it

            session: Any = boto3.session.Session()
            _clients[service] = session.client(service, region_name=get_settings().region)
        return _clients[service]


def reset_clients() -> None:
    """Forget every client (tests switch endpoints between runs)."""
    with _lock:
        _clients.clear()
