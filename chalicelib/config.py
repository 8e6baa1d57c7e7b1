"""Every setting, read once from the environment.

Nothing else in the application reads ``os.environ``: services ask ``get_settings()``, and test
fixtures call ``get_settings.cache_clear()`` after changing the environment.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from chalicelib.errors import ConfigError

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
# The local development identity provider, under the site's API (infra/local serves /api).
DEV_IDP_PATH = "/api/dev/idp"
DEV_IDP_CLIENT_ID = "teamdrive-local"
# A provider id names a route (/auth/{provider}): it cannot be one of the other /auth routes.
PROVIDER_ID = re.compile(r"[a-z][a-z0-9-]{1,29}")
RESERVED_PROVIDER_IDS = frozenset(
    {
        "google",
        "facebook",
        "providers",
        "register",
        "verify-email",
        "resend-verification",
        "login",
        "token",
        "refresh",
        "logout",
        "logout-all",
        "forgot-username",
        "forgot-password",
        "reset-password",
        "phone",
        "sessions",
        "passkeys",
    }
)
_PROVIDER_KEYS = {"id", "name", "issuer", "client_id", "discovery_url", "jwks_uri"}
# Stages that never run in AWS: the local runner's, and the tests'. Every other stage is
# deployed (dev included) and refuses development values.
DEVELOPMENT_STAGES = frozenset({"local", "test", "live"})

MIB = 1024**2
GIB = 1024**3
# S3's own limits on multipart uploads.
S3_MIN_PART = 5 * MIB
S3_MAX_PART = 5 * GIB


@dataclass(frozen=True)
class OidcProvider:
    """A sign-in provider whose ID tokens we verify: its signing keys come from ``jwks_uri``
    (a JWK Set, or Google's ``{kid: certificate}``) or else from the discovery document."""

    id: str
    name: str
    issuers: tuple[str, ...]  # the first is the one the discovery document must name
    client_id: str
    discovery_url: str | None = None
    jwks_uri: str | None = None
    kind: str = "oidc"

    @property
    def issuer(self) -> str:
        return self.issuers[0]


@dataclass(frozen=True)
class Settings:
    stage: str
    public_url: str
    files_bucket: str
    media_queue_url: str
    mail_queue_url: str
    signing_secret_id: str
    mail_from: str
    google_client_id: str | None
    google_certs_url: str
    # OpenID Connect providers besides Google, from OIDC_PROVIDERS (see the README).
    oidc_providers: tuple[OidcProvider, ...]
    # The development identity provider (/dev/idp/...): never on a deployed stage.
    dev_idp: bool
    # Password hashing (argon2id). Memory in KiB.
    argon2_time_cost: int
    argon2_memory_kib: int
    argon2_parallelism: int
    # Lifetimes, in seconds.
    access_ttl_s: int
    refresh_ttl_s: int
    verify_ttl_s: int
    reset_ttl_s: int
    phone_code_ttl_s: int
    # Where a phone number written without "+" is dialled (ISO 3166 code; None: "+" needed).
    phone_default_country: str | None
    # Throttling of failed sign-ins per account.
    login_fail_limit: int
    login_fail_window_s: int
    default_quota_bytes: int
    # Uploads: the smallest part we cut (S3 allows 5 MiB), how long a signed part URL lives,
    # and when an upload nobody finished is aborted.
    upload_part_bytes: int
    upload_url_ttl_s: int
    upload_stale_s: int
    # Downloads: how long a signed GET lives (the contract allows 5 minutes at most).
    download_url_ttl_s: int
    # Trashed things are deleted for good after this many days.
    trash_retention_days: int
    # Thumbnails: the largest picture file read (bytes) and picture (pixels, a decompression
    # bomb's guard), how long a signed thumbnail URL lives, and the ffmpeg to run (the
    # layer's in AWS; empty: the imageio-ffmpeg wheel's).
    media_max_image_bytes: int
    media_max_pixels: int
    thumbnail_url_ttl_s: int
    ffmpeg_binary: str

    @property
    def sign_in_providers(self) -> tuple[OidcProvider, ...]:
        """Every provider a sign-in button may name: Google (the development provider's
        Google when there is no client id and the development provider is on), then the rest."""
        google: OidcProvider | None = None
        if self.google_client_id:
            google = OidcProvider(
                "google",
                "Google",
                GOOGLE_ISSUERS,
                self.google_client_id,
                jwks_uri=self.google_certs_url,
            )
        elif self.dev_idp:
            issuer = f"{self.site_origin}{DEV_IDP_PATH}/google"
            google = OidcProvider(
                "google", "Google", (issuer,), DEV_IDP_CLIENT_ID, jwks_uri=f"{issuer}/jwks"
            )
        return (google, *self.oidc_providers) if google else self.oidc_providers

    def table_name(self, name: str) -> str:
        return f"{self.stage}-{name}"

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` whenever the site is served over HTTPS."""
        return urlsplit(self.public_url).scheme == "https"

    @property
    def site_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from exc


def _flag(name: str, value: str | None, default: bool) -> bool:
    raw = (value or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "on", "yes"):
        return True
    if raw in ("0", "false", "off", "no"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _oidc_providers(raw: str) -> tuple[OidcProvider, ...]:
    """``OIDC_PROVIDERS``: a JSON list of ``{id, name, issuer, client_id, discovery_url?,
    jwks_uri?}``; the discovery URL defaults to the issuer's ``/.well-known`` document."""
    if not raw.strip():
        return ()
    try:
        items = json.loads(raw)
    except ValueError as exc:
        raise ConfigError("OIDC_PROVIDERS must be a JSON list of providers") from exc
    if not isinstance(items, list):
        raise ConfigError("OIDC_PROVIDERS must be a JSON list of providers")
    providers: list[OidcProvider] = []
    for item in items:
        if not isinstance(item, dict) or not {"id", "name", "issuer", "client_id"} <= set(item):
            raise ConfigError("each OIDC provider needs id, name, issuer and client_id")
        if set(item) - _PROVIDER_KEYS:
            raise ConfigError(
                f"unknown OIDC provider settings: {sorted(set(item) - _PROVIDER_KEYS)}"
            )
        if not all(isinstance(value, str) and value for value in item.values()):
            raise ConfigError("OIDC provider settings are non-empty strings")
        ident = item["id"]
        if not PROVIDER_ID.fullmatch(ident) or ident in RESERVED_PROVIDER_IDS:
            raise ConfigError(f"OIDC provider id {ident!r} is not a free lowercase name")
        if any(p.id == ident for p in providers):
            raise ConfigError(f"OIDC provider {ident!r} is configured twice")
        issuer = item["issuer"].rstrip("/")
        providers.append(
            OidcProvider(
                ident,
                item["name"][:50],
                (issuer,),
                item["client_id"],
                discovery_url=item.get("discovery_url")
                or f"{issuer}/.well-known/openid-configuration",
                jwks_uri=item.get("jwks_uri"),
            )
        )
    return tuple(providers)


def _country(raw: str) -> str | None:
    from chalicelib.services.rules import CALLING_CODES

    code = raw.strip().upper()
    if not code:
        return None
    if code not in CALLING_CODES:
        known = ", ".join(sorted(CALLING_CODES))
        raise ConfigError(f"PHONE_DEFAULT_COUNTRY must be empty or one of {known}, not {raw!r}")
    return code


def load_settings(env: dict[str, str]) -> Settings:
    """Build the settings from an environment mapping (``os.environ`` in production)."""
    stage = env.get("STAGE", "local")
    settings = Settings(
        stage=stage,
        public_url=env.get("PUBLIC_URL", "http://localhost:8000").rstrip("/"),
        files_bucket=env.get("FILES_BUCKET", f"teamdrive-{stage}-files"),
        media_queue_url=env.get("MEDIA_QUEUE_URL", ""),
        mail_queue_url=env.get("MAIL_QUEUE_URL", ""),
        signing_secret_id=env.get("SIGNING_SECRET_ID", f"teamdrive/{stage}/signing-key"),
        mail_from=env.get("MAIL_FROM", "teamdrive <no-reply@teamdrive.local>"),
        google_client_id=env.get("GOOGLE_CLIENT_ID") or None,
        google_certs_url=env.get("GOOGLE_CERTS_URL", GOOGLE_CERTS_URL),
        oidc_providers=_oidc_providers(env.get("OIDC_PROVIDERS", "")),
        dev_idp=_flag("DEV_IDP", env.get("DEV_IDP"), stage == "local"),
        argon2_time_cost=_int(env, "ARGON2_TIME_COST", 3),
        argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB", 65536),
        argon2_parallelism=_int(env, "ARGON2_PARALLELISM", 1),
        access_ttl_s=_int(env, "ACCESS_TTL_S", 15 * 60),
        refresh_ttl_s=_int(env, "REFRESH_TTL_S", 14 * 24 * 3600),
        verify_ttl_s=_int(env, "VERIFY_TTL_S", 24 * 3600),
        reset_ttl_s=_int(env, "RESET_TTL_S", 30 * 60),
        phone_code_ttl_s=_int(env, "PHONE_CODE_TTL_S", 5 * 60),
        phone_default_country=_country(env.get("PHONE_DEFAULT_COUNTRY", "KR")),
        login_fail_limit=_int(env, "LOGIN_FAIL_LIMIT", 10),
        login_fail_window_s=_int(env, "LOGIN_FAIL_WINDOW_S", 15 * 60),
        default_quota_bytes=_int(env, "DEFAULT_QUOTA_BYTES", 10 * GIB),
        upload_part_bytes=_int(env, "UPLOAD_PART_BYTES", 8 * MIB),
        upload_url_ttl_s=_int(env, "UPLOAD_URL_TTL_S", 3600),
        upload_stale_s=_int(env, "UPLOAD_STALE_S", 24 * 3600),
        download_url_ttl_s=_int(env, "DOWNLOAD_URL_TTL_S", 300),
        trash_retention_days=_int(env, "TRASH_RETENTION_DAYS", 30),
        media_max_image_bytes=_int(env, "MEDIA_MAX_IMAGE_BYTES", 100 * MIB),
        media_max_pixels=_int(env, "MEDIA_MAX_PIXELS", 100_000_000),
        thumbnail_url_ttl_s=_int(env, "THUMBNAIL_URL_TTL_S", 3600),
        ffmpeg_binary=env.get("FFMPEG_BINARY", ""),
    )
    _check_limits(settings)
    if stage not in DEVELOPMENT_STAGES:
        _refuse_development_settings(settings)
    return settings


def _check_limits(settings: Settings) -> None:
    if not S3_MIN_PART <= settings.upload_part_bytes <= S3_MAX_PART:
        raise ConfigError("UPLOAD_PART_BYTES must be between 5 MiB and 5 GiB (S3's limits)")
    if not 60 <= settings.upload_url_ttl_s <= 7 * 24 * 3600:
        raise ConfigError("UPLOAD_URL_TTL_S must be between 60 s and 7 days")
    if not 1 <= settings.download_url_ttl_s <= 300:
        raise ConfigError("DOWNLOAD_URL_TTL_S must be between 1 and 300 s")
    if settings.media_max_image_bytes < 1 or not 1 <= settings.media_max_pixels <= 1_000_000_000:
        raise ConfigError("MEDIA_MAX_IMAGE_BYTES is positive, MEDIA_MAX_PIXELS 1 to a billion")
    if not 60 <= settings.thumbnail_url_ttl_s <= 7 * 24 * 3600:
        raise ConfigError("THUMBNAIL_URL_TTL_S must be between 60 s and 7 days")
    if settings.upload_stale_s < 3600 or settings.trash_retention_days < 1:
        raise ConfigError("UPLOAD_STALE_S is at least an hour, TRASH_RETENTION_DAYS a day")


def _refuse_development_settings(settings: Settings) -> None:
    if not settings.secure_cookies:
        raise ConfigError("a deployed stage needs an https PUBLIC_URL")
    if settings.google_certs_url != GOOGLE_CERTS_URL:
        raise ConfigError("a deployed stage verifies Google tokens against Google's certificates")
    if settings.dev_idp:
        raise ConfigError("a deployed stage cannot run the development identity provider")
    for provider in settings.oidc_providers:
        urls = (provider.issuer, provider.discovery_url or "", provider.jwks_uri or "")
        if any(url and urlsplit(url).scheme != "https" for url in urls):
            raise ConfigError(f"a deployed stage reaches OIDC provider {provider.id!r} over https")
    if settings.argon2_memory_kib < 19456 or settings.argon2_time_cost < 2:
        raise ConfigError("a deployed stage needs argon2id parameters of at least m=19 MiB, t=2")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings(dict(os.environ))
