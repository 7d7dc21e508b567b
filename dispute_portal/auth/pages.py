"""What the account pages share beyond one view: the message of an ended session, the
429 answer of a paused login, and the headers of a page reached through a secret link."""

from __future__ import annotations

from typing import Any

from flask import render_template

from ..audit.operations import log_security
from ..core.forms import BaseForm
from ..core.typed import gettext
from ..db import db
from . import limits


def ended_message(reason: str | None) -> str:
    if reason == "expired":
        return gettext("Your session expired. Please log in again.")
    if reason == "password_changed":
        return gettext(
            "The password of this account was changed, so this session was ended. "
            "Log in with the new password."
        )
    if reason == "password_reset":
        return gettext(
            "The password of this account was reset, so every session was ended. "
            "Log in with the new password."
        )
    return gettext("Your session has ended. Please log in again.")


def throttled(
    form: BaseForm,
    throttle: limits.Throttle,
    email: str,
    template: str,
    field: str = "password",
    **context: Any,
) -> tuple[str, int, dict[str, str]]:
    """429: too many failures for this account or from this address. Audited (once a
    minute per account or address, so a flood does not flood the log)."""
    if limits.first_throttle_this_minute(throttle, email):
        log_security(
            db.session(),
            "login_throttled",
            email=email,
            data={"limit": throttle.scope, "retry_after": throttle.retry_after},
        )
        db.session.commit()  # a 429 rolls back; the record must stay
    form[field].errors.append(
        " ".join(
            [
                gettext(
                    "Too many wrong passwords for this account or from your address. For "
                    "your safety, trying again is paused."
                ),
                limits.wait_text(throttle.retry_after),
            ]
        )
    )
    body = render_template(template, form=form, **context)
    return body, 429, {"Retry-After": str(throttle.retry_after)}


def private(body: str, status: int) -> tuple[str, int, dict[str, str]]:
    """The page of a secret link: not cached, and its address never sent as a referrer."""
    return body, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
