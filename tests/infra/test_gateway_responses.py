"""API Gateway's own answers (unknown route, throttling, oversize, its 4xx/5xx) are in the
contract's error format: the merge template that `chalice package` takes says so."""

import json
import re
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "api-gateway.yaml"


def responses() -> dict[str, dict]:
    resources = yaml.safe_load(TEMPLATE.read_text())["Resources"]
    return {r["Properties"]["ResponseType"]: r["Properties"] for r in resources.values()}


def rendered(template: str) -> dict:
    """The body API Gateway would send, with its variables filled in as it fills them."""
    filled = template.replace("$context.error.messageString", '"Missing thing"')
    return json.loads(re.sub(r"\$context\.\w+", "req-1", filled))


def test_an_unknown_route_is_the_contracts_404():
    missing = responses()["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    body = rendered(missing["ResponseTemplates"]["application/json"])
    assert body["error"]["code"] == "not_found"


def test_every_gateway_answer_is_a_contract_error_body():
    found = responses()
    assert {"MISSING_AUTHENTICATION_TOKEN", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(found)
    for kind, properties in found.items():
        body = rendered(properties["ResponseTemplates"]["application/json"])
        assert set(body) == {"error"}, kind
        assert set(body["error"]) == {"code", "message", "details"}, kind
        assert properties["RestApiId"] == {"Ref": "RestAPI"}, kind
