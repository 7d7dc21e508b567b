"""The written phase: the tribunal's order setting the timetable of the pleadings (memorial,
counter-memorial, reply, rejoinder), whose dates become deadlines. Each pleading is filed by
its side through the submissions (filing.py), and filing it meets its deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date

from ..auth.models import User
from ..cases.models import Case
from ..deadlines import operations as deadlines
from ..deadlines import queries as deadline_queries
from ..deadlines.models import DeadlineStatus
from ..errors import TransitionRefused
from ..rulings.operations import ruling_language
from ..rulings.render import catalogue
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from .models import PLEADINGS

# A timetable reaches at most this far ahead; a longer one is set again as it unfolds.
TIMETABLE_AHEAD = dt.timedelta(days=3 * 365)


class TimetableRefused(TransitionRefused):
    """A date of the timetable the case does not allow (said beside that date)."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


def timetable_window() -> tuple[dt.date, dt.date]:
    """The first and the last day a pleading may be set for: from tomorrow, three years on."""
    today = deadline_queries.today()
    return today + dt.timedelta(days=1), today + TIMETABLE_AHEAD


def current_timetable(case: Case) -> dict[str, dt.date]:
    """The running deadlines of the pleadings, by key, in the order they are filed."""
    return {
        key: deadline.due_on
        for key in PLEADINGS
        if (deadline := deadline_queries.open_deadline(case, key)) is not None
    }


def filed(case: Case, key: str) -> bool:
    """Whether the pleading was filed (its deadline met)."""
    return any(d.key == key and d.status is DeadlineStatus.MET for d in case.deadlines)


def check_timetable(case: Case, dates: dict[str, dt.date | None]) -> dict[str, dt.date]:
    """The dates given, checked: at least one; each in the window, for a pleading not filed
    yet; and, with the dates still running that the order leaves as they are, in the order
    of the pleadings."""
    given = {key: day for key in PLEADINGS if (day := dates.get(key)) is not None}
    if not given:
        raise TransitionRefused(N_("Set the date of at least one pleading."))
    first, last = timetable_window()
    for key, day in given.items():
        if filed(case, key):
            raise TimetableRefused(key, N_("This pleading was filed already: it takes no date."))
        if day < first:
            raise TimetableRefused(key, N_("A date of the timetable must be after today."))
        if day > last:
            raise TimetableRefused(
                key,
                N_("A date of the timetable can be at most three years ahead, until %(day)s."),
                day=last,
            )
    timetable = current_timetable(case) | given
    earlier: dt.date | None = None
    for key in PLEADINGS:
        if key not in timetable:
            continue
        if earlier is not None and timetable[key] <= earlier:
            raise TimetableRefused(
                key,
                N_(
                    "Each pleading comes after the one before it: memorial, counter-memorial, "
                    "reply, rejoinder."
                ),
            )
        earlier = timetable[key]
    return given


def timetable_extra(case: Case, timetable: dict[str, dt.date]) -> dict[str, Any]:
    """The timetable as the order lists it, in the ruling's language: each pleading and the
    business day its date falls on in the case's calendar."""
    language = ruling_language(case)
    t = catalogue(language)
    return {
        "dates": [
            {
                "label": t.gettext(PLEADINGS[key][0]),
                "day": format_date(deadlines.falls_on(case, day), "d MMMM y", locale=language),
            }
            for key, day in timetable.items()
        ]
    }


def set_timetable(
    case: Case,
    *,
    chair: User,
    dates: dict[str, dt.date | None],
    reason: str,
    expected_version: int | None,
) -> CaseEvent:
    """The tribunal's order on the timetable: each date given becomes the pleading's
    deadline (on the next business day when it is a day off), replacing a running one; a
    date left blank leaves that pleading's deadline as it is."""
    engine.check(chair, case, "set_timetable", reason=reason)
    given = check_timetable(case, dates)
    timetable = current_timetable(case) | given
    ordered = {key: timetable[key] for key in PLEADINGS if key in timetable}
    event = engine.apply(
        chair,
        case,
        "set_timetable",
        reason=reason,
        expected_version=expected_version,
        data={"dates": {key: day.isoformat() for key, day in given.items()}},
        ruling_extra=timetable_extra(case, ordered),
    )
    for key, day in given.items():
        deadlines.start_on(case, key, day, at=event.at)
    return event
