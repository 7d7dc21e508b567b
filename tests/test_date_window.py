"""Every date a form or a filter takes lies in one window (core.forms.date_window): a date
outside it is refused with 400 and the window said beside the field, changes nothing, and
never breaks a page (a year 9999 or 0001 used to overflow the date arithmetic: a 500)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from wtforms import DateField, DateTimeField, TimeField
from wtforms.fields.core import UnboundField

import dispute_portal
from dispute_portal.auth.models import Role
from dispute_portal.core.forms import FIRST_DAY, BaseForm, DayField, date_window
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_hostile_input import _counts
from .test_proceedings_views import add_respondent, local_day, overdue_award

MESSAGE = "Enter a date between"


@dataclass
class Target:
    browser: Any
    url: str
    data: dict[str, str]  # a valid request, but for the date
    date: str  # the date field's name
    method: str = "POST"


def _meeting(factory, session, app, *, hearing: bool) -> Target:
    clerk = factory.user(Role.CLERK)
    if hearing:
        case = factory.case(CaseState.ARBITRATION, clerk=clerk)
        who = factory.tribunal(case, clerk)[0]
    else:
        case = factory.case(CaseState.REGISTERED, clerk=clerk)
        who = factory.mediate(case, clerk)
    session.commit()
    browser = browser_for(app, who)
    url = f"/cases/{case.id}/meetings/new"
    version = hidden(browser.get(url).get_data(as_text=True))
    data = {"version": version, "at_time": "10:30", "place": "Room 1", "agenda": "Opening"}
    return Target(browser, url, data, "on_date")


def _chair_act(factory, session, app, action: str, data: dict[str, str], date: str) -> Target:
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair = factory.tribunal(case, clerk)[0]
    session.commit()
    if action == "delay_notice":
        overdue_award(session, case)
    browser = browser_for(app, chair)
    url = f"/cases/{case.id}/act/{action}"
    version = hidden(browser.get(url).get_data(as_text=True), "act-version")
    return Target(browser, url, {"act-version": version, **data}, date)


def t_session(factory, session, app) -> Target:
    return _meeting(factory, session, app, hearing=False)


def t_hearing(factory, session, app) -> Target:
    return _meeting(factory, session, app, hearing=True)


def t_close_submissions(factory, session, app) -> Target:
    reason = {"act-reason": "Procedural order No. 2."}
    return _chair_act(factory, session, app, "close_submissions", reason, "act-last_on")


def t_delay_notice(factory, session, app) -> Target:
    reason = {"act-reason": "Expert evidence."}
    return _chair_act(factory, session, app, "delay_notice", reason, "act-expected_on")


def t_extend_deadline(factory, session, app) -> Target:
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.mediate(case, clerk)
    add_respondent(factory, case)
    session.commit()
    deadline = next(d for d in case.deadlines if d.key == "response")
    browser = browser_for(app, clerk)
    url = f"/cases/{case.id}/deadlines/extend"
    version = hidden(browser.get(url).get_data(as_text=True))
    data = {"version": version, "deadline": str(deadline.id), "reason": "The parties asked."}
    return Target(browser, url, data, "new_due")


def _print_queue(factory, session, app) -> tuple[Any, Ruling]:
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    ruling = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).first()
    return browser_for(app, clerk), ruling


def t_service_date(factory, session, app) -> Target:
    browser, ruling = _print_queue(factory, session, app)
    data = {"ruling_ids": str(ruling.id), "action": "served"}
    return Target(browser, "/registry/print", data, "served_on")


def t_queue_issued_from(factory, session, app) -> Target:
    browser, _ruling = _print_queue(factory, session, app)
    return Target(browser, "/registry/print", {"kind": ""}, "issued_from", method="GET")


def t_queue_issued_to(factory, session, app) -> Target:
    browser, _ruling = _print_queue(factory, session, app)
    return Target(browser, "/registry/print", {"kind": ""}, "issued_to", method="GET")


def t_calendar_day(factory, session, app) -> Target:
    admin = factory.user(Role.ADMIN)
    session.commit()
    data = {"kind": "day_off", "reason": "Government decree No. 1"}
    return Target(browser_for(app, admin), "/admin/calendar/", data, "day")


TARGETS: dict[str, Callable[..., Target]] = {
    name.removeprefix("t_"): fn for name, fn in globals().items() if name.startswith("t_")
}


def _outside() -> dict[str, str]:
    first, last = date_window()
    return {
        "year 9999": "9999-12-31",
        "year 1": "0001-01-01",
        "typed year 1": "01.01.0001",
        "the day before the window": (first - dt.timedelta(days=1)).isoformat(),
        "the day after the window": (last + dt.timedelta(days=1)).isoformat(),
    }


def _send(target: Target, day: str):
    data = {**target.data, target.date: day}
    if target.method == "GET":
        return target.browser.get(target.url, query_string=data)
    return target.browser.post(target.url, data)


@pytest.mark.parametrize("day", sorted(_outside()))
@pytest.mark.parametrize("form", sorted(TARGETS))
def test_a_date_outside_the_window_is_refused_and_changes_nothing(
    form, day, app, factory, session, connection
):
    target = TARGETS[form](factory, session, app)
    before = _counts(connection)
    response = _send(target, _outside()[day])
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert MESSAGE in page and str(date_window()[1].year) in page
    assert _counts(connection) == before


@pytest.mark.parametrize("form", sorted(TARGETS))
def test_the_last_day_of_the_window_is_no_error_of_the_window(form, app, factory, session):
    target = TARGETS[form](factory, session, app)
    response = _send(target, date_window()[1].isoformat())
    # Accepted, or refused for what the act itself says of a far date (a service date in the
    # future): never as outside the window, never a 500.
    assert response.status_code < 500
    assert MESSAGE not in response.get_data(as_text=True)


def test_the_window_is_from_1950_to_the_end_of_the_year_ten_years_ahead():
    first, last = date_window()
    assert first == FIRST_DAY == dt.date(1950, 1, 1)
    assert last == dt.date(dt.date.today().year + 10, 12, 31) or last.year == (
        dt.date.today().year + 11  # the Almaty new year comes before the UTC one
    )


def test_the_preview_of_a_notice_of_delay_ignores_a_date_outside_the_window(app, factory, session):
    target = t_delay_notice(factory, session, app)
    for day in _outside().values():
        response = target.browser.post(
            f"{target.url}/preview", {**target.data, "act-expected_on": day}
        )
        assert response.status_code == 200 and "Expert evidence." in response.get_data(as_text=True)
    ok = target.browser.post(
        f"{target.url}/preview", {**target.data, "act-expected_on": local_day(40)}
    )
    assert ok.status_code == 200


def test_the_date_inputs_tell_the_browser_the_window(app, factory, session):
    target = t_session(factory, session, app)
    page = target.browser.get(target.url).get_data(as_text=True)
    first, last = date_window()
    field = re.search(r"<input[^>]*name=\"on_date\"[^>]*>", page).group(0)
    assert f'min="{first.isoformat()}"' in field and f'max="{last.isoformat()}"' in field


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(dispute_portal.__path__, "dispute_portal."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [BaseForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_date_of_every_form_is_a_day_in_the_window():
    dates = {
        f"{cls.__module__}.{cls.__name__}.{name}": value.field_class
        for cls in _form_classes()
        for name, value in vars(cls).items()
        if isinstance(value, UnboundField) and issubclass(value.field_class, DateField)
    }
    assert dates, "the forms have dates"
    assert {k for k, v in dates.items() if not issubclass(v, DayField)} == set()
    datetimes = [
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, value in vars(cls).items()
        if isinstance(value, UnboundField)
        and issubclass(value.field_class, DateTimeField)
        and not issubclass(value.field_class, (DateField, TimeField))  # WTForms: all are
    ]
    assert datetimes == []  # a date and a time are two fields (a meeting): add the window


def test_no_view_parses_a_date_of_its_own():
    package = Path(dispute_portal.__file__).parent
    views = [*package.glob("*/views.py"), *package.glob("*/views/*.py")]
    own = [
        str(p.relative_to(package))
        for p in views
        if re.search(r"fromisoformat|strptime|strpdate", p.read_text())
    ]
    assert own == [], "parse a date with core.forms.DayField (the window) instead"
