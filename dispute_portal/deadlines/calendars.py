"""The calendar of days off, in versions: which calendar a case's deadlines fall by, and the
admin's list of extra days off and working days, edited as a draft and published.

A version holds, as rows, the public holidays the `holidays` package listed when it was
published and the admin's list of that moment. A case is pinned to the version in force
when it is registered (with its rule set, `deadlines.operations.fix_rules`); its deadlines
then fall by that version, and by a day off a newer version adds (`closed_in_either`): a
Government decree after the registration closes the Centre for running cases too, while a
day a newer version drops (an upgraded package's moved estimate) never makes one of their
deadlines earlier. Each deadline records the newest version it was computed with, so its
date can be computed again from the database alone; a date once computed is never redone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.operations import log_security
from ..auth.models import User
from ..cases.models import Case
from ..db import session_of
from ..texts import N_, Refusal
from . import public_holidays
from .calendar import Calendar, closed_in_either, make_calendar
from .models import CalendarDay, CalendarDraftDay, CalendarVersion, DayKind, DaySource
from .queries import today

FIRST_NAME = "Public holidays of Kazakhstan"  # the version the portal makes itself
REASON_LENGTH = 300


class CalendarRefused(Refusal):
    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field  # the form field the message belongs to


# Versions never change: each one's Calendar is built once per loaded row.
_built: WeakKeyDictionary[CalendarVersion, Calendar] = WeakKeyDictionary()


def newest_version(session: Session) -> CalendarVersion | None:
    query = select(CalendarVersion).order_by(CalendarVersion.version.desc()).limit(1)
    return session.scalar(query)


def current_version(session: Session) -> CalendarVersion:
    """The version in force: the newest; on a new installation, the first one, made now from
    the package alone (two requests may both make it: the one that loses takes the other's)."""
    if (newest := newest_version(session)) is not None:
        return newest
    try:
        with session.begin_nested():
            return _make_version(session, 1, name=FIRST_NAME, by=None, entries=[])
    except IntegrityError:
        return session.get_one(CalendarVersion, 1)


def calendar_of(version: CalendarVersion) -> Calendar:
    if (built := _built.get(version)) is not None:
        return built
    rows = session_of(version).execute(
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.source).where(
            CalendarDay.version == version.version
        )
    )
    holidays: list[dt.date] = []
    days_off: list[dt.date] = []
    working: list[dt.date] = []
    for day, kind, source in rows:
        if source is DaySource.PACKAGE:
            holidays.append(day)
        else:
            (working if kind is DayKind.WORKING_DAY else days_off).append(day)
    built = make_calendar(
        version.first_day,
        version.last_day,
        holidays=holidays,
        days_off=days_off,
        working_days=working,
    )
    _built[version] = built
    return built


def calendar_for(case: Case) -> Calendar:
    """The calendar a new deadline of the case falls by: its own version, with the days off
    of the version in force (a case not registered yet: the version in force)."""
    session = session_of(case)
    current = current_version(session)
    if case.calendar_version is None or case.calendar_version == current.version:
        return calendar_of(current)
    pinned = session.get_one(CalendarVersion, case.calendar_version)
    return closed_in_either(calendar_of(pinned), calendar_of(current))


def pin_calendar(case: Case) -> None:
    """At registration: the case runs under the calendar in force."""
    case.calendar_version = current_version(session_of(case)).version


def versions(session: Session) -> list[CalendarVersion]:
    return list(session.scalars(select(CalendarVersion).order_by(CalendarVersion.version.desc())))


def _days(version: CalendarVersion, source: DaySource) -> list[CalendarDay]:
    return list(
        session_of(version).scalars(
            select(CalendarDay)
            .where(CalendarDay.version == version.version, CalendarDay.source == source)
            .order_by(CalendarDay.day)
        )
    )


# What would change ------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageChanges:
    """Where the installed `holidays` package disagrees with the version in force, over the
    years both cover: days it lists now that the version lacks, and the reverse."""

    package: str
    listed: list[tuple[dt.date, str]] = field(default_factory=list)
    dropped: list[tuple[dt.date, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.listed or self.dropped)


def package_changes(session: Session) -> PackageChanges:
    package = public_holidays.package_version()
    version = newest_version(session)
    if version is None:
        return PackageChanges(package)
    first, last = public_holidays.window(today().year)
    first, last = max(first, version.first_day), min(last, version.last_day)
    held = {d.day: d.reason for d in _days(version, DaySource.PACKAGE) if first <= d.day <= last}
    now = public_holidays.package_days(first, last) if first <= last else {}
    return PackageChanges(
        package,
        listed=sorted((d, n) for d, n in now.items() if d not in held),
        dropped=sorted((d, n) for d, n in held.items() if d not in now),
    )


def draft(session: Session) -> list[CalendarDraftDay]:
    return list(session.scalars(select(CalendarDraftDay).order_by(CalendarDraftDay.day)))


class Entry(NamedTuple):
    """A day of the admin's list, in the draft or in a version."""

    day: dt.date
    kind: DayKind
    reason: str

    def as_data(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "kind": self.kind.value, "reason": self.reason}


def draft_changes(session: Session) -> tuple[list[Entry], list[Entry]]:
    """The admin's list in the draft against the version in force: (entries to be added,
    entries to be removed)."""
    version = newest_version(session)
    held = [] if version is None else _days(version, DaySource.ADMIN)
    before = [Entry(d.day, d.kind, d.reason) for d in held]
    after = [Entry(d.day, d.kind, d.reason) for d in draft(session)]
    return [e for e in after if e not in before], [e for e in before if e not in after]


# The admin's acts -----------------------------------------------------------------------------


def _check_in_window(day: dt.date) -> None:
    first, last = public_holidays.window(today().year)
    if not first <= day <= last:
        raise CalendarRefused(
            N_("The calendar holds the days from %(first)s to %(last)s."),
            field="day",
            first=first.isoformat(),
            last=last.isoformat(),
        )


def add_day(
    session: Session, *, day: dt.date, kind: DayKind | str, reason: str, by: User
) -> CalendarDraftDay:
    """Put a day on the draft list: an extra day off (a weekday the Centre is closed) or a
    working day (a weekend day or a public holiday on which it is open)."""
    try:
        kind = DayKind(kind)
    except ValueError:
        raise CalendarRefused(N_("Choose what the day is."), field="kind") from None
    reason = " ".join(reason.split())
    if not reason or len(reason) > REASON_LENGTH:
        raise CalendarRefused(
            N_("Say why, in at most %(n)s characters."), field="reason", n=REASON_LENGTH
        )
    _check_in_window(day)
    if kind is DayKind.DAY_OFF and day.weekday() >= 5:
        raise CalendarRefused(N_("A Saturday or a Sunday is a day off already."), field="day")
    if (
        kind is DayKind.WORKING_DAY
        and day.weekday() < 5
        and day not in public_holidays.package_days(day, day)
    ):
        raise CalendarRefused(
            N_("The Centre works on that day already: a working day is a Saturday, a Sunday "
               "or a public holiday."),
            field="day",
        )  # fmt: skip
    if session.scalar(select(CalendarDraftDay.id).where(CalendarDraftDay.day == day)):
        raise CalendarRefused(
            N_("That day is on the list already: remove it first to change it."), field="day"
        )
    entry = CalendarDraftDay(day=day, kind=kind, reason=reason, added_by_id=by.id)
    session.add(entry)
    session.flush()
    return entry


def remove_day(session: Session, entry: CalendarDraftDay) -> None:
    session.execute(delete(CalendarDraftDay).where(CalendarDraftDay.id == entry.id))
    session.expunge(entry)


def publish(session: Session, *, name: str, by: User) -> CalendarVersion:
    """A new version from the package as it is now and the draft list; in force for the
    cases registered from now on (running cases: see the module's docstring). Audited."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise CalendarRefused(N_("Give the version a name."), field="name")
    # Two admins publishing at once: the newest version's row is locked first, so the second
    # waits, then finds the first one's version and compares the draft with it (nothing new:
    # refused), instead of taking the same number and failing on it.
    session.execute(
        select(CalendarVersion.version)
        .order_by(CalendarVersion.version.desc())
        .limit(1)
        .with_for_update()
    )
    entries = draft(session)
    first, last = public_holidays.window(today().year)
    for entry in entries:
        if not first <= entry.day <= last:
            raise CalendarRefused(
                N_("%(day)s is outside the years the new version holds: remove it first."),
                day=entry.day.isoformat(),
            )
    previous = newest_version(session)
    added, removed = draft_changes(session)
    changes = package_changes(session)
    same_years = previous is not None and (previous.first_day, previous.last_day) == (first, last)
    if previous is not None and same_years and not (added or removed or changes):
        raise CalendarRefused(
            N_("Nothing changed since version %(version)s."), version=previous.version
        )
    number = (session.scalar(select(func.max(CalendarVersion.version))) or 0) + 1
    made = _make_version(session, number, name=name, by=by, entries=entries)
    log_security(
        session,
        "calendar_published",
        user=by,
        data={
            "version": made.version,
            "name": made.name,
            "holidays_package": made.holidays_package,
            "window": [made.first_day.isoformat(), made.last_day.isoformat()],
            "added": [e.as_data() for e in added],
            "removed": [e.as_data() for e in removed],
            "package_listed": [d.isoformat() for d, _ in changes.listed],
            "package_dropped": [d.isoformat() for d, _ in changes.dropped],
        },
    )
    return made


def _make_version(
    session: Session,
    number: int,
    *,
    name: str,
    by: User | None,
    entries: list[CalendarDraftDay],
) -> CalendarVersion:
    first, last = public_holidays.window(today().year)
    version = CalendarVersion(
        version=number,
        name=name,
        holidays_package=public_holidays.package_version(),
        first_day=first,
        last_day=last,
        created_by_id=by.id if by is not None else None,
    )
    session.add(version)
    session.flush()
    rows: list[dict[str, Any]] = [
        {
            "version": number,
            "source": DaySource.PACKAGE,
            "day": day,
            "kind": DayKind.DAY_OFF,
            "reason": holiday[:REASON_LENGTH],
        }
        for day, holiday in public_holidays.package_days(first, last).items()
    ]
    rows += [
        {
            "version": number,
            "source": DaySource.ADMIN,
            "day": e.day,
            "kind": e.kind,
            "reason": e.reason,
        }
        for e in entries
    ]
    if rows:
        session.execute(insert(CalendarDay), rows)
    return version
