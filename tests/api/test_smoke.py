from tests.client import assert_error


def test_health_answers_ok(api):
    reply = api.get("/health")
    assert reply.status == 200
    assert reply.json["status"] == "ok"


def test_sign_up_verify_and_sign_in(api, make_user, login):
    user = make_user("alice")
    browser = login(user)
    me = browser.get("/users/me")
    assert me.status == 200, me.body
    assert me.json["user"]["username"] == "alice"
    assert me.json["user"]["email_verified"] is True


def test_unverified_cannot_sign_in(api, make_user):
    user = make_user("bob", verified=False)
    reply = api.post("/auth/login", {"login": "bob", "password": user.password})
    details = assert_error(reply, 403, "email_not_verified")
    assert details["email"] == "b***@example.com"
