"""The local stack speaks the contract on the wire."""

import requests


def test_an_unusual_method_gets_the_contracts_405(live):
    reply = requests.request("TRACE", f"{live.url}/api/users/me", timeout=30)
    assert reply.status_code == 405
    assert reply.json()["error"]["code"] == "method_not_allowed"


def test_a_path_with_an_empty_id_is_the_contracts_404_on_the_wire(live):
    # A trailing slash is folded by the routers: DELETE /trash/ would empty the whole trash.
    reply = requests.delete(f"{live.url}/api/trash/", timeout=30)
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "not_found"
