"""Mediation as the parties choose: the rule set's `mediation_first` both ways, the parties'
agreement recorded by the registry, and either party ending a mediation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dispute_portal.auth.models import Role
from dispute_portal.deadlines.models import DeadlineStatus, RuleSet
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.deadlines.rules import RULES_V2
from dispute_portal.discontinuance import operations as ending
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.registry import operations as registry
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState


def take(case, user, action: str, reason: str | None = "Both parties agreed in writing."):
    return ending.act(case, user=user, action=action, reason=reason, expected_version=None)


def statuses(case) -> dict[str, DeadlineStatus]:
    return {d.key: d.status for d in case.deadlines}


def registered(factory, session, *, mediation_first: bool = True):
    """A case registered under a rule set that puts mediation (or arbitration) first."""
    if not mediation_first:
        newest = session.scalar(select(func.max(RuleSet.version)))
        session.add(
            RuleSet(
                version=newest + 1,
                name="Arbitration first",
                rules=RULES_V2 | {"mediation_first": False},
            )
        )
        session.flush()
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    factory.settle_lodging_fee(case, clerk)
    registry.register_case(session, case, clerk=clerk)
    respondent = factory.join(case, clerk)
    session.flush()
    return case, {"clerk": clerk, "claimant": case.claimant_user, "respondent": respondent}


def test_by_default_mediation_comes_first_unless_the_parties_agree(factory, session):
    case, people = registered(factory, session)
    assert open_deadline(case, "mediator_appointment") is not None
    with pytest.raises(engine.TransitionRefused, match="mediation comes first"):
        take(case, people["clerk"], "refer_registered", None)
    with pytest.raises(engine.TransitionRefused, match="nothing to agree"):
        take(case, people["clerk"], "agree_to_mediate")
    for who in ("claimant", "respondent"):
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, people[who], "arbitrate_by_agreement")
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        take(case, people["clerk"], "arbitrate_by_agreement", "")

    take(case, people["clerk"], "arbitrate_by_agreement")
    session.flush()
    assert case.state is CaseState.ARBITRATION and case.referred_at is not None
    assert statuses(case)["mediator_appointment"] is DeadlineStatus.CANCELLED
    assert open_deadline(case, "tribunal_constitution") is not None
    assert open_deadline(case, "response") is not None  # the respondent still answers
    event = case.last_event("arbitrate_by_agreement")
    assert event.note == "Both parties agreed in writing." and event.to_state == "arbitration"


def test_rules_that_put_arbitration_first(factory, session):
    case, people = registered(factory, session, mediation_first=False)
    # No mediator is due: the registry refers the case, or records an agreement to mediate.
    assert "mediator_appointment" not in statuses(case)
    mediator = factory.user(Role.MEDIATOR)
    with pytest.raises(engine.TransitionRefused, match="unless the parties agree to mediate"):
        neutrals.propose_mediator(
            session, case, clerk=people["clerk"], mediator=mediator, expected_version=None
        )
    with pytest.raises(engine.TransitionRefused, match="arbitration comes first"):
        take(case, people["clerk"], "arbitrate_by_agreement")
    take(case, people["clerk"], "refer_registered", None)
    session.flush()
    assert case.state is CaseState.ARBITRATION
    assert open_deadline(case, "tribunal_constitution") is not None


def test_under_arbitration_first_the_parties_may_agree_to_mediate(factory, session):
    case, people = registered(factory, session, mediation_first=False)
    take(case, people["clerk"], "agree_to_mediate", "The parties agreed to mediate first.")
    session.flush()
    assert open_deadline(case, "mediator_appointment") is not None
    with pytest.raises(engine.TransitionRefused, match="already recorded"):
        take(case, people["clerk"], "agree_to_mediate")
    with pytest.raises(engine.TransitionRefused, match="agreed to mediate"):
        take(case, people["clerk"], "refer_registered", None)
    factory.mediate(case, people["clerk"])
    assert case.state is CaseState.MEDIATION


@pytest.mark.parametrize("side", ["claimant", "respondent"])
def test_either_party_ends_the_mediation(factory, session, side):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    people = {"claimant": case.claimant_user, "respondent": respondent, "clerk": clerk}
    mediator = next(a.user for a in case.appointments if a.status.value == "accepted")
    for user in (clerk, mediator):
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, user, "end_mediation", "Enough.")
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        take(case, people[side], "end_mediation", " ")

    take(case, people[side], "end_mediation", "We see no prospect of settlement.")
    session.flush()
    assert case.state is CaseState.IMPASSE
    assert statuses(case)["mediation_conclusion"] is DeadlineStatus.MET
    certificate = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id).order_by(Ruling.id.desc())
    ).first()
    assert certificate.kind == "termination_by_party"
    assert certificate.issued_by_id is None  # the registry certifies it
    party = case.claimant if side == "claimant" else case.respondent
    assert certificate.values["extra"] == {"party": party.name}
    assert certificate.values["reasons"] == "We see no prospect of settlement."
    # The case goes on as after any impasse: the claimant or the registry refers it.
    assert "refer" in {t.action for t in engine.allowed(clerk, case)}
    with pytest.raises(engine.TransitionRefused, match="while the case is"):
        take(case, people[side], "end_mediation", "Again.")


def test_the_admin_sets_the_road_and_the_inactivity_period(factory, login_as, session):
    current = session.scalar(select(RuleSet).order_by(RuleSet.version.desc()).limit(1))
    browser, _ = login_as("admin")
    page = browser.get("/admin/rules/").get_data(as_text=True)
    assert "A registered case goes" in page and 'name="inactivity_days"' in page
    data = {"name": "Arbitration first, 2027"}
    for key, rule in current.rules["deadlines"].items():
        data[f"{key}__amount"] = str(rule["amount"])
        data[f"{key}__unit"] = rule["unit"]
    for key in (
        "mediation_extension_days",
        "mediation_extensions_allowed",
        "mediation_inactivity_days",
        "remind_days_before",
    ):
        data[key] = str(current.rules[key])
    data |= {
        "respondent_join_days": "14",
        "non_payment_discontinuance_days": "90",
        "challenge_days": "21",
        "redaction_days": "60",
        "excerpts_without_consent": "1",
        "expedited_limit_usd": current.rules["expedited_limit_usd"],
        "inactivity_days": "0",
        "mediation_first": "0",
    }
    assert browser.post("/admin/rules/", data).status_code == 400  # no period of 0 days
    assert browser.post("/admin/rules/", data | {"mediation_first": "x"}).status_code == 400
    response = browser.post("/admin/rules/", data | {"inactivity_days": "180"})
    assert response.status_code == 302
    session.expire_all()
    newest = session.scalar(select(RuleSet).order_by(RuleSet.version.desc()).limit(1))
    assert newest.version == current.version + 1
    assert (newest.rules["mediation_first"], newest.rules["inactivity_days"]) == (False, 180)
