"""The local stack speaks the contract on the wire."""

import requests


def test_an_unusual_method_gets_the_contracts_405(live):
    reply = requests.request("TRACE", f"{live.url}/api/users/me", timeout=30)
    assert reply.status_code == 405
    assert reply.json()["error"]["code"] == "method_not_allowed"
