"""Settings classes. Development is the default; production refuses to start insecurely.

Every setting can be overridden from the environment (see the table in README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - flagged as insecure below


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
    RULINGS_DIR = os.environ.get("RULINGS_DIR") or str(INSTANCE_DIR / "rulings")
    # Where the public reaches the portal: the QR code of every ruling points here.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Largest accepted document; the request limit leaves room for the other form fields.
    MAX_UPLOAD_BYTES = _env_int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    SESSION_LIFETIME_HOURS = _env_int("SESSION_LIFETIME_HOURS", 12)

    LANGUAGES = ("en", "ru", "kk")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    DISPLAY_TIMEZONE = "Asia/Almaty"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
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
    # Invitation links to join a case stay valid this long.
    INVITATION_DAYS = _env_int("INVITATION_DAYS", 14)
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
    # Tests use a small limit so oversize uploads stay cheap to build.
    MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    DEMO_DATA_ALLOWED = False
    JOB_RUNNER = os.environ.get("JOB_RUNNER", "rq")

    @staticmethod
    def check(settings) -> None:
        key = settings.get("SECRET_KEY")
        if not key or key == DEV_SECRET_KEY or len(key) < 32:
            raise SystemExit(
                "Refusing to start: set SECRET_KEY to a random value of at least 32 characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )


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
