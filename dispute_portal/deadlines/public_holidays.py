"""Kazakhstan's public holidays as the `holidays` package computes them: the one place that
reads the package. Pure (no Flask, no database).

Nothing computes a deadline from here directly. What the package says is copied into a
calendar version when one is published (`deadlines.calendars`), and cases run on the
versions: a newer package, which may move a day (an estimated Eid al-Adha made exact) or
disagree with the Government's calendar, changes nothing until a new version is published.

The package's KZ calendar includes (checked in version 0.109):
- the days off moved to the next working day when a holiday falls on a weekend, labelled
  "(observed)", e.g. Nauryz 2026 is 21-25 March;
- the Government's one-off transfers of days off ("Day off (substituted from ...)", e.g.
  Friday 3 January 2025), for the years it has data for (up to 2025 in 0.109).
Every date it lists is taken. The working Saturdays those transfers create are not listed:
the admin lists them (`kind` working_day), as any decree the package does not know yet.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata

import holidays

# The years a calendar version holds, around the year it is published: back far enough for a
# period that started before it (the last submission's date), ahead farther than any
# deadline the forms let one set (core.forms.date_window: ten years) plus a long period.
YEARS_BACK = 5
YEARS_AHEAD = 20


def window(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar version published in `year`."""
    return dt.date(year - YEARS_BACK, 1, 1), dt.date(year + YEARS_AHEAD, 12, 31)


@functools.lru_cache(maxsize=8)
def _computed(first_year: int, last_year: int) -> tuple[tuple[dt.date, str], ...]:
    years = range(first_year, last_year + 1)
    return tuple(sorted(holidays.country_holidays("KZ", years=years).items()))


def package_days(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Every non-working public holiday the package lists from `first` to `last`, with its
    name (in English, the package's default)."""
    return {day: name for day, name in _computed(first.year, last.year) if first <= day <= last}


def package_version() -> str:
    """The installed version of the `holidays` package (recorded with each calendar)."""
    return importlib.metadata.version("holidays")
