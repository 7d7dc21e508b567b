"""The Centre's procedural calendar: business days in Alatau City, Kazakhstan.

Pure date arithmetic, no Flask and no database, so deadline rules can be computed and tested
anywhere. A deadline that would end on a weekend or a public holiday moves to the next business
day, because nobody can file with the Centre on a day it is closed.
"""

import enum
import functools
from calendar import monthrange
from datetime import date, datetime, timedelta

import holidays

from ..clock import ALMATY

_ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    """Kazakhstan's non-working public holidays in `year`, computed once per year.

    The `holidays` package's KZ calendar already includes (checked in version 0.109):
    - the days off moved to the next working day when a holiday falls on a weekend,
      labelled "(observed)", e.g. Nauryz 2026 is 21-25 March;
    - the Government's one-off transfers of days off ("Day off (substituted from ...)",
      e.g. Friday 3 January 2025), for the years it has data for (up to 2025 in 0.109).
    So taking every date it lists covers both. The working Saturdays that those transfers create
    are not listed, and the Centre does not sit on Saturdays anyway, so they stay non-business.
    """
    return frozenset(holidays.country_holidays("KZ", years=year))


def is_business_day(day: date) -> bool:
    """Whether the Centre is open: a weekday that is not a Kazakhstan public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_business_day(day: date) -> date:
    """`day` itself if the Centre is open on it, else the first business day after it."""
    while not is_business_day(day):
        day += _ONE_DAY
    return day


def _check_non_negative(n: int) -> None:
    # Deadlines only run forward; a negative period is a bug in the rule that asked for it.
    if n < 0:
        raise ValueError(f"a period cannot be negative: {n}")


def add_calendar_days(start: date, n: int) -> date:
    """`n` calendar days after `start`, extended to the next business day if it ends on one."""
    _check_non_negative(n)
    return next_business_day(start + timedelta(days=n))


def add_business_days(start: date, n: int) -> date:
    """The `n`-th business day after `start` (`start` itself never counts).

    `n == 0` means "no later than the first business day", i.e. next_business_day(start).
    """
    _check_non_negative(n)
    if n == 0:
        return next_business_day(start)
    day = start
    for _ in range(n):
        day = next_business_day(day + _ONE_DAY)
    return day


def add_months(start: date, n: int) -> date:
    """The same day `n` months later, extended to the next business day if needed.

    A day the target month lacks becomes its last day (31 August + 6 months = 28/29 February),
    so a month-based period never spills into the following month.
    """
    _check_non_negative(n)
    year, month0 = divmod(start.year * 12 + start.month - 1 + n, 12)
    month = month0 + 1
    day = min(start.day, monthrange(year, month)[1])
    return next_business_day(date(year, month, day))


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


def due_date(start: date, amount: int, unit: Unit | str) -> date:
    """The last day of a period of `amount` `unit`s running from `start`.

    `unit` may be the plain string from rule data; an unknown one raises ValueError.
    """
    return _ADDERS[Unit(unit)](start, amount)


def local_date(moment: datetime) -> date:
    """The calendar date in Alatau City at an aware instant (timestamps are stored in UTC).

    A naive datetime is refused: guessing its zone could shift a deadline by a day.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date needs a timezone-aware datetime")
    return moment.astimezone(ALMATY).date()
