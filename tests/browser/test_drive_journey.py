"""The drive in a browser: a newcomer signs up and lands in an empty drive, makes a folder,
uploads a 20 MiB photo in parts straight to S3 and watches its thumbnail appear, renames it,
moves it with the folder picker, trashes and restores it, and finds it by searching; and an
upload interrupted by a reload resumes from the parts S3 already holds."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.browser.accounts import PASSWORD, sign_in, sign_up, verification_link
from tests.browser.conftest import shot
from tests.live.conftest import PASSWORD as LIVE_PASSWORD
from tests.live.conftest import Account

MIB = 1024 * 1024
# The stack's default part size (UPLOAD_PART_BYTES): 8 MiB.
PART = 8 * MIB


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 20 MP JPEG a little over 20 MiB: a sunset sky under heavy grain (noise barely
    compresses), so its thumbnail shows the sky."""
    size = (5000, 4000)
    sky = Image.linear_gradient("L").resize(size)
    red, green, blue = (
        sky.point(lambda v: 250 - v // 4),
        sky.point(lambda v: 90 + v // 2),
        sky.point(lambda v: 60 + v * 2 // 3),
    )
    grain = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    Image.blend(Image.merge("RGB", (red, green, blue)), grain, 0.6).save(buffer, "JPEG", quality=97)
    assert buffer.tell() >= 20 * MIB
    path = tmp_path_factory.mktemp("photos") / "beach.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def sign_up_and_in(page, site, username: str) -> None:  # noqa: ANN001
    """An account made and verified over the API, then signed in through the page."""
    email = f"{username}@example.com"
    body = {"username": username, "email": email, "password": PASSWORD}
    assert page.request.post("/api/auth/register", data=body).status == 201
    token = re.search(r"token=([\w-]+)", verification_link(site, email)).group(1)
    assert page.request.post("/api/auth/verify-email", data={"token": token}).status == 200
    sign_in(page, username)


def upload(page, path: Path) -> None:  # noqa: ANN001
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    chooser.value.set_files(str(path))


def wait_for_puts(page, requests: list[tuple[str, str]], count: int) -> None:  # noqa: ANN001
    """Until `count` PUTs to S3 have finished (Playwright reports them while it waits)."""
    for _ in range(600):
        if sum(method == "PUT" for method, _url in requests) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"fewer than {count} parts were sent")


def open_actions(page, name: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name=f"Actions for {name}").click()


def test_folder_upload_thumbnail_rename_move_trash_restore_search(page, site, photo):
    sign_up(page, site, "jisoo")
    # Signing in lands in the drive, not on the account page.
    sign_in(page, "jisoo")
    assert page.url.endswith("/drive")
    expect(page.get_by_text("This folder is empty.")).to_be_visible()
    shot(page, "drive-01-empty")

    page.get_by_role("button", name="New folder").click()
    dialog = page.get_by_role("dialog", name="New folder")
    dialog.get_by_label("Name").fill("Holiday")
    shot(page, "drive-02-new-folder")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Holiday").click()
    expect(page.get_by_role("heading", name="Holiday")).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Where you are")
    expect(crumbs.get_by_role("link", name="My drive")).to_be_visible()

    puts: list[str] = []
    page.on("requestfinished", lambda r: puts.append(r.url) if r.method == "PUT" else None)
    upload(page, photo)
    tray = page.get_by_role("region", name="Uploads")
    expect(tray).to_be_visible()
    expect(tray.get_by_text("All uploads complete")).to_be_visible(timeout=60_000)
    # 20-odd MiB in 8 MiB parts, each PUT straight to S3 with its own signed URL.
    size = photo.stat().st_size
    assert len(puts) == -(-size // PART) == 3
    assert all("partNumber=" in url for url in puts)
    expect(page.locator(".tile", has_text="beach.jpg")).to_be_visible()
    shot(page, "drive-03-uploaded")
    # The media function makes the thumbnail; the grid asks again until it shows.
    thumbnail = page.locator(".tile", has_text="beach.jpg").locator("img.tile__image")
    expect(thumbnail).to_be_visible(timeout=60_000)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    shot(page, "drive-04-thumbnail")

    open_actions(page, "beach.jpg")
    page.get_by_role("menuitem", name="Rename").click()
    dialog = page.get_by_role("dialog", name=re.compile("Rename"))
    dialog.get_by_label("Name").fill("sunset.jpg")
    dialog.get_by_role("button", name="Rename").click()
    expect(page.locator(".tile", has_text="sunset.jpg")).to_be_visible()

    # Download: the API hands out a short-lived S3 link carrying the file's real name.
    open_actions(page, "sunset.jpg")
    with page.expect_download() as download:
        page.get_by_role("menuitem", name="Download").click()
    assert download.value.suggested_filename == "sunset.jpg"

    # The list view sorts by its column headers; size order puts the photo last.
    page.get_by_role("button", name="List", exact=True).click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_role("button", name="Size", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=size"))
    shot(page, "drive-05-list")
    page.get_by_role("button", name="Grid", exact=True).click()

    open_actions(page, "sunset.jpg")
    page.get_by_role("menuitem", name="Move", exact=True).click()
    dialog = page.get_by_role("dialog", name="Move “sunset.jpg”")
    expect(dialog.get_by_role("button", name="Already here")).to_be_disabled()
    dialog.get_by_role("button", name="My drive").click()
    expect(dialog.get_by_role("button", name="Open Holiday")).to_be_visible()
    shot(page, "drive-06-move-picker")
    dialog.get_by_role("button", name="Move here").click()
    expect(page.get_by_text("Moved “sunset.jpg” to My drive.")).to_be_visible()
    expect(page.get_by_text("This folder is empty.")).to_be_visible()

    crumbs.get_by_role("link", name="My drive").click()
    expect(page.get_by_role("heading", name="My drive")).to_be_visible()
    tile = page.locator(".tile", has_text="sunset.jpg")
    expect(tile).to_be_visible()
    expect(tile.locator("img.tile__image")).to_be_visible()

    # A phone: the same drive, one column of controls, nothing cut off.
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "drive-07-phone")
    page.get_by_role("button", name="Upload files").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 860})

    open_actions(page, "sunset.jpg")
    page.get_by_role("menuitem", name="Move to trash").click()
    expect(page.get_by_text("Moved “sunset.jpg” to the trash.")).to_be_visible()
    expect(tile).to_be_hidden()

    page.get_by_role("link", name="Trash").click()
    expect(page.get_by_role("heading", name="Trash")).to_be_visible()
    expect(page.get_by_text("sunset.jpg", exact=True)).to_be_visible()
    shot(page, "drive-08-trash")
    page.get_by_role("button", name="Restore sunset.jpg").click()
    expect(page.get_by_text("Restored “sunset.jpg”.")).to_be_visible()
    expect(page.get_by_text("The trash is empty.")).to_be_visible()

    search = page.get_by_role("searchbox", name="Search files and folders")
    search.fill("SUNSET")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Results for “SUNSET”")).to_be_visible()
    result = page.get_by_role("list", name="Results for “SUNSET”")
    expect(result.get_by_role("button", name="sunset.jpg")).to_be_visible()
    expect(result.get_by_text(f"{round(photo.stat().st_size / MIB)} MB")).to_be_visible()
    shot(page, "drive-09-search")
    assert "{" not in page.locator("main").inner_text()

    # Korean throughout, the same page.
    page.get_by_label("Language").select_option("ko")
    expect(page.get_by_role("heading", name="‘SUNSET’ 검색 결과")).to_be_visible()
    page.get_by_role("link", name="내 드라이브").click()
    expect(page.get_by_role("heading", name="내 드라이브")).to_be_visible()
    expect(page.locator(".tile", has_text="sunset.jpg")).to_be_visible()
    shot(page, "drive-10-korean")
    page.get_by_label("언어").select_option("en")


def test_an_upload_resumes_after_a_reload_from_the_parts_s3_holds(page, site, tmp_path):
    sign_up_and_in(page, site, "hana")
    # 36 MiB: four 8 MiB parts and a 4 MiB one, which finishes first.
    big = tmp_path / "archive.bin"
    big.write_bytes(os.urandom(36 * MIB))
    parts = 5

    requests: list[tuple[str, str]] = []
    page.on("requestfinished", lambda r: requests.append((r.method, r.url)))
    # A slow uplink, so the reload lands in the middle of the upload.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    throttle = {"offline": False, "latency": 0, "downloadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", {**throttle, "uploadThroughput": 4 * MIB})

    upload(page, big)
    tray = page.get_by_role("region", name="Uploads")
    progress = tray.get_by_role("progressbar", name="Progress of archive.bin")
    expect(progress).to_be_visible()
    # Pause once S3 holds a part (the short last one, most likely): the parts on their way
    # are cut off, and nothing more is sent until it resumes.
    wait_for_puts(page, requests, 1)
    tray.get_by_role("button", name="Pause archive.bin").click()
    expect(tray.get_by_text(re.compile(r"^Paused"))).to_be_visible()
    shot(page, "drive-11-paused")
    held = sum(method == "PUT" for method, _url in requests)
    page.wait_for_timeout(1500)
    assert sum(method == "PUT" for method, _url in requests) == held
    # Resuming asks S3 (through us) which parts it holds, and sends only the others.
    listing = page.expect_response(lambda r: r.request.method == "GET" and r.url.endswith("/parts"))
    with listing as listed_on_resume:
        tray.get_by_role("button", name="Resume archive.bin").click()
    assert listed_on_resume.value.ok
    expect(tray.get_by_role("button", name="Pause archive.bin")).to_be_visible()
    expect(progress).to_be_visible()
    shot(page, "drive-12-uploading")
    assert [url for method, url in requests if method == "POST" and url.endswith("/api/uploads")]

    page.reload()
    # The parts S3 holds: the PUTs that finished before the reload cut the others off.
    sent_before = [url for method, url in requests if method == "PUT"]
    assert 1 <= len(sent_before) < parts
    cdp.send("Network.emulateNetworkConditions", {**throttle, "uploadThroughput": -1})
    requests.clear()
    card = page.get_by_role("region", name="Unfinished uploads")
    expect(card).to_be_visible()
    expect(card.get_by_text("archive.bin")).to_be_visible()
    shot(page, "drive-13-unfinished")

    with page.expect_file_chooser() as chooser:
        card.get_by_role("button", name="Resume archive.bin: pick the file again").click()
    chooser.value.set_files(str(big))
    tray = page.get_by_role("region", name="Uploads")
    expect(tray.get_by_text("All uploads complete")).to_be_visible(timeout=60_000)
    expect(card).to_be_hidden()
    shot(page, "drive-14-resumed")

    listed = [
        url
        for method, url in requests
        if method == "GET" and re.search(r"/api/uploads/\w+/parts$", url)
    ]
    assert listed, requests
    upload_id = re.search(r"/api/uploads/(\w+)/parts$", listed[0]).group(1)
    resent = [url for method, url in requests if method == "PUT"]
    # Only the parts S3 did not hold are sent again, each once.
    assert len(resent) == parts - len(sent_before)
    numbers = {re.search(r"partNumber=(\d+)", url).group(1) for url in sent_before + resent}
    assert numbers == {str(n) for n in range(1, parts + 1)}
    assert not [
        url for method, url in requests if method == "POST" and url.endswith("/api/uploads")
    ]

    node = page.request.get(f"/api/nodes/{upload_id}").json()["node"]
    assert node["status"] == "ready"
    assert node["size"] == 36 * MIB
    expect(page.locator(".tile", has_text="archive.bin")).to_be_visible()

    # Cancel stops the upload and deletes what was sent: the file is gone, its space free.
    cdp.send("Network.emulateNetworkConditions", {**throttle, "uploadThroughput": 2 * MIB})
    doomed = tmp_path / "doomed.bin"
    doomed.write_bytes(os.urandom(12 * MIB))
    starting = page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/api/uploads")
    )
    with starting as started:
        upload(page, doomed)
    doomed_id = started.value.json()["upload_id"]
    expect(tray.get_by_role("button", name="Pause doomed.bin")).to_be_visible()
    aborting = page.expect_response(lambda r: r.request.method == "DELETE")
    with aborting as aborted:
        tray.get_by_role("button", name="Cancel doomed.bin").click()
    assert aborted.value.url.endswith(f"/api/uploads/{doomed_id}")
    assert aborted.value.status == 204
    expect(tray.get_by_text("doomed.bin")).to_have_count(0)
    assert page.request.get(f"/api/nodes/{doomed_id}").status == 404


def test_a_folder_shared_to_read_shows_its_files_without_ways_to_change_them(page, site):
    owner, reader = Account(site, "minseo"), Account(site, "doyun")
    made = owner.post("/folders", {"parent_id": owner.root, "name": "Team photos"})
    assert made.status_code == 201, made.text
    folder = made.json()["node"]["id"]
    body = {"parent_id": folder, "name": "menu.txt", "size": 5, "content_type": "text/plain"}
    started = owner.post("/uploads", body).json()
    sent = requests.put(
        started["url"], data=b"hello", headers={"Content-Type": "text/plain"}, timeout=30
    )
    assert sent.status_code == 200
    assert owner.post(f"/uploads/{started['upload_id']}/complete", {}).status_code == 200
    team = owner.post("/teams", {"name": "Crew"}).json()["team"]["id"]
    assert owner.post(f"/teams/{team}/invitations", {"username": "doyun"}).status_code == 201
    assert reader.post(f"/teams/{team}/invitations/accept", {}).status_code == 200
    shared = {"folder_id": folder, "access": "read"}
    assert owner.post(f"/teams/{team}/shared-folders", shared).status_code == 201

    login = {"login": "doyun", "password": LIVE_PASSWORD}
    assert page.request.post("/api/auth/login", data=login).status == 200
    page.goto(f"/drive/{folder}")
    expect(page.get_by_role("heading", name="Team photos")).to_be_visible()
    expect(page.get_by_text("This folder is shared with you to view only.")).to_be_visible()
    page.get_by_role("button", name="List", exact=True).click()
    row = page.get_by_role("row", name=re.compile("menu.txt"))
    expect(row.get_by_text("View only")).to_be_visible()
    # Nothing here offers to change what is only shared to be read.
    expect(page.get_by_role("button", name="Upload files")).to_have_count(0)
    expect(page.get_by_role("button", name="New folder")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Select menu.txt")).to_have_count(0)
    open_actions(page, "menu.txt")
    menu = page.get_by_role("menu", name="Actions for menu.txt")
    expect(menu.get_by_role("menuitem")).to_have_text(["Download"])
    shot(page, "drive-15-shared-read-only")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()


def test_folders_upload_whole_and_several_items_move_and_trash_together(page, site, tmp_path):
    sign_up_and_in(page, site, "seoyeon")
    trip = tmp_path / "Trip"
    (trip / "Day 2").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "c.txt"):
        (trip / name).write_text(name)
    (trip / "Day 2" / "d.txt").write_text("d")

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload folder").click()
    chooser.value.set_files(str(trip))
    tray = page.get_by_role("region", name="Uploads")
    expect(tray.get_by_text("All uploads complete")).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Trip").click()
    expect(page.get_by_role("heading", name="Trip")).to_be_visible()
    page.get_by_role("button", name="List", exact=True).click()
    for name in ("Day 2", "a.txt", "b.txt", "c.txt"):
        expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_be_visible()

    # A file dropped on the page goes into the folder shown.
    transfer = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["dropped"], "dropped.txt", { type: "text/plain" }));
            return transfer;
        }"""
    )
    page.dispatch_event(".drive", "dragenter", {"dataTransfer": transfer})
    expect(page.get_by_text("Drop to upload to Trip")).to_be_visible()
    page.dispatch_event(".drive", "drop", {"dataTransfer": transfer})
    expect(page.get_by_role("row", name=re.compile("dropped.txt"))).to_be_visible(timeout=30_000)

    # Shift-click selects the range a.txt … c.txt (the folder, sorted first, stays out).
    page.get_by_role("checkbox", name="Select a.txt").click()
    page.get_by_role("checkbox", name="Select c.txt").click(modifiers=["Shift"])
    expect(page.get_by_text("3 selected")).to_be_visible()
    shot(page, "drive-16-selection")
    page.get_by_role("group", name="3 selected").get_by_role(
        "button", name="Move", exact=True
    ).click()
    dialog = page.get_by_role("dialog", name="Move 3 items")
    dialog.get_by_role("button", name="Open Day 2").click()
    dialog.get_by_role("button", name="Move here").click()
    expect(page.get_by_text("Moved 3 items to Day 2.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("b.txt"))).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Moved 3 items to Day 2.")).to_be_hidden()
    for name in ("a.txt", "b.txt", "c.txt"):
        expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_be_visible()

    page.get_by_role("checkbox", name="Select all").check()
    expect(page.get_by_text("5 selected")).to_be_visible()
    page.get_by_role("button", name="Move to trash").click()
    expect(page.get_by_text("Moved 5 items to the trash.")).to_be_visible()
    expect(page.get_by_text("This folder is empty.")).to_be_visible()

    page.get_by_role("link", name="Trash").click()
    expect(page.locator("main").get_by_text("dropped.txt", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "drive-18-trash-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_role("button", name="Empty trash").click()
    dialog = page.get_by_role("dialog", name="Empty the trash?")
    shot(page, "drive-17-empty-trash")
    dialog.get_by_role("button", name="Empty trash").click()
    expect(page.get_by_text("The trash is empty now.")).to_be_visible()
    expect(page.get_by_text("The trash is empty.", exact=True)).to_be_visible()
