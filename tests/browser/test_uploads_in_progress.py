"""The owner's view of uploads into their drive: a team member with write access starts an
upload into a folder the owner shared (no bytes sent, so it only holds the space), the owner
finds it on the account page with who sends it and how big it is, cancels it, and then has
the space for an upload of their own."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.browser.accounts import sign_in
from tests.browser.conftest import shot
from tests.browser.test_sharing_journey import call, shot_on_phone
from tests.live.conftest import PASSWORD, Account


def test_owner_sees_and_cancels_a_members_upload(page, site):
    owner = Account(site, "olga")
    member = Account(site, "milo")
    named = requests.patch(
        f"{member.api}/users/me", json={"nickname": "Milo K"}, headers=member.headers, timeout=30
    )
    assert named.status_code == 200, named.text
    team = owner.post("/teams", {"name": "Crew"}).json()["team"]["id"]
    assert owner.post(f"/teams/{team}/invitations", {"username": "milo"}).status_code == 201
    assert member.post(f"/teams/{team}/invitations/accept", {}).status_code == 200
    shoot = owner.post("/folders", {"parent_id": owner.root, "name": "Shoot"}).json()["node"]["id"]
    shared = owner.post(f"/teams/{team}/shared-folders", {"folder_id": shoot, "access": "write"})
    assert shared.status_code == 201, shared.text

    # Milo starts an upload as big as all of Olga's free space and sends no bytes.
    free = owner.get("/users/me/stats")["free_bytes"]
    body = {
        "parent_id": shoot,
        "name": "take-3.mov",
        "size": free,
        "content_type": "video/quicktime",
    }
    started = member.post("/uploads", body)
    assert started.status_code == 201, started.text

    sign_in(page, "olga", PASSWORD)
    mine = {"parent_id": owner.root, "name": "notes.txt", "size": 5, "content_type": "text/plain"}
    refused = call(page, "POST", "/uploads", mine)
    assert refused.status == 413, refused.text()

    # The drive says what is holding its space, and where to see it.
    page.goto("/drive")
    notice = page.get_by_text(
        "Milo K is uploading “take-3.mov” into your drive, holding 10 GB of your storage."
    )
    expect(notice).to_be_visible()
    shot(page, "uploads-0-drive-notice")
    page.get_by_role("link", name="See uploads in progress").click()
    section = page.get_by_role("region", name="Uploads in progress")
    row = section.get_by_role("listitem").filter(has_text="take-3.mov")
    expect(row).to_be_visible()
    expect(row.get_by_text("By Milo K")).to_be_visible()
    expect(row.get_by_text(re.compile(r"^10 GB · into"))).to_be_visible()
    expect(row.get_by_role("link", name="Shoot")).to_be_visible()
    expect(row.get_by_text(re.compile("started (now|1 minute ago)"))).to_be_visible()
    expect(section.get_by_text("10 GB of your storage is held for these uploads.")).to_be_visible()
    storage = page.get_by_role("region", name="Storage")
    expect(storage.get_by_text("10 GB is held for uploads in progress.")).to_be_visible()
    expect(storage.get_by_text("0 B free")).to_be_visible()
    section.scroll_into_view_if_needed()
    shot(page, "uploads-1-account-in-progress")
    shot_on_phone(page, "uploads-2-account-in-progress-phone")
    page.locator(".lang-switch select").select_option("ko")
    expect(
        page.get_by_role("region", name="진행 중인 업로드").get_by_text("Milo K 님이 올림")
    ).to_be_visible()
    shot(page, "uploads-2-account-in-progress-ko")
    page.locator(".lang-switch select").select_option("en")

    # Cancel asks first; keeping it changes nothing.
    row.get_by_role("button", name="Cancel the upload of take-3.mov").click()
    dialog = page.get_by_role("dialog", name="Cancel the upload of take-3.mov?")
    expect(dialog.get_by_text("This stops Milo K's upload")).to_be_visible()
    shot(page, "uploads-3-confirm-cancel")
    dialog.get_by_role("button", name="Keep uploading").click()
    expect(dialog).to_be_hidden()
    expect(row).to_be_visible()

    row.get_by_role("button", name="Cancel the upload of take-3.mov").click()
    dialog.get_by_role("button", name="Cancel upload").click()
    expect(dialog).to_be_hidden()
    expect(
        section.get_by_text("Cancelled the upload of take-3.mov. 10 GB is free again.")
    ).to_be_visible()
    expect(row).to_have_count(0)
    expect(section.get_by_text("Nothing is uploading into your drive right now.")).to_be_visible()
    expect(storage.get_by_text("10 GB free")).to_be_visible()
    expect(storage.get_by_text("10 GB is held for uploads in progress.")).to_be_hidden()
    shot(page, "uploads-4-cancelled")
    shot_on_phone(page, "uploads-5-cancelled-phone")

    # The member's upload is gone for them too, and the owner's own upload now fits.
    parts = requests.get(
        f"{member.api}/uploads/{started.json()['upload_id']}/parts",
        headers=member.headers,
        timeout=30,
    )
    assert parts.status_code == 404, parts.text
    assert call(page, "POST", "/uploads", mine).status == 201
    # The drive reads the list again and says nothing of the owner's own upload.
    with page.expect_response(lambda reply: reply.url.endswith("/api/uploads")) as listed:
        page.goto("/drive")
    assert [item["name"] for item in listed.value.json()["items"]] == ["notes.txt"]
    expect(page.get_by_role("heading", name="My drive")).to_be_visible()
    expect(page.get_by_role("link", name="See uploads in progress")).to_have_count(0)
