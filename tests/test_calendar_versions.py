"""The calendar of days off is data and versioned: a case keeps the calendar it was
registered under, so neither a new `holidays` package nor a new admin list moves a deadline
already computed; a new version governs new cases, and adds its days off (never takes one
away) to the new deadlines of running ones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines import public_holidays
from dispute_portal.deadlines.models import CalendarDay, CalendarVersion, DaySource
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.workflow.states import CaseState

from .conftest import database_of_its_own

# Some tests here start from a new installation (no calendar version at all): the module has
# a database of its own, so no other test's registration (which makes the first version)
# can be seen from it, whatever the order the workers run the suite in.
db_url, app = database_of_its_own("calendar_versions")

MONDAY = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)  # Monday 1 June 2026, 10:00 in Almaty
CAPITAL_DAY = dt.date(2026, 7, 6)  # a Monday, a public holiday in every package so far
REAL_PACKAGE = public_holidays.package_days


def register(factory, session, at: dt.datetime = MONDAY):
    case = factory.case(CaseState.SUBMITTED)
    with frozen_time(at):
        factory.settle_lodging_fee(case, factory.user(Role.CLERK))
        registry.register_case(session, case, clerk=factory.user(Role.CLERK))
    session.flush()
    return case


def due(case, key: str) -> dt.date:
    return next(d.due_on for d in case.deadlines if d.key == key and d.status.value == "open")


def extend(factory, session, case, key: str, to: dt.date) -> dt.date:
    deadline = next(d for d in case.deadlines if d.key == key)
    with frozen_time(MONDAY + dt.timedelta(days=1)):
        proceedings.extend_deadline(
            case,
            clerk=factory.user(Role.CLERK),
            deadline_id=deadline.id,
            new_due=to,
            reason="The parties asked.",
            expected_version=None,
        )
    session.flush()
    return deadline.due_on


def newest(session) -> int:
    return session.scalar(select(func.max(CalendarVersion.version)))


def publish(browser, name: str = "Calendar 2026, with the decrees"):
    return browser.post("/admin/calendar/publish", {"name": name})


def add(browser, day: dt.date, kind: str = "day_off", reason: str = "Government decree No. 123"):
    return browser.post(
        "/admin/calendar/", {"day": day.isoformat(), "kind": kind, "reason": reason}
    )


def test_a_new_holidays_package_moves_no_deadline_of_a_running_case(
    factory, session, login_as, monkeypatch
):
    running = register(factory, session)
    assert running.calendar_version == 1  # the first version, made from the package
    assert due(running, "response") == dt.date(2026, 7, 1)  # 30 days, a Wednesday

    # The package is upgraded: it now says Wednesday 1 July is a holiday, and no longer
    # lists Capital Day.
    def upgraded(first: dt.date, last: dt.date) -> dict[dt.date, str]:
        days = {d: n for d, n in REAL_PACKAGE(first, last).items() if d != CAPITAL_DAY}
        if first <= dt.date(2026, 7, 1) <= last:
            days[dt.date(2026, 7, 1)] = "A holiday of the new package"
        return days

    monkeypatch.setattr(public_holidays, "package_days", upgraded)

    # Nothing follows the package by itself, not even a new case...
    unpublished = register(factory, session)
    assert (unpublished.calendar_version, due(unpublished, "response")) == (1, dt.date(2026, 7, 1))
    # ...the admin is told what differs, and publishes.
    browser, _ = login_as("admin")
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    assert "A holiday of the new package" in page and "Capital Day" in page
    assert publish(browser).status_code == 302
    assert newest(session) == 2

    new = register(factory, session)
    assert new.calendar_version == 2
    assert due(new, "response") == dt.date(2026, 7, 2)  # 1 July is a holiday now

    session.refresh(running)
    assert running.calendar_version == 1
    assert due(running, "response") == dt.date(2026, 7, 1)  # computed: never moves
    assert {d.calendar_version for d in running.deadlines} == {1}

    # New dates of the running case keep the holiday its calendar has (never earlier)...
    assert extend(factory, session, running, "response", CAPITAL_DAY) == dt.date(2026, 7, 7)
    # ...while the new case's calendar no longer has it.
    assert extend(factory, session, new, "response", CAPITAL_DAY) == CAPITAL_DAY


def test_an_extra_day_off_of_the_admin_moves_new_deadlines(factory, session, login_as):
    decree = dt.date(2026, 7, 1)  # a Wednesday the Government made a day off
    running = register(factory, session)
    assert due(running, "response") == decree
    browser, admin = login_as("admin")
    assert (
        add(browser, decree, reason="Government decree No. 123 of 1 June 2026").status_code == 302
    )
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    assert "Government decree No. 123 of 1 June 2026" in page and "Not yet published" in page

    # On the draft list only: no case follows it yet.
    assert due(register(factory, session), "response") == decree
    assert publish(browser).status_code == 302

    new = register(factory, session)
    assert due(new, "response") == dt.date(2026, 7, 2)
    session.refresh(running)
    assert due(running, "response") == decree  # computed before: stays
    # A new date of the running case skips the decree's day off: the Centre is closed.
    assert extend(factory, session, running, "mediator_appointment", decree) == dt.date(2026, 7, 2)

    # The publish act is in the security log: who, which version, what was added.
    (event,) = session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "calendar_published")
    )
    assert event.user_id == admin.id
    assert event.data["version"] == 2
    assert event.data["added"] == [
        {
            "day": "2026-07-01",
            "kind": "day_off",
            "reason": "Government decree No. 123 of 1 June 2026",
        }
    ]
    rows = session.scalars(
        select(CalendarDay).where(CalendarDay.version == 2, CalendarDay.source == DaySource.ADMIN)
    ).all()
    assert [(r.day, r.kind.value) for r in rows] == [(decree, "day_off")]


def test_a_working_saturday_counts_as_a_business_day(factory, session, login_as):
    before = register(factory, session)
    # 10 business days from Monday 1 June 2026: Monday 15 June.
    assert due(before, "mediator_appointment") == dt.date(2026, 6, 15)
    browser, _ = login_as("admin")
    saturday = dt.date(2026, 6, 6)
    assert add(browser, saturday, "working_day", "Working Saturday by decree").status_code == 302
    assert publish(browser).status_code == 302

    after = register(factory, session)
    assert due(after, "mediator_appointment") == dt.date(2026, 6, 12)  # the Saturday counts
    session.refresh(before)
    assert due(before, "mediator_appointment") == dt.date(2026, 6, 15)
    # A period that ends on the working Saturday ends there: 30 days from Thursday 7 May.
    thursday = dt.datetime(2026, 5, 7, 5, 0, tzinfo=dt.UTC)
    assert due(register(factory, session, thursday), "response") == saturday


def test_the_seam_of_31_august_2026(factory, session, login_as, monkeypatch):
    """Constitution Day, Sunday 30 August 2026: the package (0.109) lists no day off for it,
    so Monday 31 August counts as a business day until the admin lists the official one."""

    def without_the_seam(first: dt.date, last: dt.date) -> dict[dt.date, str]:
        seam = (dt.date(2026, 8, 30), dt.date(2026, 8, 31))
        return {d: n for d, n in REAL_PACKAGE(first, last).items() if d not in seam}

    monkeypatch.setattr(public_holidays, "package_days", without_the_seam)
    saturday = dt.datetime(2026, 8, 1, 5, 0, tzinfo=dt.UTC)  # Saturday 1 August 2026
    assert dt.date(2026, 8, 31).weekday() == 0
    running = register(factory, session, saturday)
    assert due(running, "response") == dt.date(2026, 8, 31)

    browser, _ = login_as("admin")
    reason = "Constitution Day (Sunday 30 August) moved to Monday 31 August"
    assert add(browser, dt.date(2026, 8, 31), reason=reason).status_code == 302
    assert publish(browser).status_code == 302

    assert due(register(factory, session, saturday), "response") == dt.date(2026, 9, 1)
    session.refresh(running)
    assert due(running, "response") == dt.date(2026, 8, 31)


@pytest.mark.parametrize(
    ("day", "kind", "reason", "says"),
    [
        (dt.date(2026, 6, 6), "day_off", "Decree", "A Saturday or a Sunday is a day off already."),
        (dt.date(2026, 6, 10), "working_day", "Decree", "The Centre works on that day already"),
        (dt.date(2026, 7, 1), "day_off", " ", "This field is required."),
        (dt.date(2026, 7, 1), "day_off", "x" * 301, "Field cannot be longer than 300"),
        (dt.date(2026, 7, 1), "holiday", "Decree", "Not a valid choice"),
        (dt.date(2019, 1, 3), "day_off", "Decree", "The calendar holds the days from"),
        (dt.date(1949, 1, 3), "day_off", "Decree", "Enter a date between"),
    ],
)
def test_a_day_the_list_cannot_take_is_refused(day, kind, reason, says, login_as, session):
    browser, _ = login_as("admin")
    with frozen_time(MONDAY):
        response = add(browser, day, kind, reason)
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    assert browser.get("/admin/calendar/").get_data(as_text=True).count("Remove") == 0


def test_the_draft_list_takes_a_day_once_and_lets_it_go(login_as, session):
    browser, _ = login_as("admin")
    capital_day_worked = add(browser, CAPITAL_DAY, "working_day", "Official calendar: worked")
    assert capital_day_worked.status_code == 302  # a public holiday can be made a working day
    again = add(browser, CAPITAL_DAY, "day_off", "Decree")
    assert again.status_code == 400 and "on the list already" in again.get_data(as_text=True)
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    assert "Official calendar: worked" in page
    (entry_id,) = [int(x) for x in re.findall(r"/admin/calendar/days/(\d+)/", page)]
    assert browser.post(f"/admin/calendar/days/{entry_id}/remove").status_code == 302
    assert "Official calendar: worked" not in browser.get("/admin/calendar/").get_data(as_text=True)
    assert browser.post(f"/admin/calendar/days/{entry_id}/remove").status_code == 404


def test_publishing_needs_a_name_and_a_change(factory, session, login_as):
    browser, _ = login_as("admin")
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    assert "No version yet" in page  # a new installation: no case registered, none published
    assert publish(browser, " ").status_code == 400
    assert publish(browser).status_code == 302  # the first version, from the package
    assert newest(session) == 1
    refused = publish(browser, "The same again")
    assert refused.status_code == 409
    assert "Nothing changed since version 1." in refused.get_data(as_text=True)
    assert newest(session) == 1
    assert register(factory, session).calendar_version == 1


def test_only_the_admin_keeps_the_calendar(login_as, session):
    for role in ("clerk", "mediator", "investor"):
        browser, _ = login_as(role)
        assert browser.get("/admin/calendar/").status_code == 403
        assert add(browser, dt.date(2026, 7, 1)).status_code == 403
        assert publish(browser).status_code == 403
    assert newest(session) is None


def test_a_day_taken_off_the_list_stays_in_force_until_the_next_version(factory, session, login_as):
    browser, _ = login_as("admin")
    decree = dt.date(2026, 7, 1)
    assert add(browser, decree, reason="Decree later revoked").status_code == 302
    assert publish(browser).status_code == 302
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    (entry_id,) = [int(x) for x in re.findall(r"/admin/calendar/days/(\d+)/", page)]
    assert browser.post(f"/admin/calendar/days/{entry_id}/remove").status_code == 302
    page = browser.get("/admin/calendar/").get_data(as_text=True)
    assert "in force until the next version is published" in page and "Decree later revoked" in page
    assert due(register(factory, session), "response") == dt.date(2026, 7, 2)  # still off

    assert publish(browser, "The decree revoked").status_code == 302
    assert due(register(factory, session), "response") == decree
    event = session.scalars(
        select(SecurityEvent)
        .where(SecurityEvent.action == "calendar_published")
        .order_by(SecurityEvent.seq.desc())
    ).first()
    assert event.data["added"] == []
    assert event.data["removed"] == [
        {"day": "2026-07-01", "kind": "day_off", "reason": "Decree later revoked"}
    ]
