"""Choosing a notice for each person and writing it out in their language.

Texts are stored untranslated (a message id and its parameters) and read in the reader's
language: in the portal when they read it, in the e-mail when it is written. Dates and
times are written out there too (times in Almaty). The texts themselves are in wording.py and
the wording_*.py beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from babel.core import Locale
from babel.dates import format_date, format_datetime

from ..auth.models import User
from ..cases.models import Case
from ..clock import ALMATY
from ..deadlines.queries import open_deadline
from ..deadlines.rules import DEADLINE_LABELS
from ..workflow.models import CaseEvent
from ..workflow.roles import (
    CHAIR,
    CHALLENGE_CENTRE,
    CHALLENGE_MEMBER,
    CLAIMANT,
    CLERK,
    RESPONDENT,
    case_roles,
)
from .wording import (
    BEFORE_ARBITRATION,
    CHANGED_LAST_SUBMISSION,
    EXTENDED,
    LAST_SUBMISSION,
    RESUME_ON,
    SET_DUE,
    Notice,
)
from .wording_arbitration import ARBITRATION, ASKED_TO_ARBITRATE, ASKED_TO_MEDIATE
from .wording_award import AWARD
from .wording_challenges import CHALLENGES
from .wording_constitution import CONSTITUTION, NOMINEE_DECLINED
from .wording_ending import ENDING
from .wording_measures import MEASURES
from .wording_money import MONEY
from .wording_objections import OBJECTIONS
from .wording_publication import PUBLICATION

__all__ = ["ASKED_TO_ARBITRATE", "ASKED_TO_MEDIATE", "NOTICES", "Notice", "compose"]

NOTICES: dict[str, dict[str, Notice]] = (
    BEFORE_ARBITRATION
    | ARBITRATION
    | CONSTITUTION
    | ENDING
    | OBJECTIONS
    | AWARD
    | MEASURES
    | CHALLENGES
    | MONEY
    | PUBLICATION
)
# Parameters that hold an ISO date or a UTC timestamp, written out in the reader's language
# ("date" is the reminders' due date), and those that hold a marked text to translate.
DATE_PARAMS = frozenset({"due", "date", "previous"})
DATETIME_PARAMS = frozenset({"when"})
MARKED_PARAMS = frozenset({"deadline", "capacity", "what"})

# The role a person is addressed in, most particular first: counsel of a party is told
# what the party is told, the chair what the tribunal must do.
_AUDIENCES = (CLAIMANT, RESPONDENT, CHALLENGE_MEMBER, CHALLENGE_CENTRE, CHAIR, CLERK)


def notices_key(action: str, event: CaseEvent | None = None) -> str:
    """Which notices of NOTICES an act sends: its own, or those of a change it recorded (a
    date of the last submission that replaces an earlier one)."""
    if action == "close_submissions" and event is not None and (event.data or {}).get("previous"):
        return CHANGED_LAST_SUBMISSION
    if (
        action == "decline_appointment"
        and event is not None
        and (event.data or {}).get("chosen_by")
    ):
        return NOMINEE_DECLINED  # the parties' route: not the registry's to propose another
    return action


def notice_for(action: str, user: User, case: Case) -> Notice:
    """What this act (a key of NOTICES) tells this person: their role's sentence, else
    everyone's."""
    told = NOTICES[action]
    roles = case_roles(user, case)
    return next((told[a] for a in _AUDIENCES if a in roles and a in told), told[""])


def event_params(event: CaseEvent) -> dict[str, Any]:
    """What the act recorded that its notices name: a person, a title, a deadline, a time,
    a date it replaced."""
    data = event.data or {}
    params: dict[str, Any] = {}
    for key in ("name", "title", "previous"):
        if isinstance(data.get(key), str):
            params[key] = data[key]
    if isinstance(data.get("deadline"), str):
        params["deadline"] = DEADLINE_LABELS.get(data["deadline"], data["deadline"])
    if isinstance(data.get("starts_at"), str):
        params["when"] = data["starts_at"]
    return params


def due_on(notice: Notice, case: Case, event: CaseEvent | None = None) -> dt.date | None:
    """The date the notice gives, or None when it is not known."""
    data = (event.data if event is not None else None) or {}
    if notice.due is None:
        return None
    if notice.due == EXTENDED:
        return dt.date.fromisoformat(data["to"]) if data.get("to") else None
    if notice.due == LAST_SUBMISSION:
        return case.last_submission_on
    if notice.due == SET_DUE:
        return dt.date.fromisoformat(data["due"]) if data.get("due") else None
    if notice.due == RESUME_ON:
        return dt.date.fromisoformat(data["resume_on"]) if data.get("resume_on") else None
    deadline = open_deadline(case, notice.due)
    return deadline.due_on if deadline is not None else None


def dated(notice: Notice, fallback: Notice, due: dt.date | None) -> tuple[str, dict[str, Any]]:
    """The text to store and its date parameter: the notice's own when its date is known,
    else its undated text, else the fallback (what happened, told to everyone)."""
    if notice.due is None:
        return notice.text, {}
    if due is not None:
        return notice.text, {"due": due.isoformat()}
    if notice.undated is not None:
        return notice.undated, {}
    if fallback is notice:
        raise ValueError(f"a dated notice needs an undated text: {notice.text!r}")
    return dated(fallback, fallback, None)


class Catalog(Protocol):
    def gettext(self, message: str) -> str: ...


def compose(message: str, params: Mapping[str, Any], catalog: Catalog, locale: str | Locale) -> str:
    """A stored notice in one language: the text, its marked parameters translated, its
    dates and times written out (times in Almaty)."""
    values = _Lenient()
    for key, value in params.items():
        if isinstance(value, str) and key in DATE_PARAMS:
            values[key] = _written(value, locale, time=False)
        elif isinstance(value, str) and key in DATETIME_PARAMS:
            values[key] = _written(value, locale, time=True)
        elif isinstance(value, str) and key in MARKED_PARAMS:
            values[key] = catalog.gettext(value)
        else:
            values[key] = value
    text: str = catalog.gettext(message) % values
    return text


class _Lenient(dict[str, Any]):
    """Parameters by name; one a stored notice lacks reads as a dash, not an error page."""

    def __missing__(self, key: str) -> str:
        return "—"


def _written(iso: str, locale: str | Locale, *, time: bool) -> str:
    try:
        if not time:
            return str(format_date(dt.date.fromisoformat(iso), "d MMMM y", locale=locale))
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso  # not a date after all: shown as it was stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return str(format_datetime(moment, "d MMMM y, HH:mm", tzinfo=ALMATY, locale=locale))
