"""Constituting the tribunal by party appointment (issue 15): the registry records that the
parties appoint, each side nominates its co-arbitrator, the two choose the presiding one (or
the parties together), the Centre fills in default a seat left empty past its time limit;
and the Centre's own route stays the default, unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.calendar import due_date
from dispute_portal.deadlines.calendars import calendar_for
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.errors import TransitionRefused
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import AppointmentStatus, Capacity, Chooser
from dispute_portal.nominations import operations as nominations
from dispute_portal.nominations.models import Basis, Seat, TribunalSize
from dispute_portal.nominations.queries import holder
from dispute_portal.notices.models import Notification
from dispute_portal.parties.models import Side, Standing
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState
from tests.test_reminders import notices, remind
from tests.test_ruling_kinds import _flat, _title
from tests.test_rulings import _text

# Monday 16 November 2026, 10:00 in Almaty: 30 calendar days later is Wednesday 16
# December, Kazakhstan's Independence Day, so the time limit falls on the next working day.
RECORDED = dt.datetime(2026, 11, 16, 5, 0, tzinfo=dt.UTC)


def accept(session, case, user):
    return neutrals.accept(
        session,
        case,
        user=user,
        declaration="I am independent and impartial.",
        confirmed=True,
        expected_version=None,
    )


def deadline(case, key):
    return next(d for d in reversed(case.deadlines) if d.key == key)


def actions(case):
    return [e.action for e in case.events]


@pytest.fixture
def cast(factory, session):
    """An arbitration whose tribunal is not yet proposed, both sides on it, and arbitrators."""
    with frozen_time(RECORDED - dt.timedelta(days=1)):
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.ARBITRATION, clerk=clerk)
        respondent = factory.join(case, clerk)
        counsel = factory.join(
            case, case.claimant_user, side=Side.CLAIMANT, standing=Standing.COUNSEL
        )
    arbitrators = [factory.user(Role.ARBITRATOR) for _ in range(5)]
    session.flush()
    return {
        "case": case,
        "clerk": clerk,
        "claimant": case.claimant_user,
        "counsel": counsel,
        "respondent": respondent,
        "arbitrators": arbitrators,
    }


def parties_appoint(session, c, size=TribunalSize.THREE):
    with frozen_time(RECORDED):
        return nominations.record_party_appointment(
            session,
            c["case"],
            clerk=c["clerk"],
            size=size,
            basis=Basis.AGREEMENT,
            expected_version=None,
        )


def nominate(session, c, who, arbitrator):
    return nominations.nominate(
        session, c["case"], user=c[who], arbitrator=arbitrator, expected_version=None
    )


def test_the_centre_route_stays_the_default(factory, session, cast):
    case, clerk = cast["case"], cast["clerk"]
    with pytest.raises(TransitionRefused, match="registry appoints the tribunal"):
        nominate(session, cast, "claimant", cast["arbitrators"][0])
    chair, _, _ = factory.tribunal(case, clerk, size=3)
    assert case.tribunal_constituted_at is not None
    assert all(a.chosen_by is None and a.side is None for a in case.appointments)
    with pytest.raises(TransitionRefused, match="already proposed arbitrators"):
        parties_appoint(session, cast)
    assert case.constitution is None


def test_recording_the_parties_route_starts_their_time_limit(session, cast):
    case = cast["case"]
    before = len(case.events)
    record = parties_appoint(session, cast)
    session.flush()
    assert (record.size, record.basis) == (TribunalSize.THREE, Basis.AGREEMENT)
    assert actions(case)[before:] == ["party_appointment"]
    assert case.events[-1].data == {"size": "three", "basis": "agreement"}
    nomination = deadline(case, "party_nomination")
    assert nomination.starts_on == dt.date(2026, 11, 16)
    # 30 calendar days end on Independence Day, a day off: the next working day.
    assert due_date(dt.date(2026, 11, 16), 30, "calendar_days", calendar_for(case)) == (
        nomination.due_on
    )
    assert nomination.due_on == dt.date(2026, 12, 17)
    # The registry's own 45 days to constitute no longer run: the parties' time limits do,
    # then the Centre's appointment in default (it would be overdue before they end).
    constitution = deadline(case, "tribunal_constitution")
    assert constitution.status is DeadlineStatus.CANCELLED
    assert case.next_deadline_key != "tribunal_constitution"
    # The registry's own route is closed, and the record is made once.
    with pytest.raises(TransitionRefused, match="fills a seat only in default"):
        neutrals.propose_tribunal(
            session,
            case,
            clerk=cast["clerk"],
            members=[(Capacity.SOLE_ARBITRATOR, cast["arbitrators"][0])],
            expected_version=None,
        )
    with pytest.raises(TransitionRefused, match="already recorded"):
        parties_appoint(session, cast)
    # Each side is told to nominate, with the date.
    told = session.scalars(
        select(Notification).where(
            Notification.user_id == cast["respondent"].id, Notification.case_id == case.id
        )
    ).all()
    assert told[-1].params["due"] == "2026-12-17"
    assert "Nominate your side's arbitrator" in told[-1].message


def test_each_side_nominates_its_own_seat_and_no_other(session, cast):
    case, (a, b, *_) = cast["case"], cast["arbitrators"]
    parties_appoint(session, cast)
    for who in ("clerk",):
        with pytest.raises(TransitionRefused, match="may not do this"):
            nominate(session, cast, who, a)
    # Counsel acts for the claimant's side.
    made = nominate(session, cast, "counsel", a)
    assert (made.capacity, made.side, made.chosen_by, made.status) == (
        Capacity.CO_ARBITRATOR,
        Side.CLAIMANT,
        Chooser.CLAIMANT,
        AppointmentStatus.PROPOSED,
    )
    with pytest.raises(TransitionRefused, match="already nominated its arbitrator"):
        nominate(session, cast, "claimant", b)
    assert deadline(case, "party_nomination").status is DeadlineStatus.OPEN
    # The nominee is asked to accept; the other side and the registry are told.
    assert session.scalars(select(Notification).where(Notification.user_id == a.id)).all()
    told = session.scalars(
        select(Notification).where(Notification.user_id == cast["respondent"].id)
    ).all()
    assert told[-1].params["name"] == a.name
    clerk_told = session.scalars(
        select(Notification).where(Notification.user_id == cast["clerk"].id)
    ).all()
    assert any(n.params.get("name") == a.name for n in clerk_told)
    # The respondent's own seat; then the parties' time limit is met.
    made = nominate(session, cast, "respondent", b)
    assert (made.side, made.chosen_by) == (Side.RESPONDENT, Chooser.RESPONDENT)
    assert actions(case)[-2:] == ["nominate_arbitrator", "nominations_complete"]
    assert deadline(case, "party_nomination").status is DeadlineStatus.MET
    with pytest.raises(TransitionRefused, match="Both sides have nominated"):
        nominate(session, cast, "claimant", cast["arbitrators"][2])
    # A nominee cannot nominate (the parties' act only).
    with pytest.raises(TransitionRefused, match="may not do this"):
        nominations.nominate(session, case, user=a, arbitrator=b, expected_version=None)


def test_a_declared_conflict_bars_the_nominee_and_changes_nothing(session, cast):
    case, a = cast["case"], cast["arbitrators"][0]
    parties_appoint(session, cast)
    neutrals.add_conflict(session, a, party_name=case.claimant.name, note=None)
    session.flush()
    version, events = case.version, len(case.events)
    with pytest.raises(TransitionRefused, match="conflict with a party"):
        nominate(session, cast, "respondent", a)
    assert case.version == version and len(case.events) == events
    assert holder(case, Seat.RESPONDENT) is None
    # Not an arbitrator's account at all: refused too.
    with pytest.raises(TransitionRefused, match="from the list"):
        nominate(session, cast, "respondent", cast["counsel"])


def test_the_co_arbitrators_choose_the_presiding_arbitrator(session, cast):
    case, (a, b, p, *_) = cast["case"], cast["arbitrators"]
    parties_appoint(session, cast)
    nominate(session, cast, "claimant", a)
    nominate(session, cast, "respondent", b)
    with frozen_time(RECORDED + dt.timedelta(days=3)):
        accept(session, case, a)
        with pytest.raises(TransitionRefused, match="once both co-arbitrators have accepted"):
            nominations.choose_presiding(
                session, case, user=a, presiding=p, reason="Agreed.", expected_version=None
            )
        accept(session, case, b)
    assert actions(case)[-2:] == ["accept_appointment", "co_arbitrators_accepted"]
    presiding = deadline(case, "presiding_nomination")
    # From Thursday 19 November, 30 calendar days: Saturday 19 December -> Monday 21.
    assert (presiding.starts_on, presiding.due_on) == (dt.date(2026, 11, 19), dt.date(2026, 12, 21))
    assert case.tribunal_constituted_at is None
    # The parties may not choose it on their own; nor may a stranger.
    with pytest.raises(TransitionRefused, match="may not do this"):
        nominations.choose_presiding(
            session, case, user=cast["claimant"], presiding=p, reason="x", expected_version=None
        )
    with pytest.raises(TransitionRefused, match="Give the reasons"):
        nominations.choose_presiding(
            session, case, user=b, presiding=p, reason=" ", expected_version=None
        )
    made = nominations.choose_presiding(
        session, case, user=b, presiding=p, reason="We agreed by e-mail.", expected_version=None
    )
    assert (made.capacity, made.chosen_by) == (
        Capacity.PRESIDING_ARBITRATOR,
        Chooser.CO_ARBITRATORS,
    )
    assert presiding.status is DeadlineStatus.MET
    with pytest.raises(TransitionRefused, match="already chosen"):
        nominations.choose_presiding(
            session,
            case,
            user=a,
            presiding=cast["arbitrators"][3],
            reason="x",
            expected_version=None,
        )
    accept(session, case, p)
    assert case.tribunal_constituted_at is not None
    assert actions(case)[-2:] == ["accept_appointment", "constitute"]


def test_the_parties_together_choose_a_sole_arbitrator(session, cast):
    case, a = cast["case"], cast["arbitrators"][0]
    parties_appoint(session, cast, TribunalSize.SOLE)
    with pytest.raises(TransitionRefused, match="chosen by the parties together"):
        nominate(session, cast, "claimant", a)
    with pytest.raises(TransitionRefused, match="may not do this"):
        nominations.agree_on_arbitrator(
            session, case, clerk=cast["claimant"], arbitrator=a, reason="x", expected_version=None
        )
    made = nominations.agree_on_arbitrator(
        session,
        case,
        clerk=cast["clerk"],
        arbitrator=a,
        reason="The parties' joint letter of 20 November.",
        expected_version=None,
    )
    assert (made.capacity, made.chosen_by) == (Capacity.SOLE_ARBITRATOR, Chooser.PARTIES)
    assert deadline(case, "party_nomination").status is DeadlineStatus.MET
    accept(session, case, a)
    assert case.tribunal_constituted_at is not None


def test_the_centre_fills_a_seat_in_default_once_its_time_is_over(session, cast):
    case, (a, b, c, *_) = cast["case"], cast["arbitrators"]
    parties_appoint(session, cast)
    nominate(session, cast, "claimant", a)
    reason = "The respondent nominated no one within 30 days."
    last_day = frozen_time(dt.datetime(2026, 12, 17, 12, 0, tzinfo=dt.UTC))
    with last_day, pytest.raises(TransitionRefused, match="No seat is in default"):
        nominations.appoint_in_default(
            session,
            case,
            clerk=cast["clerk"],
            seat=Seat.RESPONDENT,
            arbitrator=b,
            reason=reason,
            expected_version=None,
        )
    with frozen_time(dt.datetime(2026, 12, 18, 5, 0, tzinfo=dt.UTC)):  # the day after
        with pytest.raises(TransitionRefused, match="not in default"):
            nominations.appoint_in_default(
                session,
                case,
                clerk=cast["clerk"],
                seat=Seat.CLAIMANT,
                arbitrator=b,
                reason=reason,
                expected_version=None,
            )
        with pytest.raises(TransitionRefused, match="may not do this"):
            nominations.appoint_in_default(
                session,
                case,
                clerk=cast["claimant"],
                seat=Seat.RESPONDENT,
                arbitrator=b,
                reason=reason,
                expected_version=None,
            )
        made = nominations.appoint_in_default(
            session,
            case,
            clerk=cast["clerk"],
            seat=Seat.RESPONDENT,
            arbitrator=b,
            reason=reason,
            expected_version=None,
        )
    session.flush()
    assert (made.side, made.chosen_by) == (Side.RESPONDENT, Chooser.CENTRE)
    assert actions(case)[-3:] == ["appoint_in_default", "issue_ruling", "nominations_complete"]
    ruling = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).all()[-1]
    assert ruling.kind == "notice_of_appointment"
    assert ruling.values["extra"] == {"name": b.name, "seat": "respondent"}
    assert ruling.values["reasons"] == reason
    # The late side may no longer nominate: the seat is filled.
    with pytest.raises(TransitionRefused, match="Both sides have nominated"):
        nominate(session, cast, "respondent", c)


def test_a_late_nomination_stands_until_the_centre_fills_the_seat(session, cast):
    case, (a, b, *_) = cast["case"], cast["arbitrators"]
    parties_appoint(session, cast)
    nominate(session, cast, "claimant", a)
    with frozen_time(dt.datetime(2026, 12, 20, 5, 0, tzinfo=dt.UTC)):
        assert engine.transition("appoint_in_default").blocked(case) is None
        made = nominate(session, cast, "respondent", b)
        assert made.chosen_by is Chooser.RESPONDENT
        assert engine.transition("appoint_in_default").blocked(case) is not None
    assert deadline(case, "party_nomination").status is DeadlineStatus.MET


@pytest.mark.real_pdf
@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "The Centre appoints Aigerim Seitkali as presiding arbitrator."),
        ("ru", "Центр назначает Aigerim Seitkali председательствующим арбитром."),
        ("kk", "Орталық Aigerim Seitkali есімді тұлғаны төрағалық етуші төреші етіп"),
    ],
)
def test_the_notice_of_appointment_renders_in_each_language(factory, session, language, says):
    case = factory.case(CaseState.IMPASSE)
    case.language = language
    session.flush()
    ruling = rulings.issue_ruling(
        case,
        "notice_of_appointment",
        issuer=factory.user(Role.CLERK),
        reasons="The seat stayed empty past its time limit.",
        extra={"name": "Aigerim Seitkali", "seat": "presiding"},
    )
    text = _flat(_text(rulings.ruling_pdf(session, ruling)))
    assert _title("notice_of_appointment", language) in text
    assert says in text
    assert "The seat stayed empty past its time limit." in text


def test_the_parties_and_the_registry_are_reminded_of_their_time_limit(app, session, cast):
    parties_appoint(session, cast)
    nominate(session, cast, "claimant", cast["arbitrators"][0])
    remind(app, session, dt.date(2026, 12, 14))  # within five days of 17 December
    reminded = {n.user_id for n in notices(session, "party_nomination")}
    assert {cast["claimant"].id, cast["respondent"].id, cast["clerk"].id} <= reminded


def test_a_nominee_who_declines_leaves_the_seat_to_be_chosen_again(session, cast):
    case, (a, b, *_) = cast["case"], cast["arbitrators"]
    parties_appoint(session, cast)
    nominate(session, cast, "claimant", a)
    neutrals.decline(
        session, case, user=a, disclosure="I advised the respondent.", expected_version=None
    )
    session.flush()
    told = session.scalars(
        select(Notification).where(Notification.user_id == cast["claimant"].id)
    ).all()
    assert told[-1].message.startswith("A nominated arbitrator declined the appointment")
    assert holder(case, Seat.CLAIMANT) is None
    again = nominate(session, cast, "claimant", b)  # the same side chooses again
    assert again.chosen_by is Chooser.CLAIMANT
    with pytest.raises(TransitionRefused, match="Declined this case"):
        nominate(session, cast, "respondent", a)
