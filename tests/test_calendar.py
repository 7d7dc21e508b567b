"""The procedural calendar against real Kazakhstan dates.

Every expected date is a literal checked by hand against the `holidays` package's KZ calendar
(0.109), e.g. Nauryz 2026 = Sat 21, Sun 22, Mon 23 March plus observed days off Tue 24, Wed 25.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dispute_portal.deadlines.calendar import (
    ALMATY,
    Unit,
    add_business_days,
    add_calendar_days,
    add_months,
    due_date,
    is_business_day,
    local_date,
    next_business_day,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 16), True),  # ordinary Monday
        (date(2026, 2, 7), False),  # Saturday
        (date(2026, 2, 8), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 1, 2), False),  # New Year, second day
        (date(2026, 1, 7), False),  # Orthodox Christmas
        (date(2026, 3, 9), False),  # Women's Day (8 March, a Sunday) observed
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 25), False),  # Nauryz observed (21-22 March fell on the weekend)
        (date(2026, 3, 26), True),
        (date(2026, 5, 11), False),  # Victory Day (9 May, a Saturday) observed
        (date(2026, 7, 6), False),  # Capital Day
        (date(2026, 12, 16), False),  # Independence Day
        (date(2026, 12, 17), True),  # no longer a holiday since 2022
        (date(2025, 1, 3), False),  # Government transfer: day off substituted from 5 January
        (date(2024, 5, 4), False),  # the matching "working Saturday": the Centre stays closed
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(day) is expected


def test_next_business_day():
    assert next_business_day(date(2026, 3, 16)) == date(2026, 3, 16)
    assert next_business_day(date(2026, 3, 21)) == date(2026, 3, 26)
    assert next_business_day(date(2026, 12, 31)) == date(2026, 12, 31)
    assert next_business_day(date(2027, 1, 1)) == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Ends on Saturday 7 February 2026: moves to Monday.
        (date(2026, 1, 8), 30, date(2026, 2, 9)),
        # Ordinary weekday: no move.
        (date(2026, 1, 8), 27, date(2026, 2, 4)),
        # Ends on Monday 23 March 2026 (Nauryz); 24-25 March are observed days off.
        (date(2026, 2, 21), 30, date(2026, 3, 26)),
        # Ends on Friday 21 March 2025 (Nauryz), followed by the weekend 22-23 (also Nauryz)
        # and observed days off Mon 24 and Tue 25.
        (date(2025, 2, 19), 30, date(2025, 3, 26)),
        # Ends on Friday 22 March 2024 (Nauryz, leap February in between), then the weekend,
        # then the observed day off Monday 25 March.
        (date(2024, 2, 21), 30, date(2024, 3, 26)),
        # Ends on Independence Day, Wednesday 16 December 2026.
        (date(2026, 11, 16), 30, date(2026, 12, 17)),
        # Ends on Independence Day, Saturday 16 December 2028: weekend, then observed Monday 18.
        (date(2028, 11, 16), 30, date(2028, 12, 19)),
        # Ends on New Year, Thursday 1 January 2026: 1-2 January, then the weekend.
        (date(2025, 12, 2), 30, date(2026, 1, 5)),
        # Ends on New Year, Friday 1 January 2027: 2 January is a Saturday, observed Monday 4.
        (date(2026, 12, 2), 30, date(2027, 1, 5)),
        # Ends on Orthodox Christmas, Wednesday 7 January 2026.
        (date(2026, 1, 1), 6, date(2026, 1, 8)),
        # Zero days from a holiday: the first business day.
        (date(2026, 12, 16), 0, date(2026, 12, 17)),
    ],
)
def test_add_calendar_days(start, n, expected):
    assert add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 16), 1, date(2026, 3, 17)),
        # Friday + 1 business day = Monday.
        (date(2026, 2, 6), 1, date(2026, 2, 9)),
        # Across Nauryz 2026: 17-20 March (4), 26-27 March (6), 30 March-2 April (10).
        (date(2026, 3, 16), 10, date(2026, 4, 2)),
        # Across the May holidays 2026 (1, 7 and 11 May off): 4, 5, 6, 8, 12, 13, 14, 15, 18, 19.
        (date(2026, 4, 30), 10, date(2026, 5, 19)),
        # Across the year end: 31 Dec, then 5, 6 and (skipping Christmas on the 7th) 8 January.
        (date(2026, 12, 30), 4, date(2027, 1, 8)),
        # Starting on a holiday: the holiday does not count, the first business day after it does.
        (date(2026, 3, 23), 1, date(2026, 3, 26)),
        (date(2026, 3, 23), 2, date(2026, 3, 27)),
        # n == 0: the start itself if open, else the next business day.
        (date(2026, 3, 16), 0, date(2026, 3, 16)),
        (date(2026, 3, 23), 0, date(2026, 3, 26)),
    ],
)
def test_add_business_days(start, n, expected):
    assert add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 15), 2, date(2027, 1, 15)),  # across the year end, a Friday
        (date(2026, 11, 16), 2, date(2027, 1, 18)),  # Saturday 16 January 2027 -> Monday
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # clamped to 30 April (a Thursday)
        # Clamped to Sunday 28 February 2027, then moved to Monday 1 March.
        (date(2026, 8, 31), 6, date(2027, 3, 1)),
        # Leap year: clamped to Tuesday 29 February 2028.
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        # Lands on Nauryz 2026.
        (date(2026, 1, 23), 2, date(2026, 3, 26)),
        (date(2026, 3, 23), 0, date(2026, 3, 26)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (Unit.CALENDAR_DAYS, date(2026, 3, 26)),
        ("calendar_days", date(2026, 3, 26)),
        (Unit.BUSINESS_DAYS, date(2026, 4, 2)),
        ("business_days", date(2026, 4, 2)),
        (Unit.MONTHS, date(2026, 4, 16)),
        ("months", date(2026, 4, 16)),
    ],
)
def test_due_date_dispatches_on_unit(unit, expected):
    amount = 1 if unit == Unit.MONTHS else 10
    assert due_date(date(2026, 3, 16), amount, unit) == expected


def test_due_date_rejects_an_unknown_unit():
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 16), 10, "weeks")


@pytest.mark.parametrize("add", [add_calendar_days, add_business_days, add_months])
def test_negative_periods_are_rejected(add):
    with pytest.raises(ValueError):
        add(date(2026, 3, 16), -1)


def test_due_date_rejects_a_negative_amount():
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 16), -1, "calendar_days")


def test_local_date_late_utc_evening_is_next_day_in_almaty():
    assert local_date(datetime(2026, 3, 16, 23, 30, tzinfo=UTC)) == date(2026, 3, 17)


def test_local_date_midnight_boundary_is_utc_plus_five():
    assert local_date(datetime(2026, 3, 16, 18, 59, tzinfo=UTC)) == date(2026, 3, 16)
    assert local_date(datetime(2026, 3, 16, 19, 0, tzinfo=UTC)) == date(2026, 3, 17)
    # Before 1 March 2024 Almaty was UTC+6, so 18:30 UTC was already the next day.
    assert local_date(datetime(2024, 1, 15, 18, 30, tzinfo=UTC)) == date(2024, 1, 16)


def test_local_date_accepts_other_aware_zones():
    moscow = timezone(timedelta(hours=3))
    assert local_date(datetime(2026, 3, 16, 21, 30, tzinfo=moscow)) == date(2026, 3, 16)
    assert local_date(datetime(2026, 3, 16, 22, 0, tzinfo=moscow)) == date(2026, 3, 17)
    assert local_date(datetime(2026, 3, 17, 0, 0, tzinfo=ALMATY)) == date(2026, 3, 17)


def test_local_date_rejects_naive_datetime():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 16, 23, 30))
