"""Non-disputing party submissions (ICSID rule 67): the registry records an application
received by e-mail or post, with the submission; the parties observe within the time limit;
the tribunal grants or refuses in a decision (a ruling); a granted submission is on the
record for the tribunal and the parties."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dispute_portal import policy
from dispute_portal.amicus import operations as amicus
from dispute_portal.amicus import queries
from dispute_portal.amicus.models import Decision
from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.errors import TransitionRefused
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .factories import pdf_bytes
from .test_rulings import _text

# 25 November 2026 in Almaty: 21 days later is 16 December, Independence Day.
RECORDED_AT = dt.datetime(2026, 11, 25, 5, 0, tzinfo=dt.UTC)


def arbitration(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    chair, co, _ = factory.tribunal(case, clerk, size=3)
    factory.session.flush()
    return case, clerk, respondent, chair, co


def _record(factory, case, clerk, **kw):
    values = {
        "applicant_name": "Steppe Water Association",
        "applicant_kind": "organisation",
        "description": "Residents' association of the district around the plant.",
        "interest": "The plant's water use affects the district's supply.",
        "received_by": "email",
        "received_on": dt.date(2026, 11, 24),
    } | kw
    application = amicus.record_application(
        factory.session,
        case,
        clerk=clerk,
        stream=io.BytesIO(pdf_bytes("Amicus brief")),
        filename="brief.pdf",
        upload_dir=factory.config["UPLOAD_DIR"],
        max_bytes=factory.config["MAX_UPLOAD_BYTES"],
        expected_version=None,
        **values,
    )
    factory.session.flush()
    return application


def test_the_registry_records_and_the_parties_observe(factory, session):
    with frozen_time(RECORDED_AT):
        case, clerk, respondent, chair, co = arbitration(factory)
        application = _record(factory, case, clerk)
    deadline = open_deadline(case, "non_disputing_observations")
    assert deadline.due_on == dt.date(2026, 12, 17)  # 16 December is a public holiday
    document = next(d for d in case.documents if d.id == application.document_id)
    for user in (case.claimant_user, respondent, chair, co, clerk):
        assert policy.can(user, policy.DOWNLOAD, case, document)
    # Only the registry records; a party or the tribunal does not.
    for user in (case.claimant_user, chair):
        with pytest.raises(TransitionRefused):
            _record(factory, case, user)
    with pytest.raises(TransitionRefused, match="is pending"):
        _record(factory, case, clerk)
    amicus.observe(
        case, user=case.claimant_user, observations="No objection.", expected_version=None
    )
    with pytest.raises(TransitionRefused, match="has filed"):
        amicus.observe(case, user=case.claimant_user, observations="Again.", expected_version=None)
    with pytest.raises(TransitionRefused, match="may still file"):
        amicus.decide(case, chair=chair, decision="granted", reason="x", expected_version=None)
    amicus.observe(
        case, user=respondent, observations="Outside the dispute.", expected_version=None
    )
    session.flush()
    met = next(d for d in case.deadlines if d.key == "non_disputing_observations")
    assert met.status is DeadlineStatus.MET
    with pytest.raises(TransitionRefused):
        amicus.decide(case, chair=co, decision="granted", reason="x", expected_version=None)
    decided = amicus.decide(
        case,
        chair=chair,
        decision="granted",
        reason="The submission brings the district's perspective.",
        expected_version=None,
    )
    session.flush()
    assert decided.decision is Decision.GRANTED and decided.on_record
    ruling = rulings.case_rulings(case)[-1]
    assert ruling.kind == "non_disputing_decision"
    assert ruling.values["extra"]["applicant"] == "Steppe Water Association"
    assert (
        ruling.values["extra"]["claimant_observed"]
        and ruling.values["extra"]["respondent_observed"]
    )
    assert case.last_event("decide_non_disputing_application").data["decision"] == "granted"
    assert queries.no_application_pending(case) is None


def test_bad_input_is_refused_and_changes_nothing(factory):
    case, clerk, *_ = arbitration(factory)
    version, documents = case.version, len(case.documents)
    for bad, message in (
        ({"applicant_name": " "}, "applicant's name"),
        ({"applicant_kind": "alien"}, "Choose from the list"),
        ({"interest": ""}, "interest"),
        ({"received_on": dt.date(2099, 1, 1)}, "later than today"),
    ):
        with pytest.raises(TransitionRefused, match=message):
            _record(factory, case, clerk, **bad)
    assert case.version == version and len(case.documents) == documents
    assert queries.applications(case) == []


def test_refused_once_the_time_has_passed_without_observations(factory, session):
    with frozen_time(RECORDED_AT):
        case, clerk, _, chair, _ = arbitration(factory)
        _record(factory, case, clerk)
    with frozen_time(dt.datetime(2026, 12, 18, 5, 0, tzinfo=dt.UTC)):
        assert queries.application_awaiting_observations(case) is not None
        decided = amicus.decide(
            case,
            chair=chair,
            decision="refused",
            reason="Not within the dispute.",
            expected_version=None,
        )
    assert decided.decision is Decision.REFUSED and not decided.on_record
    closed = next(d for d in case.deadlines if d.key == "non_disputing_observations")
    assert closed.status is DeadlineStatus.CANCELLED


@pytest.mark.real_pdf
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_decision_renders_in_every_language(factory, session, language):
    case, clerk, respondent, chair, _ = arbitration(factory)
    case.language = language
    _record(factory, case, clerk, applicant_name="Қазақстан экология қоғамы")
    for user in (case.claimant_user, respondent):
        amicus.observe(case, user=user, observations="Noted.", expected_version=None)
    amicus.decide(
        case,
        chair=chair,
        decision="granted",
        reason="Reasons of the decision.",
        expected_version=None,
    )
    ruling = rulings.case_rulings(case)[-1]
    text = " ".join(_text(rulings.ruling_pdf(session, ruling)).split())
    assert "Қазақстан экология қоғамы" in text and "Reasons of the decision." in text
    assert " ".join(ruling.values["title"].split()) in text
