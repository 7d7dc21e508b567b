"""Two people acting on one case at the same moment, on real concurrent connections.

Each loads the case (as two open browser tabs would), then both act on the version they
saw. The database must pick one winner; the loser's act applies nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.exc import StaleDataError

from dispute_portal.api.models import IdempotentRequest
from dispute_portal.audit.models import ChainHead, SecurityEvent
from dispute_portal.audit.operations import SECURITY_CHAIN
from dispute_portal.auth.models import Role, User
from dispute_portal.cases.models import Case
from dispute_portal.db import db
from dispute_portal.deadlines import calendars
from dispute_portal.deadlines.models import CalendarDay, CalendarDraftDay, CalendarVersion
from dispute_portal.deadlines.queries import today as local_today
from dispute_portal.errors import TransitionRefused
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Appointment
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.proceedings.models import Submission
from dispute_portal.registry.models import CaseNumberCounter
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient, make_token
from tests.factories import Factory, pdf_bytes
from tests.insider import bypass_triggers, delete_case, rebuild_log

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def committed(app):
    """A registered case, two clerks and two mediators, committed for other connections;
    removed afterwards with everything they left, down to the case number they took (a
    later test in this worker's database, the demo seed, numbers its cases from 1)."""
    with app.app_context():
        outbox_before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        users_before = db.session.scalar(select(func.max(User.id))) or 0
        calendar_before = db.session.scalar(select(func.max(CalendarVersion.version))) or 0
        counters_before = {
            counter.year: counter.last_value
            for counter in db.session.scalars(select(CaseNumberCounter))
        }
        factory = Factory(db.session, app.config)
        clerks = [factory.user(Role.CLERK) for _ in range(2)]
        mediators = [factory.user(Role.MEDIATOR) for _ in range(2)]
        case = factory.case(CaseState.REGISTERED, clerk=clerks[0])
        db.session.commit()
        ids = {
            "case": case.id,
            "clerks": [u.id for u in clerks],
            "mediators": [u.id for u in mediators],
            "claimant": case.claimant_user_id,
        }
    yield ids
    with app.app_context():
        bypass_triggers(db.session())  # the case's trail goes too: the log is made again
        delete_case(db.session(), ids["case"])
        # Its people, and the finance officer the factory made to pay the lodging fee.
        db.session.execute(delete(User).where(User.id > users_before))
        # The outbox keeps no link to users or cases: remove what these tests queued.
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > outbox_before))
        # The registration made the installation's first calendar version: it goes too (the
        # calendar's own tests begin from a new installation, which has none).
        db.session.execute(delete(CalendarDay).where(CalendarDay.version > calendar_before))
        db.session.execute(delete(CalendarVersion).where(CalendarVersion.version > calendar_before))
        for counter in db.session.scalars(select(CaseNumberCounter)):
            if counter.year in counters_before:
                counter.last_value = counters_before[counter.year]
            else:
                db.session.delete(counter)
        rebuild_log(db.session())


def race(app, acts) -> list[str]:
    """Run each act in its own thread and connection; both read before either writes."""
    loaded = threading.Barrier(len(acts))
    results: list[str] = []

    def run(act) -> None:
        with app.app_context():
            session = db.session
            case = session.get(Case, act.case_id)
            seen = case.version
            case.appointments  # noqa: B018 - loaded as the tab showed it
            loaded.wait()
            try:
                act(session, case, seen)
                session.commit()
                results.append("won")
            except (TransitionRefused, StaleDataError) as exc:
                session.rollback()
                results.append(f"lost: {type(exc).__name__}")

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(results)


def test_two_clerks_assign_two_mediators_at_once(app, committed):
    def propose(clerk_id, mediator_id):
        def act(session, case, seen):
            neutrals.propose_mediator(
                session,
                case,
                clerk=session.get(User, clerk_id),
                mediator=session.get(User, mediator_id),
                expected_version=seen,
            )

        act.case_id = committed["case"]
        return act

    clerks, mediators = committed["clerks"], committed["mediators"]
    results = race(app, [propose(clerks[0], mediators[0]), propose(clerks[1], mediators[1])])
    assert results[0].startswith("lost") and results[1] == "won"
    with app.app_context():
        appointments = db.session.scalars(
            select(Appointment).where(Appointment.case_id == committed["case"])
        ).all()
        assert len(appointments) == 1
        case = db.session.get(Case, committed["case"])
        assert [e.action for e in case.events].count("propose_mediator") == 1


def test_withdrawal_and_referral_race_one_wins(app, committed):
    """The claimant withdraws while the clerk acts: exactly one of them changes the case."""

    def withdraw(session, case, seen):
        proceedings.act(
            case, user=case.claimant_user, action="withdraw", reason=None, expected_version=seen
        )

    def invite(session, case, seen):
        from dispute_portal.parties import operations as parties
        from dispute_portal.parties.models import Side, Standing

        parties.invite(
            session,
            case,
            inviter=session.get(User, committed["clerks"][0]),
            side=Side.RESPONDENT,
            standing=Standing.REPRESENTATIVE,
            email="legal@akimat.example.kz",
            name="Akimat counsel",
            expected_version=seen,
        )

    withdraw.case_id = invite.case_id = committed["case"]
    results = race(app, [withdraw, invite])
    assert results[0].startswith("lost") and results[1] == "won"
    with app.app_context():
        case = db.session.get(Case, committed["case"])
        actions = [e.action for e in case.events]
        assert actions.count("withdraw") + actions.count("invite_respondent") == 1


def test_two_admins_publish_a_calendar_at_once(app):
    """Both publish the same draft: one makes the new version, the other is told nothing
    changed since it (not a failure on the number both would have taken)."""
    with app.app_context():
        session = db.session
        before = session.scalar(select(func.max(CalendarVersion.version))) or 0
        head = session.get(ChainHead, SECURITY_CHAIN)
        head_before = (head.seq, head.hash) if head is not None else None
        seq_before = session.scalar(select(func.max(SecurityEvent.seq))) or 0
        admin = Factory(session, app.config).user(Role.ADMIN)
        session.flush()
        calendars.current_version(session)  # the first version, on a new installation
        for day in _weekdays_ahead():  # the first a day off may be put on (no holiday)
            try:
                calendars.add_day(session, day=day, kind="day_off", reason="Race", by=admin)
                break
            except calendars.CalendarRefused:
                continue
        session.commit()
        admin_id = admin.id
        newest = session.scalar(select(func.max(CalendarVersion.version)))
    loaded = threading.Barrier(2)
    results: list[str] = []

    def publish(name: str) -> None:
        with app.app_context():
            loaded.wait()
            try:
                calendars.publish(db.session(), name=name, by=db.session.get(User, admin_id))
                db.session.commit()
                results.append("won")
            except calendars.CalendarRefused as exc:
                db.session.rollback()
                results.append(f"lost: {exc.message}")

    threads = [threading.Thread(target=publish, args=(n,)) for n in ("First", "Second")]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == ["lost: Nothing changed since version %(version)s.", "won"]
        with app.app_context():
            assert db.session.scalar(select(func.max(CalendarVersion.version))) == newest + 1
    finally:
        with app.app_context():
            session = db.session
            bypass_triggers(session())
            session.execute(delete(CalendarDraftDay))
            session.execute(delete(CalendarDay).where(CalendarDay.version > before))
            session.execute(delete(CalendarVersion).where(CalendarVersion.version > before))
            session.execute(delete(SecurityEvent).where(SecurityEvent.seq > seq_before))
            if head_before is None:
                session.execute(delete(ChainHead).where(ChainHead.name == SECURITY_CHAIN))
            else:
                session.execute(
                    update(ChainHead)
                    .where(ChainHead.name == SECURITY_CHAIN)
                    .values(seq=head_before[0], hash=head_before[1])
                )
            session.execute(delete(User).where(User.id == admin_id))
            rebuild_log(session())


def _weekdays_ahead():
    today = local_today()
    days = (today + dt.timedelta(days=n) for n in range(14, 60))
    return (day for day in days if day.weekday() < 5)


def test_two_posts_with_one_idempotency_key_file_one_submission(app, committed):
    """A program sends its POST twice at once with the same Idempotency-Key (it timed out
    and retried while the first was still running): one submission, and both answers are
    the first one's. The second waits on the key's unique index until the first commits."""
    with app.app_context():
        plain = make_token(db.session(), db.session.get(User, committed["claimant"]))
        db.session.commit()
    go = threading.Barrier(2)
    answers: list = []
    url = f"/api/v1/cases/{committed['case']}/submissions"

    def post() -> None:
        client = ApiClient(app, plain)
        data = {"title": "Reply", "file": (io.BytesIO(pdf_bytes("Reply")), "reply.pdf")}
        go.wait()
        answers.append(
            client.post(
                url,
                data=data,
                headers={"Idempotency-Key": "reply-1"},
                content_type="multipart/form-data",
            )
        )

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert [a.status_code for a in answers] == [201, 201], [a.data for a in answers]
        assert answers[0].get_json() == answers[1].get_json()
        assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
        with app.app_context():
            filed = db.session.scalars(
                select(Submission).where(Submission.case_id == committed["case"])
            ).all()
            assert len(filed) == 1
    finally:
        with app.app_context():
            db.session.execute(delete(IdempotentRequest))
            db.session.commit()
