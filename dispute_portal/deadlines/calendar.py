"""The Centre's procedural calendar: business days in Alatau City, Kazakhstan.

Pure date arithmetic, no Flask and no database, so deadline rules can be computed and tested
anywhere. A deadline that would end on a weekend or a day off moves to the next business day,
because nobody can file with the Centre on a day it is closed.

Which days are off is not known here: every function takes a `Calendar`, the days off and the
working days of a span of years, as the database holds them (`deadlines.queries.calendar_for`
reads a case's). Where the dates come from (the `holidays` package, the admin's list) is
`public_holidays` and the calendar versions' business.
"""

from __future__ import annotations

import enum
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..clock import ALMATY

_ONE_DAY = timedelta(days=1)


class OutsideCalendar(ValueError):
    """A day the calendar has no data for: guessing it a business day could cut a period."""


@dataclass(frozen=True)
class Calendar:
    """The days the Centre is closed and open from `first` to `last`.

    Saturdays and Sundays are closed, and so is every day in `days_off`; a day in
    `working_days` is open whatever its weekday (a Saturday the Government made a working
    day, or a public holiday the official calendar does not keep).
    """

    first: date
    last: date
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a calendar ends after it begins")
        if both := self.days_off & self.working_days:
            raise ValueError(f"a day cannot be both off and working: {sorted(both)}")

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def make_calendar(
    first: date,
    last: date,
    *,
    holidays: Iterable[date] = (),
    days_off: Iterable[date] = (),
    working_days: Iterable[date] = (),
) -> Calendar:
    """A calendar from public `holidays`, extra `days_off` and `working_days`: a working day
    wins over a holiday on the same date (the official calendar overrides a package's)."""
    working = frozenset(working_days)
    closed = {d for d in (*holidays, *days_off) if d.weekday() < 5} - working
    return Calendar(first, last, frozenset(closed), working)


def is_business_day(day: date, calendar: Calendar) -> bool:
    """Whether the Centre is open on `day`; OutsideCalendar if the calendar does not say."""
    if not calendar.covers(day):
        raise OutsideCalendar(f"{day} is outside the calendar ({calendar.first}-{calendar.last})")
    if day in calendar.working_days:
        return True
    return day.weekday() < 5 and day not in calendar.days_off


def closed_in_either(pinned: Calendar, later: Calendar) -> Calendar:
    """The calendar of a running case: the one it was registered under (`pinned`), and a
    day off that a later calendar adds (a Government decree of after the registration).

    A day is a business day only if both calendars say so; a year only one of them covers is
    read from that one. So a later calendar can make a new deadline of the case later, never
    earlier than its own calendar would. Calendars that do not meet: the later one alone.
    """
    if pinned.last + _ONE_DAY < later.first or later.last + _ONE_DAY < pinned.first:
        return later
    marked = pinned.days_off | pinned.working_days | later.days_off | later.working_days

    def open_in_both(day: date) -> bool:
        return all(is_business_day(day, c) for c in (pinned, later) if c.covers(day))

    opened = {d for d in marked if open_in_both(d)}
    return Calendar(
        min(pinned.first, later.first),
        max(pinned.last, later.last),
        frozenset(d for d in marked - opened if d.weekday() < 5),
        frozenset(d for d in opened if d.weekday() >= 5),
    )


def next_business_day(day: date, calendar: Calendar) -> date:
    """`day` itself if the Centre is open on it, else the first business day after it."""
    while not is_business_day(day, calendar):
        day += _ONE_DAY
    return day


def _check_non_negative(n: int) -> None:
    # Deadlines only run forward; a negative period is a bug in the rule that asked for it.
    if n < 0:
        raise ValueError(f"a period cannot be negative: {n}")


def add_calendar_days(start: date, n: int, calendar: Calendar) -> date:
    """`n` calendar days after `start`, extended to the next business day if it ends on one."""
    _check_non_negative(n)
    return next_business_day(start + timedelta(days=n), calendar)


def add_business_days(start: date, n: int, calendar: Calendar) -> date:
    """The `n`-th business day after `start` (`start` itself never counts).

    `n == 0` means "no later than the first business day", i.e. next_business_day(start).
    """
    _check_non_negative(n)
    if n == 0:
        return next_business_day(start, calendar)
    day = start
    for _ in range(n):
        day = next_business_day(day + _ONE_DAY, calendar)
    return day


def add_months(start: date, n: int, calendar: Calendar) -> date:
    """The same day `n` months later, extended to the next business day if needed.

    A day the target month lacks becomes its last day (31 August + 6 months = 28/29 February)
    rather than overflowing into the next month by date arithmetic. The move to the next
    business day comes after that and can still cross into the following month: 31 August 2026
    + 6 months is Sunday 28 February 2027, so the period ends on Monday 1 March 2027.
    """
    _check_non_negative(n)
    year, month0 = divmod(start.year * 12 + start.month - 1 + n, 12)
    month = month0 + 1
    day = min(start.day, monthrange(year, month)[1])
    return next_business_day(date(year, month, day), calendar)


class Unit(enum.StrEnum):
    """How a rule measures a period; the values are what rule data stores."""

    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    MONTHS = "months"


_ADDERS = {
    Unit.CALENDAR_DAYS: add_calendar_days,
    Unit.BUSINESS_DAYS: add_business_days,
    Unit.MONTHS: add_months,
}


def due_date(start: date, amount: int, unit: Unit | str, calendar: Calendar) -> date:
    """The last day of a period of `amount` `unit`s running from `start`.

    `unit` may be the plain string from rule data; an unknown one raises ValueError.
    """
    return _ADDERS[Unit(unit)](start, amount, calendar)


def local_date(moment: datetime) -> date:
    """The calendar date in Alatau City at an aware instant (timestamps are stored in UTC).

    A naive datetime is refused: guessing its zone could shift a deadline by a day.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date needs a timezone-aware datetime")
    return moment.astimezone(ALMATY).date()
