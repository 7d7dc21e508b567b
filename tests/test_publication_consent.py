"""Each side's consent to publishing the decisions: stated in the claim and at the
respondent's joining, changed on the case until the award, in the trail."""

from __future__ import annotations

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.cases.subject import Consent
from dispute_portal.parties import operations as parties
from dispute_portal.parties.models import Side, Standing
from dispute_portal.publication.guards import both_consent
from dispute_portal.workflow.states import CaseState

from .conftest import Browser, browser_for
from .factories import Factory


def _answer(browser, case, consent: str):
    return browser.post(
        f"/cases/{case.id}/publication",
        {"consent-consent": consent, "consent-version": str(case.version)},
    )


def test_the_claim_states_the_claimants_consent(factory, session):
    case = factory.case(CaseState.DRAFT, complete=True)
    assert case.claimant.publication_consent is Consent.GIVEN
    case.claimant.publication_consent = None
    assert "claimant" in case.missing_sections()  # the claim cannot go without an answer


def test_the_respondents_representative_answers_as_it_joins(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    _invitation, token = parties.invite(
        session, case, inviter=clerk, side=Side.RESPONDENT, standing=Standing.REPRESENTATIVE,
        email="rep@akimat.example.kz", name="Rep", expected_version=None,
    )  # fmt: skip
    session.commit()
    newcomer = Browser(app)
    page = newcomer.get(f"/join/{token}").text
    assert "May the award and the tribunal" in page
    answer = newcomer.post(
        f"/join/{token}",
        {"name": "Rep", "password": Factory.PASSWORD, "confirm": Factory.PASSWORD,
         "publication_consent": "refused"},
    )  # fmt: skip
    assert answer.status_code == 302
    session.expire_all()
    assert case.respondent.publication_consent is Consent.REFUSED
    assert not both_consent(case)


def test_a_side_changes_its_answer_until_the_award(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    session.commit()
    claimant = browser_for(app, case.claimant_user)
    page = claimant.get(f"/cases/{case.id}/publication").text
    assert "Not stated yet: no consent" in page  # the respondent's
    other = browser_for(app, respondent)
    assert _answer(other, case, "maybe").status_code == 400
    assert _answer(other, case, "given").status_code == 302
    session.expire_all()
    assert case.respondent.publication_consent is Consent.GIVEN and both_consent(case)
    event = case.last_event("state_publication_consent")
    assert event.data == {"party": "respondent", "consent": "given"}
    assert event.actor_id == respondent.id
    # The registry reads the answers; it does not give them.
    registry = browser_for(app, clerk)
    assert "Both sides consent" in registry.get(f"/cases/{case.id}/publication").text
    assert _answer(registry, case, "refused").status_code == 403
    stranger = browser_for(app, factory.user(Role.INVESTOR))
    assert stranger.get(f"/cases/{case.id}/publication").status_code == 404


@pytest.mark.parametrize("state", [CaseState.AWARDED, CaseState.SETTLED, CaseState.CLOSED])
def test_no_change_once_the_case_has_ended(app, factory, session, state):
    case = factory.case(state)
    session.commit()
    claimant = browser_for(app, case.claimant_user)
    assert _answer(claimant, case, "refused").status_code == 403
    session.expire_all()
    assert case.claimant.publication_consent is Consent.GIVEN
