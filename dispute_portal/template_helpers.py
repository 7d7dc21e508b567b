"""What the templates need of the features: their labels, the access policy, the acts'
pages, the unread count. App-level (the app factory installs it), so that core/ stays the
floor and knows no feature."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale, get_translations
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from . import policy
from .cases.models import PARTY_KIND_LABELS, Case
from .cases.queries import CaseLine
from .cases.subject import CONSENT_LABELS, LEGAL_BASIS_LABELS, SECTOR_LABELS
from .core.typed import gettext
from .db import db
from .deadlines.rules import DEADLINE_LABELS
from .notices.models import Notification
from .notices.operations import unread_count
from .notices.texts import compose
from .proceedings.presenter import action_url
from .rulings.kinds import KINDS
from .rulings.models import BATCH_LABELS
from .workflow.states import EVENT_LABELS, CaseState


def state_label(state: str) -> str:
    return CaseState(state).label


def case_title(case: Case | CaseLine) -> str:
    """The case's title in the reader's language ("X v. Y", "X против Y")."""
    return case.title_in(gettext)


def _unread() -> int:
    """Unread notifications of the current user (the nav shows the count)."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    try:
        return unread_count(db.session(), current_user)
    except SQLAlchemyError:  # the database is gone: the error page still shows
        return 0


def notice_text(notification: Notification) -> str:
    """A notification in the reader's language, its dates written out."""
    return compose(notification.message, notification.params, get_translations(), get_locale())


def init_feature_helpers(app: Flask) -> None:
    @app.context_processor
    def _features() -> dict[str, Any]:
        return {
            "can": policy.can,
            "may_read_contact": policy.may_read_contact,
            "state_label": state_label,
            "case_title": case_title,
            "event_labels": EVENT_LABELS,
            "party_kind_labels": PARTY_KIND_LABELS,
            "legal_basis_labels": LEGAL_BASIS_LABELS,
            "sector_labels": SECTOR_LABELS,
            "consent_labels": CONSENT_LABELS,
            "ruling_kinds": KINDS,
            "batch_labels": {k.value: v for k, v in BATCH_LABELS.items()},
            "action_url": action_url,
            "deadline_labels": DEADLINE_LABELS,
            "unread_notices": _unread,
            "notice_text": notice_text,
        }
