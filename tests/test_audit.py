"""The security log of logins, and `flask audit verify` over every hash chain."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select, text

from dispute_portal.audit.models import ChainHead, SecurityEvent
from dispute_portal.audit.operations import log_security, verify_all
from dispute_portal.auth.models import Role, User
from dispute_portal.db import db
from dispute_portal.workflow.models import GENESIS
from dispute_portal.workflow.states import CaseState
from tests.factories import Factory
from tests.insider import bypass_triggers, rebuild_log


def security_log(session, start: int = 0) -> list[SecurityEvent]:
    """The security events after seq `start` (the log as it stood when the test began)."""
    session.expire_all()
    return list(
        session.scalars(
            select(SecurityEvent).where(SecurityEvent.seq > start).order_by(SecurityEvent.seq)
        )
    )


@pytest.fixture
def start(session) -> int:
    """Where the security log stands before the test (empty unless others committed to it)."""
    return session.scalar(select(ChainHead.seq).where(ChainHead.name == "security")) or 0


def head_hash(session) -> str:
    return session.scalar(select(ChainHead.hash).where(ChainHead.name == "security")) or GENESIS


def verify(app, session):
    session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


# The security log ---------------------------------------------------------------------------


def test_login_failure_and_logout_are_chained_with_the_address(browser, factory, session, start):
    user = factory.user(Role.CLERK)
    session.commit()
    before = head_hash(session)
    failed = browser.post("/login", {"email": " Clerk@Example.COM ", "password": "wrong"})
    assert failed.status_code == 200 and "Wrong email address or password." in failed.get_data(
        as_text=True
    )
    browser.login(user)
    assert browser.post("/logout").status_code == 302

    events = security_log(session, start)
    assert [e.action for e in events] == ["login_failed", "login", "logout"]
    first, login, logout = events
    assert first.user_id is None and first.email == "clerk@example.com"
    assert login.user_id == user.id and logout.user_id == user.id
    assert login.email == user.email
    assert {e.ip for e in events} == {"127.0.0.1"}
    assert [e.seq for e in events] == [start + 1, start + 2, start + 3]
    assert first.prev_hash == before and login.prev_hash == first.hash
    assert logout.prev_hash == login.hash
    assert all(e.hash == e.compute_hash() for e in events)
    head = session.get(ChainHead, "security")
    assert (head.seq, head.hash) == (start + 3, logout.hash)


def test_registration_is_logged(browser, session, start):
    password = "quiet meadow lantern 2026"
    response = browser.post(
        "/register",
        {"name": "Amina", "email": "amina@example.com", "password": password, "confirm": password},
    )
    assert response.status_code == 302
    # The account is made by the job after the answer (inline in the tests), then the
    # request records what was asked, with the address only (as for a taken one).
    made, asked = security_log(session, start)
    assert made.action == "register" and made.email == "amina@example.com"
    assert made.user_id is not None
    assert asked.action == "register_requested" and asked.email == "amina@example.com"
    assert asked.user_id is None


def test_a_refused_registration_logs_nothing(browser, session, start):
    browser.post(
        "/register",
        {"name": "A", "email": "a@example.com", "password": "short", "confirm": "short"},
    )
    assert security_log(session, start) == []


def test_a_failed_login_is_kept_though_the_page_shows_an_error(browser, factory, session, start):
    """The failed attempt is committed by the view itself, whatever the answer's status."""
    factory.user(Role.INVESTOR, email="someone@example.com")
    session.commit()
    for _ in range(2):
        browser.post("/login", {"email": "someone@example.com", "password": "guess"})
    events = security_log(session, start)
    assert [e.action for e in events] == ["login_failed", "login_failed"]
    assert all(e.email == "someone@example.com" and e.user_id is None for e in events)


def test_log_security_outside_a_request_has_no_address(factory, session, start):
    user = factory.user(Role.ADMIN)
    event = log_security(session, "login", user=user, data={"via": "cli"})
    assert event.ip is None and event.seq == start + 1 and event.data == {"via": "cli"}
    assert event.hash == event.compute_hash()


def test_two_logins_at_once_take_consecutive_places(app):
    """Real concurrent connections: the head row makes one wait for the other."""
    with app.app_context():
        head = db.session.get(ChainHead, "security")
        saved = (head.seq, head.hash) if head else None
        start = head.seq if head else 0
        users = [Factory(db.session, app.config).user(Role.INVESTOR) for _ in range(2)]
        db.session.commit()
        ids = [u.id for u in users]
    ready = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def login(user_id: int) -> None:
        try:
            # Both start together; neither has touched the database yet (SQLite would make
            # the second wait for the first's whole transaction at its first read).
            ready.wait()
            with app.app_context():
                log_security(db.session, "login", user=db.session.get(User, user_id))
                db.session.commit()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=login, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        with app.app_context():
            mine = db.session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.user_id.in_(ids))
                .order_by(SecurityEvent.seq)
            ).all()
            assert [e.seq for e in mine] == [start + 1, start + 2]
            assert mine[1].prev_hash == mine[0].hash
    finally:
        with app.app_context():
            bypass_triggers(db.session())  # the log is made again over what is left
            db.session.execute(delete(SecurityEvent).where(SecurityEvent.user_id.in_(ids)))
            db.session.execute(delete(User).where(User.id.in_(ids)))
            if saved is None:
                db.session.execute(delete(ChainHead).where(ChainHead.name == "security"))
            else:
                head = db.session.get(ChainHead, "security")
                head.seq, head.hash = saved
            rebuild_log(db.session())


# audit verify -------------------------------------------------------------------------------


def _cases(factory):
    return factory.case(CaseState.REGISTERED), factory.case(CaseState.MEDIATION)


def test_verify_says_ok_when_every_chain_is_intact(app, factory, session, browser):
    registered, mediation = _cases(factory)
    user = factory.user(Role.CLERK)
    session.commit()
    browser.login(user)
    status, output = verify(app, session)
    assert status == 0, output
    assert output.startswith("OK:") and "security log (" in output
    assert verify_all(session) == []


def test_a_tampered_event_is_found(app, factory, session):
    registered, mediation = _cases(factory)
    session.commit()
    bypass_triggers(session)  # an insider, as the tables' owner
    session.connection().execute(
        text("UPDATE case_events SET note = 'x' WHERE case_id = :id AND seq = 2"),
        {"id": mediation.id},
    )
    status, output = verify(app, session)
    assert status == 1
    assert f"case {mediation.reference}: first broken event seq 2" in output
    assert registered.reference not in output  # the intact chain is not listed


def test_a_deleted_event_is_found(app, factory, session):
    registered, _ = _cases(factory)
    assert len(registered.events) > 3
    session.commit()
    bypass_triggers(session)  # an insider, as the tables' owner
    session.connection().execute(
        text("DELETE FROM case_events WHERE case_id = :id AND seq = 2"), {"id": registered.id}
    )
    status, output = verify(app, session)
    assert status == 1
    # Event 3 now follows event 1: the first link that no longer holds.
    assert f"case {registered.reference}: first broken event seq 3" in output


def test_a_forged_but_rehashed_event_still_breaks_the_next_link(app, factory, session):
    registered, _ = _cases(factory)
    session.commit()
    event = registered.events[1]
    bypass_triggers(session)  # an insider, as the tables' owner
    event.note = "Forged"
    event.hash = event.compute_hash()  # consistent in itself…
    session.commit()
    status, output = verify(app, session)
    assert status == 1  # …but event 3 still points at the old hash
    assert f"case {registered.reference}: first broken event seq 3" in output


def test_a_tampered_security_event_is_found(app, factory, session, browser, start):
    user = factory.user(Role.CLERK)
    session.commit()
    browser.login(user)
    browser.post("/logout")
    bypass_triggers(session)  # an insider, as the tables' owner
    session.connection().execute(
        text("UPDATE security_events SET ip = '10.6.6.6' WHERE seq = :seq"), {"seq": start + 1}
    )
    status, output = verify(app, session)
    assert status == 1 and f"security log: first broken event seq {start + 1}" in output


def test_events_cut_off_the_end_of_the_security_log_are_found(
    app, factory, session, browser, start
):
    user = factory.user(Role.CLERK)
    session.commit()
    browser.login(user)
    browser.post("/logout")
    bypass_triggers(session)  # an insider, as the tables' owner
    session.connection().execute(
        text("DELETE FROM security_events WHERE seq = :seq"), {"seq": start + 2}
    )
    status, output = verify(app, session)
    assert status == 1
    assert (
        f"security log: the log ends at seq {start + 1} but its head records seq {start + 2}"
        in output
    )


def test_verify_reports_every_broken_chain(app, factory, session):
    registered, mediation = _cases(factory)
    session.commit()
    for case in (registered, mediation):
        bypass_triggers(session)  # an insider, as the tables' owner
        session.connection().execute(
            text("UPDATE case_events SET actor_name = 'Mallory' WHERE case_id = :id AND seq = 1"),
            {"id": case.id},
        )
    status, output = verify(app, session)
    assert status == 1
    assert f"case {registered.reference}: first broken event seq 1" in output
    assert f"case {mediation.reference}: first broken event seq 1" in output
    assert [str(p) for p in verify_all(session)] == output.strip().splitlines()


def test_events_cut_off_the_end_of_a_case_trail_are_found(app, factory, session):
    registered, _ = _cases(factory)
    last = registered.events[-1].seq
    session.commit()
    bypass_triggers(session)  # an insider, as the tables' owner
    session.connection().execute(
        text("DELETE FROM case_events WHERE case_id = :id AND seq = :seq"),
        {"id": registered.id, "seq": last},
    )
    status, output = verify(app, session)
    assert status == 1
    assert f"case {registered.reference}: the trail ends at seq {last - 1}" in output
