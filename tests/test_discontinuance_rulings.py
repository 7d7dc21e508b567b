"""The rulings of an ending without an award, and of a mediation a party ends: each renders
a real PDF in every language, with its title, its reasons and what its ground recites."""

from __future__ import annotations

import pytest

from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .test_ruling_kinds import LANGUAGES, _flat, _title
from .test_rulings import _text

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make

REQUEST = {
    "ground": "request",
    "by": "tribunal",
    "requested_by": "Steppe Solar LLP",
    "requested_on": "19 February 2026",
    "objection_until": "26 March 2026",
}
INACTIVITY = {
    "ground": "inactivity",
    "by": "registry",
    "since": "7 January 2026",
    "noticed_on": "6 June 2026",
    "step_until": "7 July 2026",
}
# What each ruling says of its ground, in each language.
SAYS = {
    ("agreement", "en"): "by agreement of the parties",
    ("agreement", "ru"): "по соглашению сторон",
    ("agreement", "kk"): "тараптардың келісімі бойынша",
    ("request", "en"): "did not object within that time",
    ("request", "ru"): "возражений не поступило",
    ("request", "kk"): "қарсылық түскен жоқ",
    ("inactivity", "en"): "for failure of the parties to act",
    ("inactivity", "ru"): "в связи с бездействием сторон",
    ("inactivity", "kk"): "тараптардың әрекетсіздігіне байланысты",
}


def _issue(factory, session, kind, language, *, issuer, reasons, extra):
    case = factory.case(CaseState.REGISTERED)
    case.language = language
    session.flush()
    ruling = rulings.issue_ruling(case, kind, issuer=issuer, reasons=reasons, extra=extra)
    return ruling, _flat(_text(rulings.ruling_pdf(session, ruling)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("ground", "extra"),
    [("agreement", {"ground": "agreement", "by": "registry"}), ("request", REQUEST),
     ("inactivity", INACTIVITY)],
)  # fmt: skip
def test_the_order_of_discontinuance_recites_its_ground(factory, session, language, ground, extra):
    clerk = factory.user("clerk")
    reasons = "The parties wrote on 1 June 2026." if ground == "agreement" else None
    issuer = None if ground == "inactivity" else clerk
    ruling, text = _issue(
        factory, session, "discontinuance_order", language, issuer=issuer, reasons=reasons,
        extra=extra,
    )  # fmt: skip
    assert _flat(_title("discontinuance_order", language)) in text
    assert SAYS[ground, language] in text
    assert ruling.values["reference"] in text
    if reasons:
        assert reasons in text
    for value in ("requested_by", "requested_on", "objection_until", "since", "step_until"):
        if value in extra:
            assert extra[value] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_embodying_a_settlement(factory, session, language):
    chair = factory.user("arbitrator")
    terms = "The respondent pays USD 2,000,000 within 60 days. Ұлттық заң"
    _, text = _issue(
        factory, session, "consent_award", language, issuer=chair, reasons=terms, extra=None
    )
    assert _flat(_title("consent_award", language)) in text
    assert terms in text and chair.name in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_certificate_of_a_mediation_a_party_ended(factory, session, language):
    reasons = "We see no prospect of settlement."
    _, text = _issue(
        factory, session, "termination_by_party", language, issuer=None, reasons=reasons,
        extra={"party": "Ministry of Industry"},
    )  # fmt: skip
    assert _flat(_title("termination_by_party", language)) in text
    assert reasons in text and "Ministry of Industry" in text
