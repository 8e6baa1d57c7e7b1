"""The drives of the modules that share a moto stack (``SHARED_STACK = True``): accounts signed
up once per module and role, each test given a fresh client on a copy of their cookie jar
(see tests/drives.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.client import Api
from tests.conftest import User
from tests.drives import Account, Drive


@pytest.fixture(scope="module")
def kept(request: pytest.FixtureRequest) -> dict[str, Any]:
    """What the module makes once (its accounts by role, what its tests only read); it lives as
    long as the module's stack."""
    assert getattr(request.module, "SHARED_STACK", False), "kept outlives the stack of a test"
    return {}


@pytest.fixture
def drive_type() -> type[Drive]:
    """The class of the drives handed out; a module with calls of its own overrides this with
    its subclass of ``Drive``."""
    return Drive


@pytest.fixture
def sign_up(make_user: Callable[..., User], login: Callable[[User], Api]) -> Callable[[], Account]:
    """A new verified account, signed in."""

    def make() -> Account:
        who = make_user()
        browser = login(who)
        me = browser.get("/users/me")
        assert me.status == 200, me.body
        return Account(who, dict(browser.jar), me.json["user"]["storage"]["root_folder_id"])

    return make


@pytest.fixture
def open_drive(new_api: Callable[..., Api], drive_type: type[Drive]) -> Callable[[Account], Drive]:
    """A drive on ``account`` through a client of its own with a copy of the account's cookies."""
    return lambda account: drive_type(account, new_api(jar=dict(account.jar)))


@pytest.fixture
def drive_of(
    kept: dict[str, Any],
    sign_up: Callable[[], Account],
    open_drive: Callable[[Account], Drive],
) -> Callable[[str], Drive]:
    """The drive of the module's account for ``role``, signed up on first use."""

    def shared(role: str) -> Drive:
        if role not in kept:
            kept[role] = sign_up()
        return open_drive(kept[role])

    return shared


@pytest.fixture
def drive(drive_of: Callable[[str], Drive]) -> Drive:
    return drive_of("owner")


@pytest.fixture
def stranger(drive_of: Callable[[str], Drive]) -> Drive:
    """Another account."""
    return drive_of("stranger")


@pytest.fixture
def own_drive(sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]) -> Drive:
    """An account no other test touches, for counters that must start from nothing."""
    return open_drive(sign_up())
