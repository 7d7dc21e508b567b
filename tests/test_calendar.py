"""The procedural calendar against real Kazakhstan dates, and the calendar's own rules
(extra days off, working Saturdays, a running case's calendar, the years it holds).

Every expected date of the real ones is a literal checked by hand against the `holidays`
package's KZ calendar (0.109), e.g. Nauryz 2026 = Sat 21, Sun 22, Mon 23 March plus observed
days off Tue 24, Wed 25.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dispute_portal.deadlines import public_holidays
from dispute_portal.deadlines.calendar import (
    ALMATY,
    Calendar,
    OutsideCalendar,
    Unit,
    add_business_days,
    add_calendar_days,
    add_months,
    closed_in_either,
    due_date,
    is_business_day,
    local_date,
    make_calendar,
    next_business_day,
)

FIRST, LAST = date(2020, 1, 1), date(2035, 12, 31)
# Kazakhstan's public holidays as the package lists them, nothing added.
KZ = make_calendar(FIRST, LAST, holidays=public_holidays.package_days(FIRST, LAST))


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
    assert is_business_day(day, KZ) is expected


def test_next_business_day():
    assert next_business_day(date(2026, 3, 16), KZ) == date(2026, 3, 16)
    assert next_business_day(date(2026, 3, 21), KZ) == date(2026, 3, 26)
    assert next_business_day(date(2026, 12, 31), KZ) == date(2026, 12, 31)
    assert next_business_day(date(2027, 1, 1), KZ) == date(2027, 1, 5)


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
    assert add_calendar_days(start, n, KZ) == expected


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
    assert add_business_days(start, n, KZ) == expected


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
    assert add_months(start, n, KZ) == expected


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
    assert due_date(date(2026, 3, 16), amount, unit, KZ) == expected


def test_due_date_rejects_an_unknown_unit():
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 16), 10, "weeks", KZ)


@pytest.mark.parametrize("add", [add_calendar_days, add_business_days, add_months])
def test_negative_periods_are_rejected(add):
    with pytest.raises(ValueError):
        add(date(2026, 3, 16), -1, KZ)


def test_due_date_rejects_a_negative_amount():
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 16), -1, "calendar_days", KZ)


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


# The calendar's own rules ---------------------------------------------------------------------

WORKING_SATURDAY = date(2026, 6, 6)
DECREE_DAY_OFF = date(2026, 6, 12)  # a Friday


def with_decree(**days) -> Calendar:
    """The package's calendar and a Government decree: `days_off` and `working_days`."""
    return make_calendar(FIRST, LAST, holidays=public_holidays.package_days(FIRST, LAST), **days)


def test_a_working_saturday_is_a_business_day():
    calendar = with_decree(working_days=[WORKING_SATURDAY])
    assert is_business_day(WORKING_SATURDAY, calendar)
    assert not is_business_day(WORKING_SATURDAY, KZ)
    # 10 business days from Monday 1 June 2026: the Saturday counts, so Friday 12 June
    # instead of Monday 15 June.
    assert add_business_days(date(2026, 6, 1), 10, KZ) == date(2026, 6, 15)
    assert add_business_days(date(2026, 6, 1), 10, calendar) == date(2026, 6, 12)
    # A period that ends on it ends there.
    assert add_calendar_days(date(2026, 5, 7), 30, calendar) == WORKING_SATURDAY
    assert add_calendar_days(date(2026, 5, 7), 30, KZ) == date(2026, 6, 8)


def test_an_extra_day_off_moves_a_deadline_and_is_not_counted():
    calendar = with_decree(days_off=[DECREE_DAY_OFF])
    assert add_calendar_days(date(2026, 5, 13), 30, KZ) == DECREE_DAY_OFF
    assert add_calendar_days(date(2026, 5, 13), 30, calendar) == date(2026, 6, 15)
    assert add_business_days(date(2026, 6, 1), 9, calendar) == date(2026, 6, 15)


def test_a_working_day_overrides_a_public_holiday_of_the_package():
    capital_day = date(2026, 7, 6)  # a Monday
    assert not is_business_day(capital_day, KZ)
    assert is_business_day(capital_day, with_decree(working_days=[capital_day]))


def test_a_day_cannot_be_both_off_and_working():
    with pytest.raises(ValueError):
        Calendar(FIRST, LAST, frozenset({DECREE_DAY_OFF}), frozenset({DECREE_DAY_OFF}))


def test_a_day_outside_the_calendar_is_never_guessed():
    short = make_calendar(date(2026, 1, 1), date(2026, 12, 31))
    assert next_business_day(date(2026, 12, 31), short) == date(2026, 12, 31)
    with pytest.raises(OutsideCalendar):
        add_calendar_days(date(2026, 12, 5), 30, short)  # Monday 4 January 2027 is not known
    with pytest.raises(OutsideCalendar):
        is_business_day(date(2025, 12, 31), short)


def test_a_running_case_gets_later_days_off_but_keeps_its_own():
    """closed_in_either: a newer calendar adds its days off; what it drops stays off, and
    a working Saturday only one of them has is no business day."""
    pinned = with_decree(days_off=[date(2026, 6, 10)], working_days=[WORKING_SATURDAY])
    later = make_calendar(
        date(2022, 1, 1), date(2040, 12, 31), days_off=[DECREE_DAY_OFF], working_days=[]
    )
    both = closed_in_either(pinned, later)
    assert (both.first, both.last) == (FIRST, date(2040, 12, 31))
    assert not is_business_day(date(2026, 6, 10), both)  # dropped by the later one
    assert not is_business_day(DECREE_DAY_OFF, both)  # added by the later one
    assert not is_business_day(WORKING_SATURDAY, both)  # working in the pinned one only
    assert not is_business_day(date(2026, 7, 6), both)  # the package's, in the pinned one
    assert is_business_day(date(2026, 6, 11), both)
    # Years only one of them holds are read from that one.
    assert not is_business_day(date(2021, 1, 1), both)  # New Year, pinned only
    assert is_business_day(date(2038, 1, 1), both)  # the later one lists no holiday
    # For every day both hold, business in both = business in the combination.
    day = date(2026, 1, 1)
    while day <= date(2026, 12, 31):
        expected = is_business_day(day, pinned) and is_business_day(day, later)
        assert is_business_day(day, both) is expected, day
        day += timedelta(days=1)


def test_calendars_that_do_not_meet_leave_the_later_one():
    old = make_calendar(date(2000, 1, 1), date(2001, 12, 31), days_off=[date(2001, 1, 2)])
    new = make_calendar(date(2030, 1, 1), date(2031, 12, 31))
    assert closed_in_either(old, new) == new
