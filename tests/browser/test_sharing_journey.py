"""Working together in a browser: a leader makes a team, invites someone by username and
shares a folder with it; the invitee accepts, finds the folder and downloads from it. Share
links: one with a password for a file, opened by a stranger (wrong password, right password,
download), then revoked; one for a folder, browsed into a subfolder and back. The account's
storage chart, and the pages at a phone's width."""

from __future__ import annotations

import io
import os
import re
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.browser.accounts import PASSWORD, sign_in, sign_up
from tests.browser.conftest import shot
from tests.live.conftest import PASSWORD as LIVE_PASSWORD
from tests.live.conftest import Account

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def csrf(page) -> str:  # noqa: ANN001
    return next(c["value"] for c in page.context.cookies() if c["name"] == "td_csrf")


def call(page, method: str, path: str, body: dict | None = None):  # noqa: ANN001, ANN201
    """The API as the page's signed-in person (cookies and the CSRF header)."""
    return page.request.fetch(
        f"/api{path}", method=method, data=body, headers={"X-CSRF-Token": csrf(page)}
    )


def put_file(page, parent_id: str, name: str, data: bytes, content_type: str) -> str:  # noqa: ANN001
    """A file uploaded the way the browser does it: start, PUT to S3, complete."""
    body = {"parent_id": parent_id, "name": name, "size": len(data), "content_type": content_type}
    started = call(page, "POST", "/uploads", body)
    assert started.status == 201, started.text()
    upload = started.json()
    sent = requests.put(
        upload["url"], data=data, headers={"Content-Type": content_type}, timeout=30
    )
    assert sent.status_code == 200
    done = call(page, "POST", f"/uploads/{upload['upload_id']}/complete", {})
    assert done.status == 200, done.text()
    return upload["file"]["id"]


def make_folder(page, parent_id: str, name: str) -> str:  # noqa: ANN001
    made = call(page, "POST", "/folders", {"parent_id": parent_id, "name": name})
    assert made.status == 201, made.text()
    return made.json()["node"]["id"]


def shot_on_phone(page, name: str, *, fits: bool = True) -> None:  # noqa: ANN001
    """A screenshot at a phone's width, where the page must not scroll sideways (unless
    `fits` is off), then back to the desktop."""
    page.set_viewport_size(PHONE)
    shot(page, name)
    if fits:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def confirm_action(page, row: str, action: str, question: str):  # noqa: ANN001, ANN201
    """Picks `action` from the ⋯ menu of `row` and confirms it in the dialog asking
    `question`; that dialog is returned, still open if the action failed."""
    page.get_by_role("button", name=f"Actions for {row}").click()
    page.get_by_role("menuitem", name=action).click()
    dialog = page.get_by_role("dialog", name=question)
    dialog.get_by_role("button", name=action).click()
    return dialog


@pytest.fixture
def stranger(browser, site):  # noqa: ANN001, ANN201
    """A fresh browser with no session: someone who was only given a link."""
    context = browser.new_context(base_url=site.url, viewport=DESKTOP, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_team_invitation_shared_folder_and_share_links(page, site, browser, stranger):
    # Ara signs up and follows the emailed link; Beom has an account already.
    Account(site, "beom")
    sign_up(page, site, "ara")
    sign_in(page, "ara")

    root = call(page, "GET", "/users/me").json()["user"]["storage"]["root_folder_id"]
    plans = make_folder(page, root, "Plans")
    drafts = make_folder(page, plans, "Drafts")
    put_file(page, plans, "agenda.txt", b"1. coffee\n2. plans\n", "text/plain")
    put_file(page, drafts, "draft.txt", b"a first draft", "text/plain")
    # Something of other kinds for the storage chart: a picture and an archive.
    picture = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").resize((640, 480)).save(picture, "PNG")
    put_file(page, root, "sky.png", picture.getvalue(), "image/png")
    put_file(page, root, "old.zip", os.urandom(60_000), "application/zip")

    # Teams: none yet, then one made on the page.
    page.get_by_role("link", name="Teams").first.click()
    expect(page.get_by_role("heading", name="Teams", exact=True)).to_be_visible()
    expect(page.get_by_text("You're not in a team yet.")).to_be_visible()
    page.get_by_label("Team name").fill("Studio")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_text("Created the team “Studio”.")).to_be_visible()
    page.get_by_role("link", name="Studio").click()
    expect(page.get_by_role("heading", name="Studio")).to_be_visible()
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_text("Leader")).to_be_visible()

    # Invite by username, picked from the suggestions with the keyboard.
    invite = page.get_by_role("combobox", name="Username or email")
    invite.fill("be")
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option", name=re.compile("beom"))).to_be_visible()
    invite.press("ArrowDown")
    invite.press("Enter")
    expect(invite).to_have_value("beom")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Invited beom.")).to_be_visible()
    pending = page.get_by_role("region", name="Pending invitations")
    expect(pending.get_by_text("beom")).to_be_visible()

    # Share the Plans folder, picked with the drive's folder picker.
    page.get_by_role("button", name="Share a folder").click()
    dialog = page.get_by_role("dialog", name="Share a folder with Studio")
    expect(dialog.get_by_role("button", name="Open the folder to share")).to_be_disabled()
    dialog.get_by_role("button", name="Open Plans").click()
    dialog.get_by_text("Can edit").click()
    dialog.get_by_role("button", name="Share “Plans”").click()
    expect(page.get_by_text("Shared “Plans” with the team.")).to_be_visible()
    folders = page.get_by_role("region", name="Shared folders")
    expect(folders.get_by_role("link", name="Plans")).to_be_visible()
    expect(folders.locator(".badge", has_text="Can edit")).to_be_visible()
    shot(page, "sharing-02-team-detail")

    # Beom signs in elsewhere, finds the invitation and accepts it.
    other = browser.new_context(base_url=site.url, viewport=DESKTOP, accept_downloads=True)
    beom = other.new_page()
    sign_in(beom, "beom", LIVE_PASSWORD)
    beom.get_by_role("link", name="Teams").first.click()
    invitations = beom.get_by_role("region", name=re.compile("Invitations for you"))
    expect(invitations.get_by_text("Studio")).to_be_visible()
    expect(invitations.get_by_text(re.compile("Invited by ara"))).to_be_visible()
    shot(beom, "sharing-01-teams-invitation")
    beom.get_by_role("button", name="Accept the invitation to Studio").click()
    expect(beom.get_by_text("You joined “Studio”.")).to_be_visible()
    expect(invitations).to_be_hidden()
    expect(beom.get_by_role("link", name="Studio")).to_be_visible()
    shot(beom, "sharing-03-teams-list")
    shot_on_phone(beom, "sharing-04-teams-list-phone")

    # The shared folder: from the team, and from "Shared with me" beside the drive.
    beom.get_by_role("link", name="Studio").click()
    expect(beom.get_by_role("heading", name="Studio")).to_be_visible()
    # A member: no inviting, renaming or deleting; leaving instead.
    expect(beom.get_by_role("button", name="Rename")).to_have_count(0)
    expect(beom.get_by_role("button", name="Leave team")).to_be_visible()
    shot(beom, "sharing-04b-team-as-member")
    beom.get_by_role("link", name="Shared with me").click()
    shared = beom.get_by_role("list", name="Shared with me")
    expect(shared.get_by_role("link", name="Plans")).to_be_visible()
    shot(beom, "sharing-05-shared-with-me")
    shared.get_by_role("link", name="Plans").click()
    expect(beom.get_by_role("heading", name="Plans")).to_be_visible()
    tile = beom.locator(".tile", has_text="agenda.txt")
    expect(tile).to_be_visible()
    with beom.expect_download() as download:
        tile.locator(".tile__open").click()
    assert download.value.suggested_filename == "agenda.txt"
    other.close()

    # A link with a password to one file.
    page.goto(f"/drive/{plans}")
    expect(page.get_by_role("heading", name="Plans")).to_be_visible()
    page.get_by_role("button", name="Actions for agenda.txt").click()
    page.get_by_role("menuitem", name="Share link").click()
    dialog = page.get_by_role("dialog", name="Share “agenda.txt”")
    expect(dialog.get_by_text("You haven't made a link to this yet.")).to_be_visible()
    dialog.get_by_label("Expires after").select_option(label="1 day")
    dialog.get_by_label(re.compile("^Password")).fill("open sesame")
    dialog.get_by_label("Download limit").fill("5")
    shot(page, "sharing-06-share-form")
    dialog.get_by_role("button", name="Create link").click()
    expect(dialog.get_by_text("Copy the link now: it won't be shown again.")).to_be_visible()
    url = dialog.get_by_label("Link to share").input_value()
    assert re.fullmatch(r"http://localhost:\d+/s/[\w-]{43,}", url), url
    dialog.get_by_role("button", name="Copy link").click()
    expect(
        dialog.get_by_role("status").filter(has_text=re.compile("Copied|selected"))
    ).to_be_visible()
    links = dialog.get_by_role("list", name="Your links")
    expect(links.get_by_text("Active")).to_be_visible()
    expect(links.get_by_text("Downloads: 0 of 5")).to_be_visible()
    shot(page, "sharing-06-share-dialog-made")
    shot_on_phone(page, "sharing-07-share-dialog-phone", fits=False)
    dialog.get_by_role("button", name="Close").click()

    # Someone with only the link: the password first, a wrong one is told so.
    link = urlsplit(url).path
    stranger.goto(link)
    expect(stranger.get_by_role("heading", name="This link has a password")).to_be_visible()
    stranger.get_by_label("Password", exact=True).fill("not it")
    stranger.get_by_role("button", name="Open").click()
    expect(stranger.get_by_text("That password isn't right.")).to_be_visible()
    shot(stranger, "sharing-08-public-password")
    stranger.get_by_label("Password", exact=True).fill("open sesame")
    stranger.get_by_role("button", name="Open").click()
    expect(stranger.get_by_role("heading", name="agenda.txt")).to_be_visible()
    with stranger.expect_download() as download:
        stranger.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "agenda.txt"
    assert download.value.path().read_bytes() == b"1. coffee\n2. plans\n"
    shot(stranger, "sharing-09-public-file")
    shot_on_phone(stranger, "sharing-10-public-file-phone")

    # The owner sees the download counted, revokes the link, and it stops at once.
    page.get_by_role("button", name="Actions for agenda.txt").click()
    page.get_by_role("menuitem", name="Share link").click()
    dialog = page.get_by_role("dialog", name="Share “agenda.txt”")
    links = dialog.get_by_role("list", name="Your links")
    expect(links.get_by_text("Downloads: 1 of 5")).to_be_visible()
    expect(links.get_by_text("Password", exact=True)).to_be_visible()
    links.get_by_role("button", name=re.compile("^Revoke the link made")).click()
    expect(links.get_by_text("Revoke this link? It stops working at once.")).to_be_visible()
    links.get_by_role("button", name="Revoke", exact=True).click()
    expect(links.get_by_text("Revoked")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    stranger.goto(link)
    expect(stranger.get_by_text("This link does not exist or was revoked.")).to_be_visible()
    shot(stranger, "sharing-11-public-revoked")

    # A link to the folder: browse into a subfolder and back up to the shared top.
    page.goto("/drive")
    page.get_by_role("button", name="Actions for Plans").click()
    page.get_by_role("menuitem", name="Share link").click()
    dialog = page.get_by_role("dialog", name="Share “Plans”")
    dialog.get_by_role("button", name="Create link").click()
    folder_link = urlsplit(dialog.get_by_label("Link to share").input_value()).path
    dialog.get_by_role("button", name="Close").click()
    stranger.goto(folder_link)
    expect(stranger.get_by_role("heading", name="Plans")).to_be_visible()
    listing = stranger.get_by_role("list", name="Plans")
    expect(listing.get_by_text("agenda.txt")).to_be_visible()
    listing.get_by_role("link", name="Drafts").click()
    expect(stranger.get_by_role("heading", name="Drafts")).to_be_visible()
    crumbs = stranger.get_by_role("navigation", name="Where you are")
    expect(crumbs.get_by_role("link")).to_have_text(["Plans"])
    with stranger.expect_download() as download:
        stranger.get_by_role("button", name="Download draft.txt").click()
    assert download.value.suggested_filename == "draft.txt"
    shot(stranger, "sharing-12-public-folder-sub")
    shot_on_phone(stranger, "sharing-13-public-folder-phone")
    crumbs.get_by_role("link", name="Plans").click()
    expect(stranger.get_by_role("list", name="Plans").get_by_text("agenda.txt")).to_be_visible()
    expect(stranger.get_by_role("navigation", name="Where you are")).to_have_count(0)
    shot(stranger, "sharing-12-public-folder-top")
    assert "{" not in stranger.locator("main").inner_text()

    # The account: how much is used, and of what kind.
    page.goto("/account")
    storage = page.get_by_role("region", name="Storage")
    expect(storage.get_by_role("meter")).to_be_visible()
    chart = storage.get_by_role("img", name=re.compile("^Usage by type: Archives"))
    expect(chart).to_be_visible()
    expect(storage.get_by_role("rowheader", name="Documents")).to_be_visible()
    shot(page, "sharing-14-account-storage")
    shot_on_phone(page, "sharing-15-account-storage-phone")

    # Korean, the same pages.
    page.get_by_label("Language").select_option("ko")
    expect(page.get_by_role("heading", name="유형별 사용량")).to_be_visible()
    page.goto(f"/teams/{call(page, 'GET', '/teams').json()['items'][0]['id']}")
    expect(page.get_by_role("heading", name="멤버", exact=False).first).to_be_visible()
    shot(page, "sharing-16-team-korean")
    page.get_by_label("언어").select_option("en")


def test_the_operators_page_is_not_there_for_everyone_else(page, site):
    Account(site, "plain")
    sign_in(page, "plain", LIVE_PASSWORD)
    page.get_by_role("button", name=re.compile("Account menu")).click()
    expect(page.locator("#user-menu").get_by_role("button", name="Teams")).to_be_visible()
    expect(page.locator("#user-menu").get_by_role("button", name="Operators")).to_have_count(0)
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_an_operator_sets_a_quota_disables_and_appoints(page, site):
    from chalicelib.services import admin

    admin.create_admin(username="olive", email="olive@example.com", password=PASSWORD)
    Account(site, "pat")
    sign_in(page, "olive")
    page.get_by_role("button", name=re.compile("Account menu")).click()
    page.locator("#user-menu").get_by_role("button", name="Operators").click()
    expect(page.get_by_role("heading", name="Operators")).to_be_visible()
    overview = page.get_by_role("region", name="Overview")
    expect(overview.get_by_text("Users", exact=True)).to_be_visible()
    expect(overview.get_by_text("Failed thumbnails")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("pat"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("olive"))).to_be_visible()

    search = page.get_by_role("searchbox", name="Search users")
    search.fill("pa")
    search.press("Enter")
    expect(table.get_by_role("row", name=re.compile("olive"))).to_have_count(0)
    row = table.get_by_role("row", name=re.compile("pat"))

    page.get_by_role("button", name="Actions for pat").click()
    page.get_by_role("menuitem", name="Set quota…").click()
    dialog = page.get_by_role("dialog", name="Storage quota of pat")
    dialog.get_by_label("Quota").fill("2.5")
    dialog.get_by_label("Unit").select_option("GB")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the changes to pat.")).to_be_visible()
    expect(row.get_by_text("0 B / 2.5 GB").first).to_be_attached()

    confirm_action(page, "pat", "Disable account", "Disable pat?")
    expect(row.locator(".admin-users__status").get_by_text("Disabled")).to_be_visible()
    confirm_action(page, "pat", "Make operator", "Make pat an operator?")
    expect(row.locator(".admin-users__status").get_by_text("Operator")).to_be_visible()
    shot(page, "sharing-17-operators")

    # An operator cannot lock themselves out; the page says so in words.
    search.fill("")
    search.press("Enter")
    dialog = confirm_action(page, "olive", "Disable account", "Disable olive?")
    expect(dialog.get_by_text("You can't disable your own account")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()

    shot_on_phone(page, "sharing-18-operators-phone")
    assert "{" not in page.locator("main").inner_text()
