"""Liveness: answers without auth, in AWS and locally."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import __version__
from chalicelib.api.http import json_response, route

bp = Blueprint(__name__)


@route(bp, "/health", methods=["GET"])
def health() -> Any:
    return json_response({"status": "ok", "version": __version__})
