"""Notices: the inbox, the e-mail outbox and its delivery to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import func, select, update

from dispute_portal.auth.models import Role
from dispute_portal.cases import operations as cases
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.notices.models import Notification, OutboxMessage
from dispute_portal.notices.operations import notify, send_pending
from dispute_portal.notices.texts import NOTICES
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.texts import N_
from dispute_portal.workflow.states import CaseState
from dispute_portal.workflow.transitions import TRANSITIONS

T0 = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
TEST_NOTICE = N_("%(reference)s: %(what)s (%(actor)s).")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.refuse: set[str] = set()
        self.controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        self.received.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture(autouse=True)
def only_this_tests_mail(session):
    """Mail that other tests committed for real (the concurrency tests do) counts as sent
    long ago here, so each test sees only what it queued (rolled back at the end)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None))
        .values(sent_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    )
    session.commit()


@pytest.fixture
def mail_config(app, mailbox, monkeypatch):
    """The app sends to the test's SMTP server (restored after the test)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", mailbox.port)
    return app.config


def smtp_config(app, port: int) -> dict:
    return dict(app.config, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)


def pending(session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
        )
    )


def last_outbox_id(session) -> int:
    return session.scalar(select(func.max(OutboxMessage.id))) or 0


def queue_one(factory, user, **params):
    """One notice to `user` on a fresh draft (a draft's creation tells nobody)."""
    case = factory.case(CaseState.DRAFT, claimant=factory.user(Role.INVESTOR))
    params = {"reference": case.reference, "what": "Test", "actor": "Tester"} | params
    notify(user, case, TEST_NOTICE, params)
    factory.session.flush()
    return case


# Queuing ------------------------------------------------------------------------------------


def test_a_transition_queues_one_message_per_recipient_in_their_language(factory, session):
    clerk_ru = factory.user(Role.CLERK, locale="ru")
    clerk_en = factory.user(Role.CLERK, locale="en")
    case = factory.case(CaseState.DRAFT)
    claimant = case.claimant_user
    before = last_outbox_id(session)

    cases.submit_claim(case, claimant=claimant)
    session.flush()

    new = list(session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)))
    by_address = {m.to_email: m for m in new}
    assert len(new) == len(by_address)  # one each
    assert claimant.email not in by_address  # the actor is not told what they did
    en = by_address[clerk_en.email]
    assert en.subject == (
        f"A new claim, {case.reference}, was filed by {claimant.name}. "
        "Screen it: register it, return it for amendment or reject it."
    )
    assert en.body.startswith(f"Dear {clerk_en.name},")
    assert f"/cases/{case.id}" in en.body
    ru = by_address[clerk_ru.email]
    assert ru.subject == (
        f"Поступил новый иск {case.reference}; отправитель: {claimant.name}. Рассмотрите "
        "его: зарегистрируйте, верните на доработку или отклоните как неприемлемый."
    )
    assert "Центр разрешения инвестиционных споров города Алатау" in ru.body
    assert en.sent_at is None and en.attempts == 0
    # …and each has the notice in the portal, stored untranslated.
    stored = session.scalars(select(Notification).where(Notification.user_id == clerk_ru.id)).one()
    assert stored.case_id == case.id and stored.params["actor"] == claimant.name


def test_an_inactive_account_gets_the_notice_but_no_email(factory, session):
    user = factory.user(Role.CLERK, is_active=False)
    before = last_outbox_id(session)
    queue_one(factory, user)
    assert session.scalar(select(func.count()).where(OutboxMessage.id > before)) == 0
    assert session.scalar(select(func.count()).where(Notification.user_id == user.id)) == 1


def test_a_line_break_in_a_parameter_does_not_break_the_subject(factory, session, app, mailbox):
    user = factory.user(Role.CLERK)
    queue_one(factory, user, actor="Evil\r\nBcc: victim@example.com")
    session.commit()
    assert send_pending(session, smtp_config(app, mailbox.port)) == (1, 0)
    (received,) = mailbox.to(user.email)
    assert received["Bcc"] is None
    assert "Evil Bcc: victim@example.com" in received["Subject"]


# What each act tells each person ----------------------------------------------------------


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"  # as the notices write it in English


def said_to(session, user, after: int) -> list[str]:
    """What was told to this person since the outbox row `after`, in their language."""
    return [
        m.subject
        for m in session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id > after, OutboxMessage.to_email == user.email)
            .order_by(OutboxMessage.id)
        )
    ]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_act_has_a_notice_that_says_what_happened(transition):
    """Not the act's name ("Register the case"): a sentence of what happened."""
    told = NOTICES[transition.action]
    assert "" in told  # what everyone on the case is told, unless a role is told more
    for notice in told.values():
        assert transition.label not in notice.text
        assert notice.text.endswith(".") and "%(reference)s" in notice.text


def test_registration_tells_the_claimant_the_case_number(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    before = last_outbox_id(session)
    factory.settle_lodging_fee(case, clerk)
    registry.register_case(session, case, clerk=clerk)
    session.flush()
    assert said_to(session, case.claimant_user, before) == [
        f"Your case was registered as {case.number}. "
        "The registry will now propose a mediator and invite the respondent."
    ]


def test_a_referral_tells_the_registry_what_to_do_by_when(factory, session):
    clerk_en = factory.user(Role.CLERK)
    clerk_ru = factory.user(Role.CLERK, locale="ru")
    case = factory.case(CaseState.IMPASSE, clerk=clerk_en)
    respondent = factory.join(case, clerk_en)
    before = last_outbox_id(session)

    proceedings.act(
        case, user=case.claimant_user, action="refer", reason=None, expected_version=None
    )
    session.flush()
    due = open_deadline(case, "tribunal_constitution").due_on
    assert said_to(session, clerk_en, before) == [
        f"Case {case.number} was referred to arbitration. "
        f"Constitute the tribunal by {long_date(due)} (Almaty time)."
    ]
    (ru,) = said_to(session, clerk_ru, before)
    assert ru.startswith(f"Дело {case.number} передано в арбитраж.")
    assert format_date(due, "d MMMM y", locale="ru") in ru and "(по времени Алматы)" in ru
    assert said_to(session, respondent, before) == [
        f"Case {case.number} was referred to arbitration. "
        f"The registry is to constitute the tribunal by {long_date(due)} (Almaty time)."
    ]


def test_a_declined_mediation_tells_the_registry_to_propose_another(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.user(Role.MEDIATOR, name="Aigerim Seitova")
    before = last_outbox_id(session)
    neutrals.propose_mediator(session, case, clerk=clerk, mediator=mediator, expected_version=None)
    session.flush()
    due = open_deadline(case, "mediator_appointment").due_on
    assert said_to(session, mediator, before) == [
        f"You were proposed as the mediator in case {case.number}. Accept the appointment "
        "(sign the declaration of independence) or decline it "
        f"by {long_date(due)} (Almaty time)."
    ]
    assert said_to(session, case.claimant_user, before) == [
        f"The registry proposed Aigerim Seitova as mediator in case {case.number}. "
        "The mediator is asked to accept or decline."
    ]

    before = last_outbox_id(session)
    neutrals.decline(
        session, case, user=mediator, disclosure="I advised the claimant.", expected_version=None
    )
    session.flush()
    assert said_to(session, clerk, before) == [
        f"Aigerim Seitova declined to mediate case {case.number}. "
        f"Propose another mediator by {long_date(due)} (Almaty time)."
    ]
    assert said_to(session, case.claimant_user, before) == [
        f"The proposed mediator declined the appointment in case {case.number}. "
        "The registry will propose another mediator."
    ]


def test_the_tribunal_is_asked_then_told_to_hold_its_first_session(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    before = last_outbox_id(session)
    (sole,) = factory.tribunal(case, clerk)
    session.flush()
    constitution = next(d for d in case.deadlines if d.key == "tribunal_constitution")
    first_session = long_date(open_deadline(case, "first_session").due_on)
    asked, constituted = said_to(session, sole, before)
    assert asked == (
        f"You were proposed as an arbitrator in case {case.number} (Sole arbitrator). "
        "Accept the appointment (sign the declaration of independence) or decline it "
        f"by {long_date(constitution.due_on)} (Almaty time)."
    )
    assert constituted == (
        f"The arbitral tribunal in case {case.number} is constituted. "
        f"Hold its first session by {first_session} (Almaty time): schedule it, and record "
        "it as held once it has taken place."
    )
    assert said_to(session, case.claimant_user, before)[-1] == (
        f"The arbitral tribunal in case {case.number} is constituted. "
        f"Its first session is to be held by {first_session} (Almaty time)."
    )


def test_a_request_for_correction_tells_the_tribunal_to_decide_by_when(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.AWARDED, clerk=clerk)
    chair = next(a.user for a in case.appointments if a.capacity.chairs)
    before = last_outbox_id(session)
    proceedings.act(
        case,
        user=case.claimant_user,
        action="request_correction",
        reason="The amount has a typo.",
        expected_version=None,
    )
    session.flush()
    due = long_date(open_deadline(case, "correction_decision").due_on)
    name = case.claimant_user.name
    assert said_to(session, chair, before) == [
        f"{name} requested a correction or interpretation of the award in case "
        f"{case.number}. Decide the request by {due} (Almaty time)."
    ]
    assert said_to(session, clerk, before) == [
        f"{name} requested a correction or interpretation of the award in case "
        f"{case.number}. The tribunal is to decide by {due} (Almaty time)."
    ]


def test_a_session_is_announced_with_its_time_in_almaty(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in case.appointments if a.active)
    before = last_outbox_id(session)
    proceedings.schedule(
        session,
        case,
        user=mediator,
        starts_at=dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC),  # 10:00 in Almaty
        place="Room 2",
        video_link=None,
        agenda=None,
        expected_version=None,
    )
    session.flush()
    assert said_to(session, case.claimant_user, before) == [
        f"A mediation session in case {case.number} is scheduled for 1 December 2026, "
        "10:00 (Almaty time). The place or video link is on the case page."
    ]


def test_the_inbox_shows_the_notice_with_its_date_in_the_readers_language(
    factory, session, login_as
):
    clerk = factory.user(Role.CLERK, locale="kk")
    case = factory.case(CaseState.IMPASSE, clerk=clerk)
    proceedings.act(
        case, user=case.claimant_user, action="refer", reason=None, expected_version=None
    )
    session.commit()
    due = open_deadline(case, "tribunal_constitution").due_on
    browser, _ = login_as("clerk", clerk)
    page = browser.get("/notifications").get_data(as_text=True)
    assert f"{case.number} ісі төрелікке берілді." in page
    assert format_date(due, "d MMMM y", locale="kk") in page


# Delivery -----------------------------------------------------------------------------------


def test_send_pending_delivers_to_the_smtp_server(factory, session, app, mailbox):
    user = factory.user(Role.CLERK, name="Aigerim Nurlanova")
    with frozen_time(T0):
        case = queue_one(factory, user)
        session.commit()
        assert send_pending(session, smtp_config(app, mailbox.port)) == (1, 0)

    (received,) = mailbox.to(user.email)
    assert received["Subject"] == f"{case.reference}: Test (Tester)."
    assert received["From"] == app.config["MAIL_FROM"]
    assert received["Message-ID"].endswith("@adr.alatau.kz>")
    body = received.get_content()
    assert "Dear Aigerim Nurlanova," in body and f"/cases/{case.id}" in body
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == user.email)
    ).one()
    assert message.sent_at == T0 and message.attempts == 1 and message.last_error is None
    # Sent is sent: another run (even much later) does not send it again.
    with frozen_time(T0 + dt.timedelta(days=1)):
        assert send_pending(session, smtp_config(app, mailbox.port)) == (0, 0)
    assert len(mailbox.to(user.email)) == 1


def test_a_server_that_is_down_leaves_the_message_for_later(factory, session, app):
    user = factory.user(Role.CLERK)
    port = free_port()  # nothing listens here yet
    config = smtp_config(app, port)
    with frozen_time(T0):
        queue_one(factory, user)
        session.commit()
        assert send_pending(session, config) == (0, 1)
    (message,) = pending(session)
    assert message.attempts == 1 and message.sent_at is None
    assert "ConnectionRefused" in message.last_error
    assert message.next_attempt_at == T0 + dt.timedelta(minutes=1)

    box = Mailbox(port)
    box.start()
    try:
        with frozen_time(T0 + dt.timedelta(seconds=30)):  # not due yet: left alone
            assert send_pending(session, config) == (0, 0)
        assert box.received == []
        with frozen_time(T0 + dt.timedelta(minutes=2)):
            assert send_pending(session, config) == (1, 0)
            assert send_pending(session, config) == (0, 0)
    finally:
        box.stop()
    assert len(box.to(user.email)) == 1
    session.refresh(message)
    assert message.sent_at == T0 + dt.timedelta(minutes=2)
    assert message.attempts == 2 and message.last_error is None


def test_failures_wait_longer_each_time(factory, session, app):
    user = factory.user(Role.CLERK)
    config = smtp_config(app, free_port())
    with frozen_time(T0):
        queue_one(factory, user)
        session.commit()
    waits = []
    at = T0
    for _ in range(4):
        with frozen_time(at):
            assert send_pending(session, config) == (0, 1)
        (message,) = pending(session)
        waits.append(message.next_attempt_at - at)
        at = message.next_attempt_at
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert message.attempts == 4


def test_a_refused_recipient_does_not_hold_up_the_others(factory, session, app, mailbox):
    refused, fine = factory.user(Role.CLERK), factory.user(Role.CLERK)
    mailbox.refuse.add(refused.email)
    with frozen_time(T0):
        queue_one(factory, refused)
        queue_one(factory, fine)
        session.commit()
        assert send_pending(session, smtp_config(app, mailbox.port)) == (1, 1)
    assert len(mailbox.to(fine.email)) == 1 and mailbox.to(refused.email) == []
    (left,) = pending(session)
    assert left.to_email == refused.email and "550" in left.last_error


def test_without_a_mail_server_nothing_is_sent(factory, session, app):
    queue_one(factory, factory.user(Role.CLERK))
    session.commit()
    assert app.config["MAIL_SERVER"] is None
    assert send_pending(session, app.config) == (0, 0)
    (message,) = pending(session)
    assert message.attempts == 0


def test_mail_send_command(factory, session, app, mailbox, mail_config):
    users = [factory.user(Role.CLERK) for _ in range(2)]
    for user in users:
        queue_one(factory, user)
    session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0" in result.output
    assert {m["To"] for m in mailbox.received} == {u.email for u in users}
    assert pending(session) == []


def test_mail_send_command_with_the_server_down(factory, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    queue_one(factory, factory.user(Role.CLERK))
    session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "sent 0, failed 1" in result.output
    session.expire_all()
    (message,) = pending(session)
    assert message.attempts == 1 and message.last_error


def test_mail_send_command_without_a_server_says_so(factory, session, app):
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output and "sent 0, failed 0" in result.output


# Right after the request ---------------------------------------------------------------------


def test_mail_goes_out_right_after_the_request_that_queued_it(
    factory, session, login_as, mailbox, mail_config
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    mailbox.received.clear()
    browser, _ = login_as("clerk", clerk)
    response = browser.post(f"/registry/cases/{case.id}/register", {"version": case.version})
    assert response.status_code == 302
    # The inline job ran once the request had committed: no cron needed.
    # (with the waiver of the lodging fee, queued before and never sent for want of a request)
    subjects = [m["Subject"] for m in mailbox.to(case.claimant_user.email)]
    assert [s for s in subjects if s.startswith("Your case was registered as ADR-")] == subjects[
        -1:
    ]
    session.expire_all()
    assert not [m for m in pending(session) if m.to_email == case.claimant_user.email]


def test_a_refused_request_sends_nothing(factory, session, login_as, mailbox, mail_config):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    mailbox.received.clear()
    browser, _ = login_as("clerk", clerk)
    before = last_outbox_id(session)
    browser.post(f"/registry/cases/{case.id}/register", {"version": case.version - 1})
    assert mailbox.received == []
    session.expire_all()
    assert session.scalar(select(func.count()).where(OutboxMessage.id > before)) == 0


def test_without_a_mail_server_the_request_leaves_mail_in_the_outbox(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk", clerk)
    browser.post(f"/registry/cases/{case.id}/register", {"version": case.version})
    session.expire_all()
    assert [m for m in pending(session) if m.to_email == case.claimant_user.email]


# The inbox ----------------------------------------------------------------------------------


def test_the_inbox_shows_my_notices_newest_first_with_unread_marked(factory, session, login_as):
    me, other = factory.user(Role.INVESTOR), factory.user(Role.INVESTOR)
    case = factory.case(CaseState.DRAFT, claimant=me)
    with frozen_time(T0):
        notify(me, case, TEST_NOTICE, {"reference": "OLDER", "what": "x", "actor": "A"})
    with frozen_time(T0 + dt.timedelta(hours=1)):
        notify(
            me, case, TEST_NOTICE, {"reference": "NEWER", "what": "Submit the claim", "actor": "B"}
        )
    notify(other, case, TEST_NOTICE, {"reference": "SECRET", "what": "x", "actor": "C"})
    session.flush()
    read = session.scalars(
        select(Notification).where(Notification.user_id == me.id).order_by(Notification.id)
    ).first()
    read.read_at = T0 + dt.timedelta(hours=2)
    session.commit()

    browser, _ = login_as("investor", me)
    page = browser.get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("NEWER") < html.index("OLDER")
    assert "SECRET" not in html
    assert html.count('class="unread-marker"') == 1 and "Unread" in html
    assert f'href="/cases/{case.id}"' in html
    assert "Mark all as read" in html


def test_the_inbox_speaks_the_readers_language(factory, session, login_as):
    me = factory.user(Role.INVESTOR, locale="ru")
    case = factory.case(CaseState.DRAFT, claimant=me)
    notify(me, case, TEST_NOTICE, {"reference": "R-1", "what": "Submit the claim", "actor": "A"})
    session.commit()
    browser, _ = login_as("investor", me)
    assert "R-1: Подать иск (A)." in browser.get("/notifications").get_data(as_text=True)


def test_mark_all_as_read(factory, session, login_as):
    me, other = factory.user(Role.INVESTOR), factory.user(Role.INVESTOR)
    case = factory.case(CaseState.DRAFT, claimant=me)
    for user in (me, me, other):
        notify(user, case, TEST_NOTICE, {"reference": "R", "what": "x", "actor": "y"})
    session.commit()
    browser, _ = login_as("investor", me)

    refused = browser.post("/notifications", csrf=False)
    assert refused.status_code == 400
    session.expire_all()
    assert session.scalar(select(func.count()).where(Notification.read_at.is_(None))) == 3

    response = browser.post("/notifications")
    assert response.status_code == 302 and response.location == "/notifications"
    session.expire_all()
    unread = session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert [n.user_id for n in unread] == [other.id]  # only mine were marked
    page = browser.get("/notifications").get_data(as_text=True)
    assert "unread-marker" not in page and "All notifications are marked as read." in page


def test_the_inbox_is_paginated(factory, session, login_as):
    me = factory.user(Role.INVESTOR)
    case = factory.case(CaseState.DRAFT, claimant=me)
    for i in range(51):
        with frozen_time(T0 + dt.timedelta(minutes=i)):
            notify(me, case, TEST_NOTICE, {"reference": f"N{i:02d}", "what": "x", "actor": "y"})
    session.commit()
    browser, _ = login_as("investor", me)
    first = browser.get("/notifications").get_data(as_text=True)
    assert "N50:" in first and "N01:" in first and "N00:" not in first
    assert "Page 1 of 2" in first
    second = browser.get("/notifications?page=2").get_data(as_text=True)
    assert "N00:" in second and "N01:" not in second
    assert browser.get("/notifications?page=3").status_code == 404
    assert browser.get("/notifications?page=0").status_code == 404


def test_the_inbox_needs_a_login(browser):
    response = browser.get("/notifications")
    assert response.status_code == 302 and "/login" in response.location


def test_an_empty_inbox(login_as):
    browser, _ = login_as("mediator")
    assert "You have no notifications." in browser.get("/notifications").get_data(as_text=True)


# The outbox (admin) -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["investor", "respondent", "clerk", "mediator", "arbitrator"])
def test_only_the_admin_sees_the_outbox(login_as, role):
    browser, _ = login_as(role)
    assert browser.get("/admin/outbox").status_code == 403
    assert browser.post("/admin/outbox").status_code == 403


def test_the_outbox_needs_a_login(browser):
    assert browser.get("/admin/outbox").status_code == 302


def test_the_admin_reads_the_outbox(factory, session, app, login_as, mailbox):
    sent_to, failing_to = factory.user(Role.CLERK), factory.user(Role.CLERK)
    waiting_to = factory.user(Role.CLERK)
    with frozen_time(T0):
        queue_one(factory, sent_to, what="Delivered")
        session.commit()
        send_pending(session, smtp_config(app, mailbox.port))
        queue_one(factory, failing_to, what="Failing")
        session.commit()
        send_pending(session, smtp_config(app, free_port()))
        queue_one(factory, waiting_to, what="Waiting")
        session.commit()

    browser, _ = login_as("admin")
    html = browser.get("/admin/outbox").get_data(as_text=True)
    assert failing_to.email in html and waiting_to.email in html
    assert sent_to.email not in html  # pending only, by default
    assert "ConnectionRefusedError" in html  # the last error
    assert f"Dear {waiting_to.name}," in html  # the body, as e-mailed
    assert "No mail server is configured" in html
    assert html.index(waiting_to.email) < html.index(failing_to.email)  # next due first

    everything = browser.get("/admin/outbox?show=all").get_data(as_text=True)
    assert sent_to.email in everything and "Sent" in everything
    assert everything.index(waiting_to.email) < everything.index(sent_to.email)
    assert browser.get("/admin/outbox?show=nonsense").status_code == 404


def test_the_admin_sends_now(factory, session, login_as, mailbox, mail_config):
    user = factory.user(Role.CLERK)
    queue_one(factory, user)
    session.commit()
    browser, _ = login_as("admin")
    response = browser.post("/admin/outbox")
    assert response.status_code == 302
    assert len(mailbox.to(user.email)) == 1
    page = browser.get(response.location).get_data(as_text=True)
    assert "Sent: 1. Failed: 0." in page
    assert browser.post("/admin/outbox", csrf=False).status_code == 400


def test_send_now_without_a_mail_server_says_so(factory, session, login_as):
    queue_one(factory, factory.user(Role.CLERK))
    session.commit()
    browser, _ = login_as("admin")
    page = browser.get(browser.post("/admin/outbox").location).get_data(as_text=True)
    assert "nothing was sent" in page
    session.expire_all()
    assert len(pending(session)) == 1


def test_send_now_reports_failures(factory, session, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    queue_one(factory, factory.user(Role.CLERK))
    session.commit()
    browser, _ = login_as("admin")
    page = browser.get(browser.post("/admin/outbox").location).get_data(as_text=True)
    assert "Sent: 0. Failed: 1." in page
