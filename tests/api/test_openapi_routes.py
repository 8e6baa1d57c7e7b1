"""openapi.yaml and the app's routes describe the same API, both ways."""

from pathlib import Path

import yaml

from app import app

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def documented() -> set[tuple[str, str]]:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return {
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }


def routed() -> set[tuple[str, str]]:
    return {(path, method) for path, methods in app.routes.items() for method in methods}


def test_every_route_is_documented():
    assert routed() - documented() == set()


def test_every_documented_operation_is_a_route():
    assert documented() - routed() == set()
