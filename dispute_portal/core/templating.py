"""Helpers the templates use to show values in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import dates
from flask import Flask, g, url_for
from flask_babel import format_currency, format_number, get_locale, get_timezone
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .. import policy
from ..cases.models import LEGAL_BASIS_LABELS, PARTY_KIND_LABELS
from ..deadlines.rules import DEADLINE_LABELS
from ..rulings.kinds import KINDS
from ..rulings.models import BATCH_LABELS
from ..workflow.states import EVENT_LABELS, CaseState
from .i18n import LANGUAGE_NAMES, translate


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return get_locale().territories.get(code, code)


def money(amount: Decimal | None, currency: Any) -> str:
    if amount is None:
        return "—"
    code = getattr(currency, "value", currency) or ""
    return format_currency(amount, code) if code else f"{amount:,.2f}"


# 24-hour times in every language: these are legal records, not calendar invites.
DATETIME_PATTERNS = {"medium": "d MMM y, HH:mm", "long": "d MMMM y, HH:mm:ss"}


def show_datetime(value: Any, fmt: str = "medium") -> str:
    """A UTC timestamp in Almaty time (BABEL_DEFAULT_TIMEZONE), in the reader's language.

    What flask_babel.format_datetime does, with the reader's locale and time zone looked up
    once per request: a case page shows hundreds of timestamps."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    locale, zone = _reader_locale_and_zone()
    return dates.format_datetime(value, DATETIME_PATTERNS.get(fmt, fmt), tzinfo=zone, locale=locale)


def _reader_locale_and_zone() -> tuple[Any, Any]:
    found = g.get("_reader_locale_and_zone")
    if found is None:
        found = g._reader_locale_and_zone = (get_locale(), get_timezone())
    return found


def filesize(size: int) -> str:
    """12.3 kB / 12,3 КБ / 1.5 MB, in the reader's language."""
    from babel.units import format_unit

    unit, value = (
        ("digital-megabyte", size / 1_000_000)
        if size >= 1_000_000
        else ("digital-kilobyte", size / 1000)
    )
    return format_unit(round(value, 1), unit, length="short", locale=get_locale())


def state_label(state: str) -> str:
    return CaseState(state).label


# Where each act of the workflow table is done in the portal (acts not listed are the
# scheduler's). The case page offers the user's allowed acts through this map.
ACTION_ENDPOINTS: dict[str, tuple[str, dict[str, Any]]] = {
    "submit": ("cases.submit", {}),
    "return": ("registry.review", {}),
    "reject": ("registry.review", {}),
    "register": ("registry.review", {}),
    "propose_mediator": ("neutrals.assign_mediator", {}),
    "propose_tribunal": ("neutrals.tribunal", {}),
    "accept_mediation": ("neutrals.appointment", {}),
    "decline_mediation": ("neutrals.appointment", {}),
    "accept_appointment": ("neutrals.appointment", {}),
    "decline_appointment": ("neutrals.appointment", {}),
    "invite_respondent": ("parties.invite", {"standing": "representative"}),
    "add_counsel": ("parties.invite", {"standing": "counsel"}),
    "file_response": ("proceedings.submission", {"response": 1}),
    "file_submission": ("proceedings.submission", {}),
    "schedule_session": ("proceedings.meeting", {}),
    "schedule_hearing": ("proceedings.meeting", {}),
    "extend_deadline": ("proceedings.extend_deadline", {}),
}
SYSTEM_ACTIONS = frozenset({"constitute", "lapse"})


def action_url(case: Any, action: str) -> str | None:
    """The page where this user takes this act on this case (None for the scheduler's)."""
    if action in SYSTEM_ACTIONS:
        return None
    endpoint, params = ACTION_ENDPOINTS.get(action, ("proceedings.act", {"action": action}))
    return url_for(endpoint, case_id=case.id, **params)


def _unread() -> int:
    """Unread notifications of the current user (the nav shows the count)."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    from ..db import db
    from ..notices.operations import unread_count

    try:
        return unread_count(db.session, current_user)
    except SQLAlchemyError:  # the database is gone: the error page still shows
        return 0


def init_templating(app: Flask) -> None:
    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {
            "can": policy.can,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "current_locale": str(get_locale()),
            "tr": translate,
            "country_name": country_name,
            "money": money,
            "state_label": state_label,
            "event_labels": EVENT_LABELS,
            "party_kind_labels": PARTY_KIND_LABELS,
            "legal_basis_labels": LEGAL_BASIS_LABELS,
            "ruling_kinds": KINDS,
            "batch_labels": {k.value: v for k, v in BATCH_LABELS.items()},
            "action_url": action_url,
            "deadline_labels": DEADLINE_LABELS,
            "unread_notices": _unread,
        }

    app.jinja_env.filters["datetime"] = show_datetime
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["numberformat"] = format_number  # 10,000 / 10 000
