"""Content types, checked directly: the one parser (filetypes.parse, which POST /uploads uses
through rules.content_type), and how a stored type is served (filetypes.served)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib import filetypes
from chalicelib.errors import InvalidRequest
from chalicelib.services import rules

OCTET = "application/octet-stream"
UTF8_TEXT = "text/plain; charset=utf-8"

# The strings of issue 14 that were stored as they came and rendered as HTML by Chromium
# (which takes the last type of a comma list).
ATTACKS = [
    pytest.param("text/plain; a=b, text/html", id="attack-text-plain-parameter-comma-html"),
    pytest.param("image/png; x=1, text/html", id="attack-png-parameter-comma-html"),
    pytest.param('application/pdf;x="",text/html', id="attack-pdf-quoted-comma-html"),
]

ACCEPTED = [
    pytest.param("image/png", "image/png", id="plain"),
    pytest.param("IMAGE/PNG", "image/png", id="upper-case"),
    pytest.param("Text/Plain; Charset=UTF-8", UTF8_TEXT, id="upper-case-charset"),
    pytest.param("  image/png  ", "image/png", id="surrounding-spaces"),
    pytest.param("text/plain  ;   charset=utf-8 ", UTF8_TEXT, id="spaces-around-semicolon"),
    pytest.param("text/plain;charset=utf-8", UTF8_TEXT, id="no-space-after-semicolon"),
    pytest.param("text/plain; charset=utf8", UTF8_TEXT, id="utf8-is-utf-8"),
    pytest.param("text/plain; charset=utf-7", "text/plain; charset=utf-7", id="utf-7-kept"),
    pytest.param("text/csv; charset=iso-8859-1", "text/csv; charset=iso-8859-1", id="latin-1"),
    pytest.param("image/svg+xml", "image/svg+xml", id="svg-kept-as-its-type"),
    pytest.param("text/html", "text/html", id="html-kept-as-its-type"),
    pytest.param(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        id="vendor",
    ),
    pytest.param("a" * 127 + "/" + "b" * 127, "a" * 127 + "/" + "b" * 127, id="longest-255"),
    pytest.param(None, OCTET, id="absent"),
    pytest.param("", OCTET, id="empty-what-browsers-send-for-unknown"),
    pytest.param("   ", OCTET, id="only-spaces"),
]

REFUSED = [
    *ATTACKS,
    pytest.param("text/plain, text/html", id="two-types"),
    pytest.param("text/html,", id="trailing-comma"),
    pytest.param("text/plain; format=flowed", id="unknown-parameter"),
    pytest.param("image/png; charset=utf-8", id="charset-on-an-image"),
    pytest.param("application/json; charset=utf-8", id="charset-on-non-text"),
    pytest.param("text/plain; charset=utf-8; charset=utf-7", id="two-charsets"),
    pytest.param('text/plain; charset="utf-8"', id="quoted-charset"),
    pytest.param("text/plain; charset = utf-8", id="spaces-around-equals"),
    pytest.param("text/plain;", id="empty-parameter"),
    pytest.param("text/plain;;charset=utf-8", id="double-semicolon"),
    pytest.param("text/plain; charset=", id="charset-without-value"),
    pytest.param('"text/html"', id="quoted-type"),
    pytest.param("text /html", id="space-before-slash"),
    pytest.param("text/ html", id="space-after-slash"),
    pytest.param("text/plain\t", id="tab"),
    pytest.param("\ttext/plain", id="leading-tab"),
    pytest.param("text/plain\r\nX-Injected: 1", id="crlf-header-injection"),
    pytest.param("image/png\x00", id="nul"),
    pytest.param("\u00a0image/png", id="non-breaking-space"),
    pytest.param("image/png\u3000", id="ideographic-space"),
    pytest.param("text/mar\u212adown", id="kelvin-sign-that-lowercases-to-k"),
    pytest.param("image/pné", id="non-ascii-letter"),
    pytest.param("text/plain; charset=utf-8" + " " * 231, id="very-long-256"),
    pytest.param("application/" + "x" * 1000, id="very-long-1012"),
    pytest.param("a" * 128 + "/png", id="type-name-over-127"),
    pytest.param("text", id="no-subtype"),
    pytest.param("text/", id="empty-subtype"),
    pytest.param("/plain", id="empty-type"),
    pytest.param("a/b/c", id="two-slashes"),
    pytest.param("*/*", id="wildcard"),
    pytest.param("-text/plain", id="name-starting-with-punctuation"),
]

SERVED = [
    # (stored, inline asked) -> (Content-Type named, inline given)
    pytest.param("image/png", True, ("image/png", True), id="png-inline"),
    pytest.param("image/png", False, ("image/png", False), id="png-attachment"),
    pytest.param("image/jpeg", True, ("image/jpeg", True), id="jpeg"),
    pytest.param("image/webp", True, ("image/webp", True), id="webp"),
    pytest.param("video/mp4", True, ("video/mp4", True), id="mp4"),
    pytest.param("audio/mpeg", True, ("audio/mpeg", True), id="mp3"),
    pytest.param("application/pdf", True, ("application/pdf", True), id="pdf"),
    pytest.param("text/plain", True, (UTF8_TEXT, True), id="text-named-utf-8"),
    pytest.param(UTF8_TEXT, True, (UTF8_TEXT, True), id="utf-8-text"),
    pytest.param(UTF8_TEXT, False, (UTF8_TEXT, False), id="utf-8-text-attachment"),
    pytest.param("text/plain; charset=utf-7", True, (OCTET, False), id="utf-7-text"),
    pytest.param("text/plain; charset=iso-8859-1", True, (OCTET, False), id="latin-1-text"),
    pytest.param("image/svg+xml", True, (OCTET, False), id="svg"),
    pytest.param("image/x-icon", True, (OCTET, False), id="icon"),
    pytest.param("text/html", True, (OCTET, False), id="html"),
    pytest.param("text/html; charset=utf-8", True, (OCTET, False), id="html-utf-8"),
    pytest.param("application/xhtml+xml", True, (OCTET, False), id="xhtml"),
    pytest.param("text/xml", True, (OCTET, False), id="xml"),
    pytest.param("text/javascript", True, (OCTET, False), id="javascript"),
    pytest.param("application/x-teamdrive-unknown", True, (OCTET, False), id="unknown"),
    pytest.param(None, True, (OCTET, False), id="none"),
    # Free text stored before the strict rule: never echoed, never inline.
    pytest.param("text/plain; a=b, text/html", True, (OCTET, False), id="stored-attack-text"),
    pytest.param("image/png; x=1, text/html", True, (OCTET, False), id="stored-attack-png"),
    pytest.param('application/pdf;x="",text/html', True, (OCTET, False), id="stored-attack-pdf"),
    pytest.param("IMAGE/PNG", True, ("image/png", True), id="stored-upper-case"),
]


@pytest.mark.parametrize(("given", "canonical"), ACCEPTED)
def test_parse_answers_the_canonical_form(given, canonical):
    assert filetypes.parse(given) == canonical
    assert filetypes.parse(canonical) == canonical  # canonical is a fixed point
    assert rules.content_type(given) == canonical


@pytest.mark.parametrize("given", REFUSED)
def test_parse_refuses(given):
    with pytest.raises(filetypes.Malformed):
        filetypes.parse(given)
    assert filetypes.canonical(given) == OCTET


@pytest.mark.parametrize("given", REFUSED)
def test_an_upload_s_content_type_that_is_refused_is_a_400_naming_the_field(given):
    with pytest.raises(InvalidRequest) as caught:
        rules.content_type(given)
    assert caught.value.code == "invalid_request"
    assert set(caught.value.details["fields"]) == {"content_type"}


@pytest.mark.parametrize(("stored", "inline", "answer"), SERVED)
def test_served_names_a_safe_type_and_inline_only_from_the_allow_list(stored, inline, answer):
    assert filetypes.served(stored, inline=inline) == answer


@pytest.mark.parametrize("stored", [p.values[0] for p in SERVED])
def test_served_never_inline_unless_asked(stored):
    assert filetypes.served(stored, inline=False)[1] is False


@pytest.mark.parametrize(
    ("stored", "kind"),
    [
        pytest.param("image/jpeg", "picture", id="jpeg"),
        pytest.param("IMAGE/JPEG", "picture", id="upper-case"),
        pytest.param("video/mp4", "video", id="video"),
        pytest.param("image/svg+xml", None, id="svg"),
        pytest.param("image/png; x=1, text/html", None, id="stored-attack-png"),
    ],
)
def test_thumbnails_are_made_of_canonical_pictures_and_videos_only(stored, kind):
    assert filetypes.thumbnailed(stored) == kind


@pytest.fixture(scope="module")
def documented() -> dict[str, Any]:
    """The ContentType schema of openapi.yaml, which clients read."""
    spec = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text())
    return dict(spec["components"]["schemas"]["ContentType"])


@pytest.mark.parametrize(
    "given", [p.values[0] for p in ACCEPTED if p.values[0] is not None] + REFUSED
)
def test_the_documented_pattern_accepts_what_the_parser_accepts(documented, given):
    try:
        filetypes.parse(given)
        accepted = True
    except filetypes.Malformed:
        accepted = False
    fits = len(given) <= documented["maxLength"] and re.search(documented["pattern"], given)
    assert bool(fits) == accepted
