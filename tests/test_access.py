"""The access policy beyond single requests: which cases each person's lists may show, and a
deactivated account losing access at once.

Who may open or post to each address, role by role, is the route matrix's
(tests/test_route_matrix.py): one table for every route of the portal.
"""

from __future__ import annotations

import pytest

from dispute_portal import policy
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.errors import TransitionRefused
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.proceedings.queries import case_page_events
from dispute_portal.workflow import engine
from dispute_portal.workflow.models import record
from dispute_portal.workflow.states import CaseState

from .conftest import Browser, browser_for
from .factories import Factory


@pytest.fixture
def world(factory, session, app):
    owner = factory.user(Role.INVESTOR)
    draft = factory.case(CaseState.DRAFT, claimant=owner)
    submitted = factory.case(CaseState.SUBMITTED, claimant=owner)
    session.commit()
    people = {"owner": owner, "other_investor": factory.user(Role.INVESTOR)}
    for role in ("clerk", "mediator", "arbitrator", "respondent", "admin"):
        people[role] = factory.user(role)
    session.commit()
    ids = {
        "draft": draft.id,
        "submitted": submitted.id,
        "draft_doc": draft.documents[0].id,
        "submitted_doc": submitted.documents[0].id,
    }
    return people, ids, draft, submitted


def _client(app, people, who) -> Browser:
    """A browser for one of the people of the test's world ("anonymous": nobody)."""
    return browser_for(app, None if who == "anonymous" else people[who])


def test_case_lists_show_only_visible_cases(app, world, session):
    people, _, draft, submitted = world
    other_case = Factory(session, app.config).case()
    session.commit()
    mine = session.scalars(policy.visible_cases(people["owner"])).all()
    assert {c.id for c in mine} == {draft.id, submitted.id}
    clerk_sees = {c.id for c in session.scalars(policy.visible_cases(people["clerk"]))}
    assert submitted.id in clerk_sees
    assert other_case.id not in clerk_sees and draft.id not in clerk_sees  # drafts are private
    for role in ("other_investor", "mediator", "arbitrator", "respondent", "admin"):
        visible = {c.id for c in session.scalars(policy.visible_cases(people[role]))}
        assert draft.id not in visible and submitted.id not in visible
    assert session.scalars(policy.visible_cases(None)).all() == []


def test_deactivated_clerk_loses_access(app, world, session):
    people, ids, _, _ = world
    browser = _client(app, people, "clerk")
    assert browser.get("/registry/intake").status_code == 200
    people["clerk"].is_active = False
    session.commit()
    assert browser.get("/registry/intake").status_code == 302


# Documents for the neutrals: the mediator's stay with the mediator, the tribunal's with it ---


def _act(case, user, action: str, reason: str | None = None) -> None:
    proceedings.act(case, user=user, action=action, reason=reason, expected_version=None)


@pytest.fixture
def referred(factory, session):
    """A case that went from mediation to arbitration, with a document for the mediator
    (filed in mediation), one for the tribunal (filed in arbitration), and the mediator's
    note."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    respondent = factory.join(case, clerk)
    mediator = factory.mediate(case, clerk)
    for_mediator = factory.file(case, respondent, Visibility.MEDIATOR, "positions")
    proceedings.add_note(session, case, author=mediator, body="Explore a new plot.")
    _act(case, mediator, "impasse", "No agreement.")
    _act(case, clerk, "refer")
    chair, co, _ = factory.tribunal(case, clerk, size=3)
    for_tribunal = factory.file(case, respondent, Visibility.TRIBUNAL, "expert")
    session.commit()
    people = {
        "claimant": case.claimant_user,
        "respondent": respondent,
        "mediator": mediator,
        "chair": chair,
        "co": co,
        "clerk": clerk,
    }
    return case, people, for_mediator, for_tribunal


def test_a_neutral_only_document_is_read_by_the_neutrals_of_its_phase(referred):
    case, people, for_mediator, for_tribunal = referred
    readers = {
        "claimant": set(),
        "respondent": {"positions.pdf", "expert.pdf"},  # its own side filed them
        "mediator": {"positions.pdf"},
        "chair": {"expert.pdf"},
        "co": {"expert.pdf"},
        "clerk": {"positions.pdf", "expert.pdf"},
    }
    for who, names in readers.items():
        may = {
            d.original_name
            for d in (for_mediator, for_tribunal)
            if policy.can(people[who], policy.DOWNLOAD, case, d)
        }
        assert may == names, who


def test_the_mediators_role_ends_with_the_mediation(session, referred):
    case, people, _, _ = referred
    mediator = people["mediator"]
    assert policy.can(mediator, policy.VIEW, case) and policy.can(mediator, policy.TRAIL, case)
    assert not policy.can(mediator, policy.NOTE, case)
    assert policy.can(mediator, policy.READ_NOTES, case)
    assert [n.body for n in proceedings.notes(session, case, mediator)] == ["Explore a new plot."]
    with pytest.raises(TransitionRefused):
        proceedings.add_note(session, case, author=mediator, body="After the referral.")
    # Nothing of the proceedings; only the fees of the mediation, still owed.
    assert {t.action for t in engine.allowed(mediator, case)} == {"submit_fee_note"}
    for who in ("chair", "co"):  # the tribunal writes notes of its own
        assert policy.can(people[who], policy.NOTE, case), who


def test_a_document_for_the_neutrals_is_for_those_of_the_case_phase(factory, referred):
    """In arbitration there is no mediator to file for; in mediation, no tribunal yet."""
    case, people, _, _ = referred
    with pytest.raises(TransitionRefused):
        factory.file(case, people["respondent"], Visibility.MEDIATOR, "late")
    assert "late.pdf" not in {d.original_name for d in case.documents}


def test_events_written_before_the_phases_follow_their_document(session, referred):
    """An event recorded as "for the neutrals" before the phases existed (the chain keeps
    it as written) is read by the neutrals of the phase of what it names."""
    case, people, for_mediator, _ = referred
    mediator, chair = people["mediator"], people["chair"]
    download = record(
        people["clerk"],
        case,
        "download",
        data={"document_id": for_mediator.id, "name": "positions.pdf"},
        visibility="neutrals",
    )
    session.flush()
    assert download in proceedings.visible_events(case, mediator)
    assert download not in proceedings.visible_events(case, chair)
    filed_in_mediation = next(
        e for e in case.events if e.action == "add_document" and e.data["name"] == "positions.pdf"
    )
    filed_in_mediation.visibility = "neutrals"  # as an event of an older portal would read
    assert filed_in_mediation in proceedings.visible_events(case, mediator)
    assert filed_in_mediation not in proceedings.visible_events(case, chair)


def test_the_case_pages_query_reads_the_events_the_policy_lets_each_reader_read(session, referred):
    """The case page asks the database for the latest events a reader may read: the same
    events, and as many in all, as the policy answers one event at a time (legacy events
    "for the neutrals" included, with and without a document, and what a side filed)."""
    case, people, for_mediator, for_tribunal = referred
    record(people["clerk"], case, "download", data={"document_id": for_mediator.id},
           visibility="neutrals")  # fmt: skip
    record(people["clerk"], case, "download", data={"document_id": for_tribunal.id},
           visibility="neutrals")  # fmt: skip
    record(people["clerk"], case, "note", data={"document_id": 10**9}, visibility="neutrals")
    record(people["clerk"], case, "note", data={"side": "claimant"}, visibility="clerk")
    record(people["clerk"], case, "note", visibility="tribunal")
    session.commit()
    session.expire_all()
    for who, person in people.items():
        expected = proceedings.visible_events(case, person)
        assert 0 < len(expected) < len(case.events) or who == "clerk", who
        for shown in (3, 1000):
            timeline, total, named = case_page_events(
                session, case, policy.readable_events(person, case), shown, ("refer",)
            )
            assert timeline == expected[-shown:] and total == len(expected), (who, shown)
            assert [e.action for e in named] == ["refer"]
