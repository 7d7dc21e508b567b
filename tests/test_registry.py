"""The clerk's intake: queue, review, register, return, reject; two clerks at once."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import delete, select

from dispute_portal.auth.models import User
from dispute_portal.cases import operations as cases_ops
from dispute_portal.cases.models import Case
from dispute_portal.db import db, frozen_time, utcnow
from dispute_portal.deadlines.models import CalendarDay, CalendarVersion
from dispute_portal.errors import TransitionRefused
from dispute_portal.registry import operations as registry
from dispute_portal.registry.models import CaseNumberCounter
from dispute_portal.workflow.states import CaseState

from .conftest import hidden
from .insider import bypass_triggers, delete_case, rebuild_log

ALMATY_YEAR = utcnow().astimezone(registry.ALMATY).year


def test_intake_lists_submitted_cases_oldest_first_with_age(factory, login_as, session):
    now = utcnow()
    with frozen_time(now - dt.timedelta(days=5)):
        old = factory.case(CaseState.SUBMITTED)
    with frozen_time(now - dt.timedelta(days=1)):
        new = factory.case(CaseState.SUBMITTED)
    draft = factory.case(CaseState.DRAFT)
    registered = factory.case(CaseState.REGISTERED)
    session.commit()
    browser, _ = login_as("clerk")
    page = browser.get("/registry/intake").get_data(as_text=True)
    assert page.index(old.reference) < page.index(new.reference)
    assert "5 days" in page and "1 day" in page
    assert draft.reference not in page and registered.number not in page


def test_age_in_days_counts_almaty_calendar_days():
    submitted = dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)  # 23:30 in Almaty
    assert registry.age_in_days(submitted, dt.datetime(2026, 3, 1, 19, 30, tzinfo=dt.UTC)) == 1
    assert registry.age_in_days(submitted, dt.datetime(2026, 3, 1, 18, 45, tzinfo=dt.UTC)) == 0


def test_clerk_registers_a_case_and_the_investor_sees_the_number(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, clerk = login_as("clerk")
    page = browser.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    response = browser.post(f"/registry/cases/{case.id}/register", {"version": hidden(page)})
    assert response.location == f"/cases/{case.id}"  # the case page: its next step is there
    session.expire_all()
    assert case.state is CaseState.REGISTERED
    assert re.fullmatch(rf"ADR-{ALMATY_YEAR}-\d{{4}}", case.number)
    event = case.last_event("register")
    assert event.actor_id == clerk.id and event.data == {"number": case.number}
    case_page = browser.get(response.location).get_data(as_text=True)
    assert f"Registered as {case.number}." in case_page  # the flash names the case
    assert "Assign a mediator" in case_page  # …and the next step is offered
    investor, _ = login_as("investor", user=case.claimant_user)
    assert case.number in investor.get("/cases/").get_data(as_text=True)


def test_numbers_are_sequential_and_never_reused(factory, session):
    clerk = factory.user("clerk")
    a, b, c = (factory.case(CaseState.SUBMITTED) for _ in range(3))
    factory.settle_lodging_fee(a, clerk)
    registry.register_case(session, a, clerk=clerk)
    with pytest.raises(TransitionRefused):
        registry.register_case(session, a, clerk=clerk)  # refused: consumes no number
    factory.settle_lodging_fee(b, clerk)
    registry.register_case(session, b, clerk=clerk)
    registry.reject_case(c, clerk=clerk, reason="Out of time.")
    first, second = int(a.number[-4:]), int(b.number[-4:])
    assert second == first + 1 and c.number is None


def test_clerk_returns_a_case_with_reasons(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    page = browser.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    response = browser.post(
        f"/registry/cases/{case.id}/return",
        {"return-version": hidden(page, "return-version"), "return-reason": "Sign the claim."},
    )
    assert response.location == "/registry/intake"  # the claim left the registry's hands
    flash = f"Claim {case.reference} was returned to the claimant for amendment."
    assert flash in browser.get(response.location).text  # …and the flash names it
    session.expire_all()
    assert case.state is CaseState.RETURNED and case.last_event("return").note == "Sign the claim."


def test_clerk_rejects_a_case_with_reasons(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    page = browser.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    response = browser.post(
        f"/registry/cases/{case.id}/reject",
        {"reject-version": hidden(page, "reject-version"), "reject-reason": "Not an investment."},
    )
    flash = f"Claim {case.reference} was rejected as inadmissible."
    assert flash in browser.get(response.location).text
    session.expire_all()
    assert case.state is CaseState.DISMISSED and case.decided_at is not None
    investor, _ = login_as("investor", user=case.claimant_user)
    assert "Not an investment." in investor.get(f"/cases/{case.id}").get_data(as_text=True)


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_without_reasons_change_nothing(factory, login_as, session, action):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    response = browser.post(
        f"/registry/cases/{case.id}/{action}",
        {f"{action}-version": str(case.version), f"{action}-reason": "  "},
    )
    assert response.status_code == 400  # the review page again, the reasons asked for
    assert "Give the reasons." in response.get_data(as_text=True)
    session.expire_all()
    assert case.state is CaseState.SUBMITTED


def test_a_stale_form_applies_nothing(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    page = browser.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    seen = hidden(page)
    other, _ = login_as("clerk")
    other.post(
        f"/registry/cases/{case.id}/return", {"return-version": seen, "return-reason": "Amend."}
    )
    resubmitter, _ = login_as("investor", user=case.claimant_user)
    session.expire_all()
    resubmitter.post(f"/cases/{case.id}/submit", {"version": str(case.version)})
    session.expire_all()
    assert case.state is CaseState.SUBMITTED
    response = browser.post(f"/registry/cases/{case.id}/register", {"version": seen})
    assert response.status_code == 409
    assert "changed since you opened it" in response.get_data(as_text=True)
    session.expire_all()
    assert case.state is CaseState.SUBMITTED and case.number is None


def test_double_clicked_register_gives_one_number(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    version = hidden(browser.get(f"/registry/cases/{case.id}").get_data(as_text=True))
    browser.post(f"/registry/cases/{case.id}/register", {"version": version})
    second = browser.post(f"/registry/cases/{case.id}/register", {"version": version})
    assert second.status_code == 409
    assert "changed since you opened it" in second.get_data(as_text=True)
    session.expire_all()
    assert [e.action for e in case.events].count("register") == 1


def test_review_page_is_for_clerks(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("investor", user=case.claimant_user)
    assert browser.get(f"/registry/cases/{case.id}").status_code == 403
    response = browser.post(f"/registry/cases/{case.id}/register", {"version": "1"})
    assert response.status_code == 403
    session.expire_all()
    assert case.state is CaseState.SUBMITTED


class TestTwoClerksAtOnce:
    """Real concurrent connections, committed data: the database must pick one winner."""

    @pytest.fixture
    def committed_case(self, app):
        from tests.factories import Factory

        with app.app_context():
            factory = Factory(db.session, app.config)
            clerks = [factory.user("clerk") for _ in range(2)]
            case = factory.case(CaseState.SUBMITTED, clerk=clerks[0], fee_settled=False)
            factory.settle_lodging_fee(case, clerks[0])  # waived: no finance officer to remove
            db.session.commit()
            ids = case.id, [c.id for c in clerks], case.claimant_user_id
            versions = set(db.session.scalars(select(CalendarVersion.version)))
        yield ids
        with app.app_context():
            case_id, clerk_ids, claimant_id = ids
            bypass_triggers(db.session())  # the case's trail goes too: the log is made again
            delete_case(db.session(), case_id)
            db.session.execute(delete(User).where(User.id.in_([*clerk_ids, claimant_id])))
            db.session.execute(
                delete(CaseNumberCounter).where(CaseNumberCounter.year == ALMATY_YEAR)
            )
            # Registering made the first calendar version on a new installation: it goes
            # too, or a later test that starts from none finds it.
            made = CalendarVersion.version.not_in(versions)
            db.session.execute(delete(CalendarDay).where(CalendarDay.version.not_in(versions)))
            db.session.execute(delete(CalendarVersion).where(made))
            rebuild_log(db.session())

    def test_only_one_registers_and_one_number_is_used(self, app, committed_case):
        case_id, clerk_ids, _ = committed_case
        barrier = threading.Barrier(2)
        results: list[str] = []

        def act(clerk_id: int) -> None:
            barrier.wait()  # both start together; from here the database decides
            with app.app_context():
                session = db.session
                try:
                    clerk = session.get(User, clerk_id)
                    case = cases_ops.lock_case(session, case_id)
                    registry.register_case(session, case, clerk=clerk)
                    session.commit()
                    results.append("registered")
                except TransitionRefused as exc:
                    session.rollback()
                    results.append(f"refused: {exc}")

        threads = [threading.Thread(target=act, args=(cid,)) for cid in clerk_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results)[0] == "refused: Not possible while the case is Registered."
        assert sorted(results)[1] == "registered"
        with app.app_context():
            case = db.session.get(Case, case_id)
            counter = db.session.get(CaseNumberCounter, ALMATY_YEAR)
            assert case.number == f"ADR-{ALMATY_YEAR}-{counter.last_value:04d}"
            assert [e.action for e in case.events].count("register") == 1
            assert db.session.scalar(select(Case.id).where(Case.number == case.number)) == case_id


@pytest.mark.parametrize(
    ("action", "title"),
    [("return", "Notice of return for amendment"), ("reject", "Decision on inadmissibility")],
)
def test_clerk_previews_the_ruling_before_issuing(factory, login_as, session, action, title):
    from dispute_portal.rulings.models import Ruling

    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    before = session.scalars(select(Ruling.id)).all()
    browser, _ = login_as("clerk")
    response = browser.post(
        f"/registry/cases/{case.id}/preview/{action}",
        {f"{action}-reason": 'First point.\n\nSecond <img src="file:///etc/passwd"> point.'},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title in html
    assert "Draft for review — not issued, not valid" in html
    assert "First point." in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<img" not in html and "<script" not in html.lower()
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    session.expire_all()
    assert session.scalars(select(Ruling.id)).all() == before  # nothing was issued
    assert case.state is CaseState.SUBMITTED


def test_preview_is_for_clerks(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("investor", user=case.claimant_user)
    assert browser.post(f"/registry/cases/{case.id}/preview/reject", {}).status_code == 403
    stranger, _ = login_as("investor")
    assert stranger.post(f"/registry/cases/{case.id}/preview/reject", {}).status_code == 404
