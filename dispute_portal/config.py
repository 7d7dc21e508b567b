"""Settings classes. Development is the default; production refuses to start insecurely.

Every setting can be overridden from the environment (see the table in docs/operations.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# instance/ of the working directory: in a checkout, where `make run` runs; installed from a
# wheel, wherever the portal is started. INSTANCE_PATH names another place.
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH") or "instance").resolve()

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - flagged as insecure below


DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5000"
DEMO_BANK_ACCOUNTS = "KZT=KZ42601KZT0000123456,USD=KZ54601USD0000123456"
DEMO_BIN = "050840001233"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
    RULINGS_DIR = os.environ.get("RULINGS_DIR") or str(INSTANCE_DIR / "rulings")
    # Where seed-demo leaves the demo's bank statement files, for the officer to import.
    DEMO_STATEMENTS_DIR = str(INSTANCE_DIR / "demo-statements")
    # Where the public reaches the portal: the QR code of every ruling, invitation and reset
    # links point here; production refuses to start without it. Only requests for its host
    # (and, outside production, localhost and 127.0.0.1) are served: TRUSTED_HOSTS is derived
    # from it at start-up (trusted_hosts), with any TRUSTED_HOSTS_EXTRA (comma-separated;
    # ".centre.kz" takes every subdomain).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL
    TRUSTED_HOSTS_EXTRA = os.environ.get("TRUSTED_HOSTS_EXTRA", "")
    # Largest accepted document.
    MAX_UPLOAD_BYTES = _env_int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    # Largest request body: a form's worth (a long award's text fits many times over). The
    # pages that take files (core.web.takes_uploads) allow MAX_UPLOAD_BYTES more for each
    # file, as multipart only; anything larger is refused (413) before it is parsed.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    # A DOCX is a zip: refused when its directory declares more than this unpacked, more
    # entries, or an entry (over 1 MB) packed tighter than this ratio (a zip bomb).
    DOCX_MAX_UNCOMPRESSED_BYTES = _env_int("DOCX_MAX_UNCOMPRESSED_MB", 100) * 1024 * 1024
    DOCX_MAX_ENTRIES = _env_int("DOCX_MAX_ENTRIES", 2000)
    DOCX_MAX_RATIO = _env_int("DOCX_MAX_RATIO", 100)
    # A PDF is parsed while the upload waits: at most this many pages, read in this many
    # seconds. An image may have at most this many pixels (checked before it is decoded).
    PDF_MAX_PAGES = _env_int("PDF_MAX_PAGES", 5000)
    PDF_CHECK_SECONDS = _env_int("PDF_CHECK_SECONDS", 5)
    IMAGE_MAX_PIXELS = _env_int("IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
    # Virus scanning of uploads by clamd (INSTREAM), when configured: a unix socket, or a
    # host and port. An unreachable scanner refuses uploads (fail closed).
    CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET") or None
    CLAMD_HOST = os.environ.get("CLAMD_HOST") or None
    CLAMD_PORT = _env_int("CLAMD_PORT", 3310)
    CLAMD_TIMEOUT = _env_int("CLAMD_TIMEOUT", 30)
    # A login ends this long after it began (absolute), or after this much inactivity (idle).
    SESSION_LIFETIME_HOURS = _env_int("SESSION_LIFETIME_HOURS", 12)
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    # A password reset link works once, for this long.
    PASSWORD_RESET_MINUTES = _env_int("PASSWORD_RESET_MINUTES", 60)
    # A self-registered account's activation link works once, for this long.
    ACTIVATION_HOURS = _env_int("ACTIVATION_HOURS", 48)
    # The link through which a staff account sets up two-factor authentication, this long.
    MFA_ENROL_LINK_DAYS = _env_int("MFA_ENROL_LINK_DAYS", 7)

    LANGUAGES = ("en", "ru", "kk")
    # Where the parties pay (every invoice prints it): the Centre's account for each currency
    # ("KZT=KZ…,USD=KZ…", IBANs checked with schwifty at start-up), its BIN (12 digits with
    # their check digit) and its bank's name. The defaults are the demo's, refused in
    # production.
    CENTRE_BANK_ACCOUNTS = os.environ.get("CENTRE_BANK_ACCOUNTS") or DEMO_BANK_ACCOUNTS
    CENTRE_BIN = os.environ.get("CENTRE_BIN") or DEMO_BIN
    CENTRE_BANK_NAME = os.environ.get("CENTRE_BANK_NAME") or "Halyk Bank of Kazakhstan JSC"
    # The days a party has to pay an invoice.
    INVOICE_DUE_DAYS = _env_int("INVOICE_DUE_DAYS", 30)
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    DISPLAY_TIMEZONE = "Asia/Almaty"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_PATH = "/"
    # Flask-Login's remember-me cookie (not offered today) gets the same protection.
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_PATH = "/"
    # Rate limits (dispute_portal/auth/limits.py), "N per period" and several with ";".
    # The counters live in RATELIMIT_STORAGE_URI: "memory://" is one process only (the demo);
    # production shares them between workers in Redis.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Failed logins (and wrong current passwords) per account, then per address (IP):
    # a short pause after 3 failures, a longer lockout after 5.
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get(
        "RATELIMIT_LOGIN_ACCOUNT", "3 per minute; 5 per 15 minutes"
    )
    RATELIMIT_LOGIN_ADDRESS = os.environ.get("RATELIMIT_LOGIN_ADDRESS", "20 per 15 minutes")
    # Public pages that take a secret (ruling verification, invitation and reset links).
    RATELIMIT_PUBLIC_ADDRESS = os.environ.get(
        "RATELIMIT_PUBLIC_ADDRESS", "30 per minute; 300 per hour"
    )
    # Password reset requests: per address (refused), per account (no more e-mails sent).
    RATELIMIT_RESET_ADDRESS = os.environ.get("RATELIMIT_RESET_ADDRESS", "5 per 15 minutes")
    RATELIMIT_RESET_ACCOUNT = os.environ.get("RATELIMIT_RESET_ACCOUNT", "3 per hour")
    # Registrations: per address (refused), per e-mail address (no more e-mails sent).
    RATELIMIT_REGISTER_ADDRESS = os.environ.get("RATELIMIT_REGISTER_ADDRESS", "5 per hour")
    RATELIMIT_REGISTER_ACCOUNT = os.environ.get("RATELIMIT_REGISTER_ACCOUNT", "3 per hour")
    # The API (docs/api.md): per token or client, and per address for its public calls.
    RATELIMIT_API_CALLER = os.environ.get("RATELIMIT_API_CALLER", "120 per minute; 3000 per hour")
    RATELIMIT_API_PUBLIC = os.environ.get("RATELIMIT_API_PUBLIC", "30 per minute; 300 per hour")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session it is bound to
    CASE_NUMBER_PREFIX = os.environ.get("CASE_NUMBER_PREFIX", "ADR")
    # A PKCS#12 file: when set, every issued ruling is signed (PAdES) with it.
    SIGNING_CERT = os.environ.get("SIGNING_CERT") or None
    SIGNING_CERT_PASSWORD = os.environ.get("SIGNING_CERT_PASSWORD") or None
    # Background jobs (print batches): "thread" needs no service (the SQLite demo);
    # production uses "rq" with Redis and `rq worker portal` processes.
    JOB_RUNNER = os.environ.get("JOB_RUNNER", "thread")
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    # E-mail goes through the outbox table; without MAIL_SERVER it waits there (the demo's
    # admin reads it at /admin/outbox). `flask --app wsgi mail send` delivers (cron).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Dispute Portal <no-reply@adr.alatau.kz>")
    # Reverse proxies in front of the portal (0: none). Behind nginx set PROXY_HOPS=1, or
    # every client has the proxy's address: one limit for all, and the audit learns nothing.
    PROXY_HOPS = _env_int("PROXY_HOPS", 0)
    # Invitation links to join a case stay valid this long.
    INVITATION_DAYS = _env_int("INVITATION_DAYS", 14)
    # Roles that must log in with a second factor (TOTP); anyone may choose to. The demo's
    # published logins would not work with it, so only production requires it.
    MFA_REQUIRED_ROLES: tuple[str, ...] = ()
    # The stored TOTP secrets and recovery codes are keyed from this (HKDF), or from SECRET_KEY
    # when unset: to rotate SECRET_KEY, first set MFA_KEY to its old value.
    MFA_KEY = os.environ.get("MFA_KEY") or None
    # The transparency log (docs/operations.md, "Records nobody can rewrite"). The signer key
    # signs its checkpoints and never enters the database: the key itself (from a secret
    # store) or a file holding it (`flask --app wsgi integrity keygen` writes one). The web
    # portal needs only the verifier key, derived from the signer key where that is set.
    INTEGRITY_KEY: str | None = os.environ.get("INTEGRITY_KEY") or None
    INTEGRITY_KEY_FILE: str | None = os.environ.get("INTEGRITY_KEY_FILE") or str(
        INSTANCE_DIR / "integrity" / "log.key"
    )
    INTEGRITY_VERIFIER_KEY = os.environ.get("INTEGRITY_VERIFIER_KEY") or None
    # Witnesses outside the database: a directory on other storage, e-mail addresses
    # (comma-separated). Each checkpoint is handed to both; /verify shows the latest.
    INTEGRITY_WITNESS_DIR = os.environ.get("INTEGRITY_WITNESS_DIR") or None
    INTEGRITY_WITNESS_EMAIL = os.environ.get("INTEGRITY_WITNESS_EMAIL") or None
    # The page cache (docs/operations.md, "The page cache"): "memory" keeps each process's
    # most recent pages (up to PAGE_CACHE_MAX_BYTES), "redis" shares them through REDIS_URL
    # (or PAGE_CACHE_REDIS_URL), "off" draws every page.
    PAGE_CACHE = os.environ.get("PAGE_CACHE", "memory")
    PAGE_CACHE_MAX_BYTES = _env_int("PAGE_CACHE_MAX_BYTES", 64 * 2**20)
    PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL") or None
    # Webhooks (docs/api.md): where they may be sent. Only public addresses, unless a
    # network is named here (the demo's or the tests' receiver on this machine; production
    # refuses to start with one). WEBHOOK_HTTPS_ONLY refuses plain http:// targets.
    WEBHOOK_ALLOWED_NETWORKS = tuple(
        n.strip() for n in os.environ.get("WEBHOOK_ALLOWED_NETWORKS", "").split(",") if n.strip()
    )
    WEBHOOK_HTTPS_ONLY = os.environ.get("WEBHOOK_HTTPS_ONLY", "") in ("1", "true", "yes")
    WEBHOOK_TIMEOUT = _env_int("WEBHOOK_TIMEOUT", 10)  # seconds a receiver has to answer
    DEMO_DATA_ALLOWED = True  # seed-demo publishes its passwords: never in production
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    DATABASE_URL = os.environ.get("DATABASE_URL") or "sqlite:///:memory:"
    WTF_CSRF_ENABLED = True
    JOB_RUNNER = "inline"  # jobs run at once, in the test's own transaction
    # The limiter's counters would carry from one test to the next (every test client is
    # 127.0.0.1); the tests of the limits switch it on and reset it (tests/test_login_limits.py).
    RATELIMIT_ENABLED = False
    # Tests use a small limit so oversize uploads stay cheap to build.
    MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    # A fixed key (its seed is 0..31) so that checkpoints are signed without a file.
    INTEGRITY_KEY = (
        "PRIVATE+KEY+portal.test/transparency-log+f4336570+"
        "AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
    )
    INTEGRITY_KEY_FILE = None
    # The tests' webhook receivers listen on this machine.
    WEBHOOK_ALLOWED_NETWORKS = ("127.0.0.0/8", "::1/128")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    # "__Host-": the browser accepts the cookie only over HTTPS, for this host alone (no
    # Domain) and the whole site (Path=/), so a sibling subdomain cannot plant or read it.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-remember_token"
    REMEMBER_COOKIE_SECURE = True
    RATELIMIT_ENABLED = True
    # Shared by every worker: the app's Redis unless a separate one is named.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or Config.REDIS_URL
    MFA_REQUIRED_ROLES = ("clerk", "mediator", "arbitrator", "admin", "finance")
    DEMO_DATA_ALLOWED = False
    JOB_RUNNER = os.environ.get("JOB_RUNNER", "rq")
    PAGE_CACHE = os.environ.get("PAGE_CACHE", "redis")  # one cache for every worker
    WEBHOOK_HTTPS_ONLY = True

    @staticmethod
    def check(settings: Mapping[str, Any]) -> None:
        key = settings.get("SECRET_KEY")
        if not key or key == DEV_SECRET_KEY or len(key) < 32:
            raise SystemExit(
                "Refusing to start: set SECRET_KEY to a random value of at least 32 characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if (problem := public_address_problem(settings, https=True)) is not None:
            raise SystemExit(f"Refusing to start: {problem}")
        if settings.get("WEBHOOK_ALLOWED_NETWORKS"):
            raise SystemExit(
                "Refusing to start: WEBHOOK_ALLOWED_NETWORKS lets webhooks reach addresses "
                "that are not public (this machine, the internal network); production sends "
                "them to public addresses only."
            )
        if settings.get("CENTRE_BANK_ACCOUNTS") == DEMO_BANK_ACCOUNTS or (
            settings.get("CENTRE_BIN") == DEMO_BIN
        ):
            raise SystemExit(
                "Refusing to start: set CENTRE_BANK_ACCOUNTS and CENTRE_BIN to the Centre's own "
                "(the demo's would send the parties' payments nowhere)."
            )
        if not settings.get("RATELIMIT_ENABLED"):
            raise SystemExit("Refusing to start: the login rate limits must stay on.")
        name = settings.get("SESSION_COOKIE_NAME") or ""
        if name.startswith("__Host-") and (
            not settings.get("SESSION_COOKIE_SECURE")
            or settings.get("SESSION_COOKIE_DOMAIN")
            or settings.get("SESSION_COOKIE_PATH") != "/"
        ):
            raise SystemExit(
                "Refusing to start: a __Host- session cookie needs SESSION_COOKIE_SECURE, "
                'no SESSION_COOKIE_DOMAIN and SESSION_COOKIE_PATH "/".'
            )


def public_address_problem(settings: Mapping[str, Any], *, https: bool) -> str | None:
    """What is wrong with PUBLIC_BASE_URL for a portal the public reaches, or None: it must
    name a host other than this machine's loopback (and, with `https`, use https)."""
    url = str(settings.get("PUBLIC_BASE_URL") or "")
    parts = urlsplit(url)
    public = bool(parts.hostname) and parts.hostname not in LOOPBACK_HOSTS
    if public and (not https or parts.scheme == "https"):
        return None
    return (
        f"PUBLIC_BASE_URL is {url or 'not set'!r}: set it to the portal's public address "
        "(https://disputes.example.kz). Every ruling's QR code, invitation and password "
        "reset link points there, and only requests for its host are served."
    )


def trusted_hosts(settings: Mapping[str, Any], *, production: bool) -> list[str]:
    """The host names the portal answers to: PUBLIC_BASE_URL's, TRUSTED_HOSTS_EXTRA, and
    outside production the loopback names the demo and the tests use. A request for any
    other host is refused (400), so a forged Host header never reaches a link or a redirect."""
    names = [urlsplit(str(settings.get("PUBLIC_BASE_URL") or "")).hostname or ""]
    names += [n.strip() for n in str(settings.get("TRUSTED_HOSTS_EXTRA") or "").split(",")]
    if not production:
        names += LOOPBACK_HOSTS
    return [n for n in dict.fromkeys(names) if n]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
