"""The rules of usernames, emails, passwords, nicknames and phones, checked directly."""

from __future__ import annotations

import unicodedata

import pytest

from chalicelib.errors import InvalidRequest
from chalicelib.models.nodes import name_key
from chalicelib.services import rules


def refused(check, *args, **kwargs) -> dict[str, str]:
    """The ``details.fields`` of the InvalidRequest the check raises."""
    with pytest.raises(InvalidRequest) as caught:
        check(*args, **kwargs)
    assert caught.value.code == "invalid_request"
    return caught.value.details["fields"]


# --- usernames --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("alice", "alice"),
        ("AliCe", "alice"),
        ("  bob\t", "bob"),
        ("abc", "abc"),
        ("a" * 30, "a" * 30),
        ("a_b.c-d9", "a_b.c-d9"),
    ],
    ids=["plain", "mixed-case", "surrounding-space", "3-chars", "30-chars", "punctuation"],
)
def test_username_accepts_and_lowercases(given, stored):
    assert rules.username(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "ab",
        "a" * 31,
        "",
        "   ",
        "al ice",
        "alice!",
        "al@ice",
        "al/ice",
        "ålice",
        "ａｌｉｃｅ",
        "ALİCE",
        "alice\x00",
        "😀😀😀",
    ],
    ids=[
        "2-chars",
        "31-chars",
        "empty",
        "blank",
        "inner-space",
        "bang",
        "at-sign",
        "slash",
        "accented",
        "fullwidth",
        "dotted-capital-i",
        "nul",
        "emoji",
    ],
)
def test_username_refuses(given):
    assert set(refused(rules.username, given)) == {"username"}


def test_username_names_the_field_it_was_given():
    assert set(refused(rules.username, "x", field="login")) == {"login"}


# --- emails -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("alice@example.com", "alice@example.com"),
        ("Alice.Smith@Example.COM", "Alice.Smith@example.com"),
        ("  bob@example.com \n", "bob@example.com"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
        ("o'brien@my-site.example", "o'brien@my-site.example"),
        ("x" * 64 + "@example.com", "x" * 64 + "@example.com"),
    ],
    ids=[
        "plain",
        "domain-lowercased-local-kept",
        "surrounding-space",
        "plus-and-subdomains",
        "apostrophe-and-hyphen",
        "local-64",
    ],
)
def test_email_accepts_and_lowercases_the_domain_only(given, stored):
    assert rules.email(given) == stored


LONG_DOMAIN = ".".join(["b" * 63] * 3) + ".com"


@pytest.mark.parametrize(
    "given",
    [
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "alice@example.c",
        "alice@example.com.",
        "alice@example.123",
        "a@b@example.com",
        ".alice@example.com",
        "al..ice@example.com",
        "alice@-example.com",
        "al ice@example.com",
        "alice@exa mple.com",
        "alice\x00@example.com",
        "alice@example.com\x7f",
        "élise@example.com",
        "alice@école.fr",
        "用户@例子.广告",
        "x" * 65 + "@example.com",
        "x" * 64 + "@" + LONG_DOMAIN,
        "",
    ],
    ids=[
        "no-at",
        "no-domain",
        "no-local-part",
        "no-dot-in-domain",
        "one-letter-tld",
        "trailing-dot",
        "numeric-tld",
        "two-ats",
        "leading-dot",
        "double-dot",
        "domain-label-starts-with-hyphen",
        "space-in-local",
        "space-in-domain",
        "nul",
        "del",
        "unicode-local-part",
        "unicode-domain",
        "idn",
        "local-65",
        "longer-than-254",
        "empty",
    ],
)
def test_email_refuses(given):
    assert set(refused(rules.email, given)) == {"email"}


# --- passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    ["abcdefg1", "a" * 128, "пароль12", "🔒" * 8, "        ", "1234567a"],
    ids=["8-chars", "128-chars", "cyrillic", "8-emoji", "8-spaces", "digits-and-a-letter"],
)
def test_password_accepts(given):
    assert rules.password(given, username_value="alice") == given


@pytest.mark.parametrize(
    ("given", "username"),
    [
        ("abcdefg", None),
        ("a" * 129, None),
        ("🔒" * 7, None),
        ("", None),
        ("12345678", None),
        ("１２３４５６７８", None),
        ("alice-smith", "alice-smith"),
        ("ALICE-SMITH", "alice-smith"),
        ("alice-smith", "Alice-Smith"),
        ("STRASSE-12", "straße-12"),
    ],
    ids=[
        "7-chars",
        "129-chars",
        "7-emoji",
        "empty",
        "all-ascii-digits",
        "all-fullwidth-digits",
        "equals-username",
        "username-upper",
        "username-given-in-capitals",
        "username-by-casefold",
    ],
)
def test_password_refuses(given, username):
    assert set(refused(rules.password, given, username_value=username)) == {"password"}


def test_password_names_the_field_it_was_given():
    fields = refused(rules.password, "short", field="new_password")

    assert set(fields) == {"new_password"}


def test_password_may_contain_the_username():
    assert rules.password("alice-rocks", username_value="alice") == "alice-rocks"


# --- nicknames --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("  Ally  ", "Ally"),
        ("n" * 50, "n" * 50),
        ("😀" * 50, "😀" * 50),
        (" " + "n" * 50 + " ", "n" * 50),
        ("q\u0301" * 25, "q\u0301" * 25),
        ("e\u0301" * 30, "\u00e9" * 30),
        ("김철수", "김철수"),
    ],
    ids=[
        "none",
        "empty",
        "blank",
        "trimmed",
        "50-chars",
        "50-emoji",
        "50-after-trimming",
        "50-code-points-combining",
        "composed-then-counted",
        "hangul",
    ],
)
def test_nickname_accepts(given, stored):
    assert rules.nickname(given) == stored


@pytest.mark.parametrize(
    "given",
    ["n" * 51, "😀" * 51, "q\u0301" * 26, "line\nbreak", "tab\there", "nul\x00", "del\x7f"],
    ids=["51-chars", "51-emoji", "52-code-points-combining", "newline", "tab", "nul", "del"],
)
def test_nickname_refuses(given):
    assert set(refused(rules.nickname, given)) == {"nickname"}


# --- phones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("+821012345678", "+821012345678"),
        ("+82 10-1234-5678", "+821012345678"),
        ("+1 (555) 010-0001", "+15550100001"),
        ("+1234567", "+1234567"),
        ("+123456789012345", "+123456789012345"),
    ],
    ids=[
        "none",
        "empty",
        "blank",
        "e164",
        "spaces-and-dashes",
        "parentheses",
        "7-digits",
        "15-digits",
    ],
)
def test_phone_accepts_and_normalises(given, stored):
    assert rules.phone(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "821012345678",
        "+0821012345",
        "+123456",
        "+1234567890123456",
        "+1555CALLNOW",
        "++821012345678",
        "+８２１０１２３４５６７８",
        "+82.10.1234.5678",
        "00821012345678",
    ],
    ids=[
        "no-plus",
        "leading-zero",
        "6-digits",
        "16-digits",
        "letters",
        "double-plus",
        "fullwidth-digits",
        "dots",
        "international-prefix",
    ],
)
def test_phone_refuses(given):
    assert set(refused(rules.phone, given)) == {"phone"}


@pytest.mark.parametrize(
    ("given", "country", "stored"),
    [
        ("010-1234-5678", "KR", "+821012345678"),
        ("01012345678", "KR", "+821012345678"),
        ("(02) 123-4567", "KR", "+8221234567"),
        ("+82 10 1234 5678", "KR", "+821012345678"),
        ("+1 555 010 0001", "KR", "+15550100001"),
        ("090-1234-5678", "JP", "+819012345678"),
        ("(555) 010-0001", "US", "+15550100001"),
        ("07700 900123", "GB", "+447700900123"),
    ],
)
def test_phone_reads_a_national_number_in_the_default_country(given, country, stored):
    assert rules.phone(given, country=country) == stored


@pytest.mark.parametrize(
    ("given", "country"),
    [
        ("010-1234-5678", None),
        ("0101234", "KR"),
        ("00821012345678", "KR"),
        ("1012345678", "KR"),
        ("1555010000", "US"),
        ("555010000", "US"),
    ],
    ids=["no-country", "too-short", "00-prefix", "no-trunk", "us-1", "us-9-digits"],
)
def test_phone_refuses_a_national_number_it_cannot_read(given, country):
    assert set(refused(lambda v: rules.phone(v, country=country), given)) == {"phone"}


def test_the_default_country_is_a_setting(monkeypatch):
    from tests.conftest import reset_settings

    monkeypatch.setenv("PHONE_DEFAULT_COUNTRY", "jp")
    reset_settings()
    try:
        assert rules.phone("090-1234-5678") == "+819012345678"
        monkeypatch.setenv("PHONE_DEFAULT_COUNTRY", "")
        reset_settings()
        assert set(refused(rules.phone, "090-1234-5678")) == {"phone"}
    finally:
        monkeypatch.undo()
        reset_settings()


# --- masking and collecting -------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("jane@example.com", "j***@example.com"),
        ("j@example.com", "j***@example.com"),
        ("Élise@école.fr", "É***@école.fr"),
        ("😀smile@example.com", "😀***@example.com"),
        ("@example.com", "***@example.com"),
    ],
    ids=["plain", "one-letter", "accented", "emoji", "empty-local-part"],
)
def test_mask_email_keeps_the_first_character_and_the_domain(address, masked):
    assert rules.mask_email(address) == masked


def test_mask_email_never_shows_more_than_one_character_of_the_local_part():
    assert "ecret" not in rules.mask_email("secret.agent@example.com")


def test_collect_returns_every_value_in_order():
    values = rules.collect(lambda: rules.username("Bob"), lambda: rules.phone(None), lambda: 3)

    assert values == ["bob", None, 3]


def test_collect_names_every_failed_field_in_one_error():
    fields = refused(
        rules.collect,
        lambda: rules.username("x"),
        lambda: rules.email("fine@example.com"),
        lambda: rules.password("1234"),
        lambda: rules.nickname("n" * 51),
    )

    assert set(fields) == {"username", "password", "nickname"}


def test_collect_lets_other_errors_through():
    def broken() -> None:
        raise KeyError("not a validation problem")

    with pytest.raises(KeyError):
        rules.collect(lambda: rules.username("x"), broken)


# --- names: one spelling ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("caf\u00e9", "cafe\u0301"),
        ("caf\u00e9", "CAFE\u0301"),
        ("\u0390", "\u03aa\u0301"),
        ("stra\u00dfe", "STRASSE"),
        ("\u212a", "k"),
    ],
    ids=["nfc-nfd", "nfc-upper-nfd", "folding-decomposes", "sharp-s", "kelvin-sign"],
)
def test_name_key_is_one_for_every_spelling_and_case(one, other):
    assert name_key(one) == name_key(other)
    assert name_key(one) == unicodedata.normalize("NFC", name_key(one))


def test_node_name_is_composed_and_counted_composed():
    assert rules.node_name("e\u0301" * 255) == "\u00e9" * 255
    assert set(refused(rules.node_name, "e" * 256)) == {"name"}


def test_scrub_drops_what_a_name_may_not_hold():
    assert rules.scrub("Ann\u202e\u200b\x07e\u0301") == "Ann\u00e9"
