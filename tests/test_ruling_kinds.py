"""The rulings of mediation and arbitration: every kind renders a real PDF in every language,
with its title, the reasons written for it and what it needs beyond the case."""

from __future__ import annotations

import pytest
from babel.support import Translations

from dispute_portal.neutrals.models import CAPACITY_LABELS
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.kinds import KINDS
from dispute_portal.rulings.render import TRANSLATIONS_DIR
from dispute_portal.workflow.states import CaseState

from .test_rulings import _text

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make

NEW_KINDS = (
    "settlement_record",
    "termination_certificate",
    "procedural_order",
    "notice_of_delay",
    "award",
    "dismissal_order",
    "correction_decision",
    "termination_order",
    "suspension_order",
)
LANGUAGES = ("en", "ru", "kk")
EXPECTED_ON = "15 March 2027"  # extra values come already formatted as text
REQUEST = "Correct the amount in paragraph 12."
RESUME_ON = "16 June 2027"


def _flat(text: str) -> str:
    """Words as extracted, whatever the line breaks and justification spaces."""
    return " ".join(text.split())


def _title(kind: str, language: str) -> str:
    return Translations.load(str(TRANSLATIONS_DIR), [language]).gettext(KINDS[kind].title)


def _issue(factory, session, kind: str, language: str, *, issuer, reasons: str | None):
    case = factory.case(CaseState.REGISTERED)
    case.language = language
    session.flush()
    extra = {"expected_on": EXPECTED_ON, "request": REQUEST, "resume_on": RESUME_ON}
    ruling = rulings.issue_ruling(case, kind, issuer=issuer, reasons=reasons, extra=extra)
    assert ruling.kind == kind and ruling.language == language
    return ruling, _flat(_text(rulings.ruling_pdf(session, ruling)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", NEW_KINDS)
def test_every_new_kind_renders_in_every_language(factory, session, kind, language):
    clerk = factory.user("clerk")
    reasons = f"Reasons for {kind}: Ұлттық заң әғқңөұүһі <b>not markup</b>"
    ruling, text = _issue(factory, session, kind, language, issuer=clerk, reasons=reasons)
    assert _flat(ruling.values["title"]) in text
    assert _flat(_title(kind, language)) in text
    assert _flat(reasons) in text  # escaped, shown as the text it is
    assert clerk.name in text and ruling.values["reference"] in text
    if kind == "notice_of_delay":
        assert EXPECTED_ON in text
    if kind == "correction_decision":
        assert REQUEST in text
    if kind == "suspension_order":
        assert RESUME_ON in text


AUTOMATIC = {  # what the registry's own ruling says when nobody wrote reasons
    "termination_certificate": {
        "en": "no step was taken in the mediation",
        "ru": "не было совершено ни одного действия",
        "kk": "ешқандай әрекет жасалмады",
    },
    "termination_order": {
        "en": "The proceedings in this case are terminated",
        "ru": "Прекратить производство по делу",
        "kk": "іс бойынша іс жүргізу тоқтатылсын",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(AUTOMATIC))
def test_registry_issues_terminations_without_reasons(factory, session, kind, language):
    ruling, text = _issue(factory, session, kind, language, issuer=None, reasons=None)
    assert ruling.issued_by_id is None
    assert _flat(_title(kind, language)) in text
    assert AUTOMATIC[kind][language] in text
    assert _flat(ruling.values["issuer_role"]) in text  # "... (issued automatically)"


@pytest.mark.parametrize("kind", ["termination_certificate", "termination_order"])
def test_a_termination_with_reasons_shows_them(factory, session, kind):
    _, text = _issue(factory, session, kind, "en", issuer=None, reasons="No further steps.")
    assert "No further steps." in text


@pytest.mark.parametrize("kind", [k for k in NEW_KINDS if "reasons" in KINDS[k].needs])
def test_kinds_that_need_reasons_refuse_none(factory, session, kind):
    from dispute_portal.errors import TransitionRefused

    case = factory.case(CaseState.REGISTERED)
    with pytest.raises(TransitionRefused):
        rulings.issue_ruling(case, kind, issuer=factory.user("clerk"), reasons="  ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_settlement_names_the_mediator(factory, session, language):
    clerk = factory.user("clerk")
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    case.language = language
    session.flush()
    ruling = rulings.issue_ruling(
        case, "settlement_record", issuer=mediator, reasons="The respondent pays USD 1."
    )
    text = _flat(_text(rulings.ruling_pdf(session, ruling)))
    assert [m["name"] for m in ruling.values["mediator"]] == [mediator.name]
    assert text.count(mediator.name) >= 2  # in the body and under the signature
    assert "The respondent pays USD 1." in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_award_lists_the_tribunal_chair_first(factory, session, language):
    clerk = factory.user("clerk")
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    members = factory.tribunal(case, clerk, size=3)
    case.language = language
    session.flush()
    ruling = rulings.issue_ruling(case, "award", issuer=members[0], reasons="The claim fails.")
    text = _flat(_text(rulings.ruling_pdf(session, ruling)))
    tribunal = ruling.values["tribunal"]
    assert [m["name"] for m in tribunal] == [u.name for u in members]
    for member in tribunal:
        assert _flat(f"{member['name']} — {member['capacity']}").lower() in text.lower()
    assert "The claim fails." in text and _flat(ruling.values["place"]) in text  # the seat
    assert _flat(ruling.values["amount_claimed"]) in text


NEW_TEXTS = [KINDS[k].title for k in NEW_KINDS] + list(CAPACITY_LABELS.values())


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("msgid", NEW_TEXTS)
def test_new_kind_titles_and_capacities_are_translated(msgid, language):
    """The PDF's title and the tribunal's capacities come from the catalogues."""
    translated = Translations.load(str(TRANSLATIONS_DIR), [language]).gettext(msgid)
    assert translated != msgid, f"no {language} translation for {msgid!r}"
