"""What accounts send by e-mail, written in the account's language and queued in the
outbox: password reset and activation links, the notice that a password changed, and the
warning that someone tried to register with an address that has an account."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from sqlalchemy.orm import Session

from ..notices.models import OutboxMessage
from .models import User

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def config_of(session: Session) -> Mapping[str, Any]:
    config: Mapping[str, Any] = session.info.get("config") or {}
    return config


def translations(config: Mapping[str, Any], locale: str | None) -> NullTranslations:
    languages = config.get("LANGUAGES", ("en",))
    language = locale if locale is not None and locale in languages else "en"
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def link(config: Mapping[str, Any], path: str) -> str:
    """An absolute link into the portal, for a message read outside it."""
    return f"{str(config.get('PUBLIC_BASE_URL', '')).rstrip('/')}{path}"


def queue(session: Session, to: str, subject: str, paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs) + "\n"
    session.add(OutboxMessage(to_email=to, subject=subject, body=body))


def password_reset(session: Session, user: User, token: str, minutes: int) -> None:
    t = translations(config_of(session), user.locale)
    params = {"name": user.name, "minutes": minutes}
    queue(
        session,
        user.email,
        t.gettext("Reset your Dispute Portal password"),
        [
            t.gettext("Dear %(name)s,") % params,
            t.gettext(
                "Someone asked to reset the password of your account on the Dispute Portal "
                "of the Investment Dispute Resolution Centre of Alatau City."
            ),
            t.gettext(
                "Open this link to choose a new password. It works once and expires in "
                "%(minutes)s minutes:"
            )
            % params,
            link(config_of(session), f"/password/reset/{token}"),
            t.gettext(
                "If you did not ask for this, ignore this message: your password stays as it is."
            ),
        ],
    )


def password_changed(session: Session, user: User) -> None:
    t = translations(config_of(session), user.locale)
    queue(
        session,
        user.email,
        t.gettext("Your Dispute Portal password was changed"),
        [
            t.gettext("Dear %(name)s,") % {"name": user.name},
            t.gettext(
                "The password of your account on the Dispute Portal was changed, and every "
                "other login to the account was ended."
            ),
            t.gettext(
                "If you did not do this, ask for a password reset on the login page at once "
                "and tell the registry of the centre."
            ),
        ],
    )


def activation(session: Session, user: User, token: str, hours: int) -> None:
    t = translations(config_of(session), user.locale)
    params = {"name": user.name, "hours": hours}
    queue(
        session,
        user.email,
        t.gettext("Activate your Dispute Portal account"),
        [
            t.gettext("Dear %(name)s,") % params,
            t.gettext(
                "An investor account was registered with this address on the Dispute Portal "
                "of the Investment Dispute Resolution Centre of Alatau City."
            ),
            t.gettext(
                "Open this link to activate it. It works once and expires in %(hours)s hours:"
            )
            % params,
            link(config_of(session), f"/activate/{token}"),
            t.gettext(
                "If you did not register, ignore this message: the account stays inactive "
                "and nobody can log in to it."
            ),
        ],
    )


def registration_attempt(session: Session, user: User) -> None:
    """Someone registered with the address of an existing account: its owner is told."""
    config = config_of(session)
    t = translations(config, user.locale)
    queue(
        session,
        user.email,
        t.gettext("Someone tried to register with your address"),
        [
            t.gettext("Dear %(name)s,") % {"name": user.name},
            t.gettext(
                "Someone tried to register a new account on the Dispute Portal with this "
                "address. It already has an account, so no new one was made."
            ),
            t.gettext("If it was you, log in here: %(url)s") % {"url": link(config, "/login")},
            t.gettext("If you forgot your password, choose a new one here: %(url)s")
            % {"url": link(config, "/password/forgot")},
            t.gettext("If it was not you, ignore this message: your account is unchanged."),
        ],
    )
