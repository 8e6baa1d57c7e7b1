"""Settings: defaults, parsing, what a deployed stage refuses, and the derived values."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chalicelib.config import GOOGLE_CERTS_URL, get_settings, load_settings
from chalicelib.errors import ConfigError

PROD = {
    "STAGE": "prod",
    "PUBLIC_URL": "https://drive.example.com",
    "ARGON2_TIME_COST": "2",
    "ARGON2_MEMORY_KIB": "19456",
}


def test_defaults_suit_local_development():
    settings = load_settings({})

    assert settings.stage == "local"
    assert settings.public_url == "http://localhost:8000"
    assert settings.files_bucket == "teamdrive-local-files"
    assert settings.media_queue_url == ""
    assert settings.signing_secret_id == "teamdrive/local/signing-key"
    assert settings.mail_from == "teamdrive <no-reply@teamdrive.local>"
    assert settings.google_client_id is None
    assert settings.google_certs_url == GOOGLE_CERTS_URL
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (3, 65536)
    assert settings.argon2_parallelism == 1
    assert settings.access_ttl_s == 15 * 60
    assert settings.refresh_ttl_s == 14 * 24 * 3600
    assert settings.verify_ttl_s == 24 * 3600
    assert settings.reset_ttl_s == 30 * 60
    assert settings.phone_code_ttl_s == 5 * 60
    assert settings.phone_default_country == "KR"
    assert (settings.login_fail_limit, settings.login_fail_window_s) == (10, 15 * 60)
    assert settings.default_quota_bytes == 10 * 1024**3
    assert settings.upload_part_bytes == 8 * 1024**2
    assert (settings.upload_url_ttl_s, settings.upload_stale_s) == (3600, 24 * 3600)
    assert settings.download_url_ttl_s == 300
    assert settings.trash_retention_days == 30


def test_names_follow_the_stage():
    settings = load_settings({**PROD, "STAGE": "qa"})

    assert settings.files_bucket == "teamdrive-qa-files"
    assert settings.signing_secret_id == "teamdrive/qa/signing-key"
    assert settings.table_name("users") == "qa-users"


def test_public_url_loses_its_trailing_slash():
    assert load_settings({"PUBLIC_URL": "https://drive.example.com/"}).public_url == (
        "https://drive.example.com"
    )


def test_an_empty_google_client_id_means_google_sign_in_is_off():
    assert load_settings({"GOOGLE_CLIENT_ID": ""}).google_client_id is None


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("ACCESS_TTL_S", "access_ttl_s"),
        ("VERIFY_TTL_S", "verify_ttl_s"),
        ("RESET_TTL_S", "reset_ttl_s"),
        ("PHONE_CODE_TTL_S", "phone_code_ttl_s"),
        ("LOGIN_FAIL_LIMIT", "login_fail_limit"),
        ("DEFAULT_QUOTA_BYTES", "default_quota_bytes"),
        ("ARGON2_MEMORY_KIB", "argon2_memory_kib"),
    ],
)
def test_integer_settings_are_parsed(name, attribute):
    assert getattr(load_settings({name: "42"}), attribute) == 42


def test_an_empty_integer_setting_takes_its_default():
    assert load_settings({"RESET_TTL_S": ""}).reset_ttl_s == 30 * 60


@pytest.mark.parametrize(
    "raw",
    ["abc", "1.5", "1e3", " ", "0x10"],
    ids=["letters", "decimal", "exponent", "blank", "hex"],
)
def test_an_integer_setting_that_is_not_an_integer_is_a_config_error(raw):
    with pytest.raises(ConfigError, match="ACCESS_TTL_S"):
        load_settings({"ACCESS_TTL_S": raw})


# --- deployed stages --------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"UPLOAD_PART_BYTES": str(5 * 1024**2 - 1)}, id="part-below-s3-minimum"),
        pytest.param({"UPLOAD_PART_BYTES": str(5 * 1024**3 + 1)}, id="part-above-s3-maximum"),
        pytest.param({"UPLOAD_URL_TTL_S": "59"}, id="upload-url-too-short"),
        pytest.param({"UPLOAD_URL_TTL_S": str(7 * 24 * 3600 + 1)}, id="upload-url-past-sigv4"),
        pytest.param({"DOWNLOAD_URL_TTL_S": "301"}, id="download-url-over-5-minutes"),
        pytest.param({"DOWNLOAD_URL_TTL_S": "0"}, id="download-url-zero"),
        pytest.param({"UPLOAD_STALE_S": "60"}, id="stale-uploads-under-an-hour"),
        pytest.param({"TRASH_RETENTION_DAYS": "0"}, id="trash-kept-no-day"),
        pytest.param({"MEDIA_MAX_IMAGE_BYTES": "0"}, id="no-picture-small-enough"),
        pytest.param({"MEDIA_MAX_PIXELS": "0"}, id="no-pixels-allowed"),
        pytest.param({"THUMBNAIL_URL_TTL_S": "59"}, id="thumbnail-url-too-short"),
    ],
)
def test_file_limits_outside_what_s3_and_the_contract_allow_are_config_errors(changes):
    with pytest.raises(ConfigError):
        load_settings(changes)


def test_a_prod_stage_with_fit_settings_loads():
    settings = load_settings(PROD)

    assert settings.stage == "prod"
    assert settings.secure_cookies is True


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"PUBLIC_URL": "http://drive.example.com"}, id="http-public-url"),
        pytest.param({"PUBLIC_URL": "drive.example.com"}, id="schemeless-public-url"),
        pytest.param({}, id="default-localhost-url"),
        pytest.param({"GOOGLE_CERTS_URL": "http://127.0.0.1:8080/certs"}, id="local-google-certs"),
        pytest.param(
            {"GOOGLE_CERTS_URL": "https://www.googleapis.com/oauth2/v3/certs"},
            id="other-google-certs-url",
        ),
        pytest.param({"ARGON2_MEMORY_KIB": "19455"}, id="argon2-memory-below-19mib"),
        pytest.param({"ARGON2_TIME_COST": "1"}, id="argon2-time-cost-1"),
        pytest.param({"ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1"}, id="test-hashing"),
        pytest.param({"DEV_IDP": "true"}, id="development-identity-provider"),
        pytest.param(
            {
                "OIDC_PROVIDERS": '[{"id": "acme", "name": "Acme", "issuer": "http://idp.local", '
                '"client_id": "c"}]'
            },
            id="http-oidc-issuer",
        ),
    ],
)
def test_the_prod_stage_refuses_development_settings(changes):
    env = {**PROD, **changes}
    if not changes:
        del env["PUBLIC_URL"]

    with pytest.raises(ConfigError):
        load_settings(env)


@pytest.mark.parametrize("stage", ["dev", "prod", "staging"])
def test_every_deployed_stage_refuses_an_http_site(stage):
    with pytest.raises(ConfigError):
        load_settings({"STAGE": stage, "PUBLIC_URL": "http://drive.example.com"})


@pytest.mark.parametrize("stage", ["test", "local", "live"])
def test_stages_that_never_deploy_accept_development_settings(stage):
    settings = load_settings(
        {
            "STAGE": stage,
            "PUBLIC_URL": "http://localhost:8000",
            "GOOGLE_CERTS_URL": "http://127.0.0.1:8080/certs",
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_KIB": "1024",
        }
    )

    assert settings.google_certs_url == "http://127.0.0.1:8080/certs"


# --- derived values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        ("https://drive.example.com", True),
        ("http://localhost:8000", False),
        ("http://drive.example.com", False),
    ],
    ids=["https", "local-http", "remote-http"],
)
def test_cookies_are_secure_exactly_when_the_site_is_https(url, secure):
    assert load_settings({"PUBLIC_URL": url}).secure_cookies is secure


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://drive.example.com", "https://drive.example.com"),
        ("https://drive.example.com/teamdrive/", "https://drive.example.com"),
        ("https://drive.example.com:8443/app", "https://drive.example.com:8443"),
    ],
    ids=["local-with-port", "bare-host", "with-path", "port-and-path"],
)
def test_site_origin_is_scheme_host_and_port(url, origin):
    assert load_settings({"PUBLIC_URL": url}).site_origin == origin


def test_table_names_are_prefixed_by_the_stage():
    assert load_settings({"STAGE": "test"}).table_name("tokens") == "test-tokens"


def test_settings_cannot_be_changed_after_loading():
    settings = load_settings({})

    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.stage = "prod"  # type: ignore[misc]


def test_get_settings_reads_the_environment_once(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://drive.example.com")
    monkeypatch.setenv("ARGON2_TIME_COST", "3")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "65536")
    monkeypatch.delenv("GOOGLE_CERTS_URL", raising=False)
    monkeypatch.setenv("STAGE", "first")
    get_settings.cache_clear()
    try:
        assert get_settings().stage == "first"
        monkeypatch.setenv("STAGE", "second")
        assert get_settings().stage == "first"
        get_settings.cache_clear()
        assert get_settings().stage == "second"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


# --- sign-in providers ------------------------------------------------------------------

ACME = {"id": "acme", "name": "Acme", "issuer": "https://idp.example.com/", "client_id": "c"}


def test_an_oidc_provider_is_a_setting_with_a_default_discovery_url():
    settings = load_settings({**PROD, "OIDC_PROVIDERS": json.dumps([ACME])})

    (acme,) = settings.sign_in_providers
    assert (acme.id, acme.name, acme.kind, acme.client_id) == ("acme", "Acme", "oidc", "c")
    assert acme.issuers == ("https://idp.example.com",)
    assert acme.discovery_url == "https://idp.example.com/.well-known/openid-configuration"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{", id="not-json"),
        pytest.param(json.dumps(ACME), id="not-a-list"),
        pytest.param(json.dumps([{**ACME, "client_id": ""}]), id="empty-client-id"),
        pytest.param(
            json.dumps([{k: v for k, v in ACME.items() if k != "issuer"}]), id="no-issuer"
        ),
        pytest.param(json.dumps([{**ACME, "audience": "x"}]), id="unknown-key"),
        pytest.param(json.dumps([{**ACME, "id": "login"}]), id="a-route-name"),
        pytest.param(json.dumps([{**ACME, "id": "google"}]), id="google-by-its-own-settings"),
        pytest.param(json.dumps([{**ACME, "id": "Acme Inc"}]), id="not-a-lowercase-name"),
        pytest.param(json.dumps([ACME, ACME]), id="twice"),
    ],
)
def test_a_malformed_oidc_provider_setting_is_a_config_error(raw):
    with pytest.raises(ConfigError):
        load_settings({"STAGE": "test", "OIDC_PROVIDERS": raw})


@pytest.mark.parametrize(
    ("env", "on"),
    [
        ({"STAGE": "local"}, True),
        ({"STAGE": "local", "DEV_IDP": "off"}, False),
        ({"STAGE": "test"}, False),
        ({"STAGE": "live", "DEV_IDP": "true"}, True),
    ],
    ids=["local-default", "local-off", "test-default", "live-on"],
)
def test_the_development_identity_provider_is_on_by_default_only_locally(env, on):
    assert load_settings(env).dev_idp is on


def test_the_development_provider_plays_google_when_no_client_id_is_set():
    (google,) = load_settings({"STAGE": "local"}).sign_in_providers

    assert google.id == "google"
    assert google.issuers == ("http://localhost:8000/api/dev/idp/google",)
    assert load_settings({"STAGE": "local", "GOOGLE_CLIENT_ID": "x"}).sign_in_providers[
        0
    ].issuers == ("https://accounts.google.com", "accounts.google.com")


@pytest.mark.parametrize(("raw", "country"), [("us", "US"), (" JP ", "JP"), ("", None)])
def test_the_default_phone_country_is_read(raw, country):
    assert load_settings({"PHONE_DEFAULT_COUNTRY": raw}).phone_default_country == country


def test_an_unknown_default_phone_country_is_refused():
    with pytest.raises(ConfigError, match="PHONE_DEFAULT_COUNTRY"):
        load_settings({"PHONE_DEFAULT_COUNTRY": "Korea"})
