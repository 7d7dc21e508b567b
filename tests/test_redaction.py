"""Redaction and publication of decisions: the sides propose passages to withhold, the other
comments, the chair decides, then the registry publishes in full (both consent) or the chair
an excerpt; the published version is a ruling of its own that verifies, the decision stays
with the case; and no withheld passage can be found in the published PDF (text, metadata,
XMP, any stream) or on any public page."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.cases.subject import Consent
from dispute_portal.clock import ALMATY
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.deadlines.queries import rules_for
from dispute_portal.deadlines.rules import setting
from dispute_portal.deadlines.rulesets import NUMBERS, new_rule_set
from dispute_portal.errors import TransitionRefused
from dispute_portal.parties.models import Side
from dispute_portal.publication import entries, guards, publishing, redaction
from dispute_portal.publication.models import ProposalStatus
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for

AFTER_THE_PERIOD = dt.timedelta(days=61)
PDFTOTEXT = shutil.which("pdftotext")


def _awarded(
    factory, session, reasons: str, *, consent: Consent = Consent.GIVEN, name: str | None = None
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    if name is not None:
        case.claimant.name = name
    respondent = factory.join(case, clerk)
    chair = factory.tribunal(case, clerk)[0]
    case.respondent.publication_consent = consent
    award = awards.issue_award(case, chair=chair, reasons=reasons, expected_version=None)
    session.flush()
    award = next(r for r in rulings.case_rulings(case) if r.kind == "award")
    return case, award, clerk, respondent, chair


REASONS = (
    "The claimant's royalty rate of 7.25 per cent is a trade secret.\n\n"
    "The tribunal finds that the termination breached Article 12. "
    "The respondent's witness, Mr Arman Dauletov, gave evidence on 3 May."
)


def test_the_whole_road_to_a_published_award(app, factory, session):
    case, award, clerk, respondent, chair = _awarded(factory, session, REASONS)
    claimant = case.claimant_user
    secret = "royalty rate of 7.25 per cent"
    mine = redaction.propose(case, award, user=claimant, side=Side.CLAIMANT, passage=secret,
                             reason="A trade secret.", expected_version=None)  # fmt: skip
    witness = redaction.propose(case, award, user=respondent, side=Side.RESPONDENT,
                                passage="Mr Arman Dauletov", reason="A private person.",
                                expected_version=None)  # fmt: skip
    # Not a passage of the decision: refused, nothing made.
    with pytest.raises(TransitionRefused, match="exactly as it stands"):
        redaction.propose(case, award, user=claimant, side=Side.CLAIMANT,
                          passage="not in the award", reason="x",
                          expected_version=None)  # fmt: skip
    with pytest.raises(TransitionRefused, match="other side comments"):
        redaction.comment(case, mine, user=claimant, side=Side.CLAIMANT, text="x",
                          expected_version=None)  # fmt: skip
    redaction.comment(case, mine, user=respondent, side=Side.RESPONDENT,
                      text="No objection.", expected_version=None)  # fmt: skip
    # Not yet: a proposal waits, and the period runs.
    with pytest.raises(TransitionRefused):
        publishing.publish_in_full(case, award, user=clerk, expected_version=None)
    redaction.decide(case, mine, chair=chair, withhold=True, reason=None, expected_version=None)
    redaction.decide(case, witness, chair=chair, withhold=False, reason="He testified in "
                     "public.", expected_version=None)  # fmt: skip
    assert (mine.status, witness.status) == (ProposalStatus.APPROVED, ProposalStatus.REJECTED)
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        publication = publishing.publish_in_full(case, award, user=clerk, expected_version=None)
    session.commit()
    version = session.get(type(award), publication.published_id)
    assert version.kind == "published_decision" and version.id != award.id
    assert version.verification_code != award.verification_code
    assert secret not in str(version.values) and "Mr Arman Dauletov" in str(version.values)
    assert award.values["reasons"] == REASONS  # the decision itself is untouched
    assert version.values["claimant"]["address"] is None and version.values["documents"] == []

    # The public finds it on the entry, downloads it, and it verifies with its own code.
    entries.refresh_pending(session)
    public = browser_for(app)
    page = public.get(f"/public-register/{case.number}").text
    link = re.search(rf'href="(/public-register/{case.number}/decisions/\w+)"', page).group(1)
    pdf = public.get(link)
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    assert rulings.find_by_pdf(session, pdf.data).id == version.id
    verified = public.get(f"/verify?code={version.verification_code}").text
    assert "Authentic" in verified and "Published version of a decision" in verified
    # The award itself is not public: its code is no address of the register.
    assert (
        public.get(
            f"/public-register/{case.number}/decisions/{award.verification_code}"
        ).status_code
        == 404
    )


def test_without_both_consents_only_an_excerpt(app, factory, session):
    case, award, clerk, _respondent, chair = _awarded(
        factory, session, REASONS, consent=Consent.REFUSED
    )
    redaction.propose(case, award, user=case.claimant_user, side=Side.CLAIMANT,
                      passage="Article 12", reason="x", expected_version=None)  # fmt: skip
    proposal = redaction.proposals_of(award)[0]
    redaction.decide(case, proposal, chair=chair, withhold=True, reason=None, expected_version=None)
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        with pytest.raises(TransitionRefused, match="do not both consent"):
            publishing.publish_in_full(case, award, user=clerk, expected_version=None)
        publication = publishing.publish_excerpt(
            case, award, chair=chair,
            excerpt="The tribunal finds that the termination breached Article 12.",
            expected_version=None,
        )  # fmt: skip
    assert publication.published_id is None
    assert publication.excerpt == "The tribunal finds that the termination breached [\u2026]."
    entries.refresh_pending(session)
    page = browser_for(app).get(f"/public-register/{case.number}").text
    assert "breached [\u2026]" in page and "Article 12" not in page


def test_a_decision_is_ready_once_the_period_is_over_and_every_proposal_decided(
    app, factory, session
):
    case, award, clerk, respondent, chair = _awarded(factory, session, REASONS)
    still_open = (
        "The parties may still propose passages to withhold: publish when the period ends or "
        "both sides have said they propose no more."
    )
    assert guards.not_ready(award, case) == still_open
    assert guards.not_for_full_publication(case) == still_open
    assert not redaction.decisions(case)[0].ready
    proposal = redaction.propose(case, award, user=respondent, side=Side.RESPONDENT,
                                 passage="Article 12", reason="x",
                                 expected_version=None)  # fmt: skip
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        waiting = "The tribunal has not decided every proposal yet."
        assert guards.not_ready(award, case) == guards.not_for_full_publication(case) == waiting
        with pytest.raises(TransitionRefused, match=waiting):
            publishing.publish_in_full(case, award, user=clerk, expected_version=None)
        assert case.state is CaseState.AWARDED and redaction.published(award) is None
        redaction.decide(case, proposal, chair=chair, withhold=False, reason="Public.",
                         expected_version=None)  # fmt: skip
        assert guards.not_ready(award, case) is None
        assert guards.not_for_full_publication(case) is None
        assert redaction.decisions(case)[0].ready
        # Without both consents the same decision is the chair's to excerpt, not the clerk's.
        assert guards.not_for_an_excerpt(case) == (
            "Both sides consent: the registry publishes the decision in full."
        )


def test_the_period_ends_early_once_both_sides_propose_no_more(app, factory, session):
    case, award, clerk, respondent, chair = _awarded(factory, session, REASONS)
    claimant = case.claimant_user
    proposal = redaction.propose(case, award, user=claimant, side=Side.CLAIMANT,
                                 passage="Article 12", reason="x",
                                 expected_version=None)  # fmt: skip
    redaction.no_more(case, award, user=claimant, side=Side.CLAIMANT, expected_version=None)
    with pytest.raises(TransitionRefused, match="proposes no more passages"):
        redaction.propose(case, award, user=claimant, side=Side.CLAIMANT, passage="Mr Arman",
                          reason="x", expected_version=None)  # fmt: skip
    with pytest.raises(TransitionRefused, match="proposes no more passages"):
        redaction.no_more(case, award, user=claimant, side=Side.CLAIMANT, expected_version=None)
    assert redaction.decisions(case)[0].open  # the respondent may still propose
    redaction.no_more(case, award, user=respondent, side=Side.RESPONDENT, expected_version=None)
    decision = redaction.decisions(case)[0]
    assert not decision.open and decision.done == {Side.CLAIMANT, Side.RESPONDENT}
    assert guards.nothing_to_redact(case) is not None  # nobody proposes any more
    assert guards.not_ready(award, case) == "The tribunal has not decided every proposal yet."
    redaction.decide(case, proposal, chair=chair, withhold=True, reason=None, expected_version=None)
    # Within the 60 days, and yet ready: published today.
    publication = publishing.publish_in_full(case, award, user=clerk, expected_version=None)
    assert "Article 12" not in str(session.get(type(award), publication.published_id).values)
    said = case.events_of("no_more_redactions")  # both in the trail
    assert [e.data["party"] for e in said] == ["claimant", "respondent"]


def test_a_rule_set_may_publish_nothing_without_consent(factory, session):
    case, award, _clerk, _respondent, chair = _awarded(
        factory, session, REASONS, consent=Consent.REFUSED
    )
    admin = factory.user(Role.ADMIN)
    current = rules_for(case)
    rules = current | {key: setting(current, key) for key in NUMBERS}
    nothing = new_rule_set(session, name="Nothing without consent", by=admin,
                           rules=rules | {"excerpts_without_consent": False})  # fmt: skip
    case.rule_set_version = nothing.version
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        assert guards.not_for_an_excerpt(case) == (
            "Under the case's rule set nothing of a decision is published without both "
            "sides' consent."
        )
        with pytest.raises(TransitionRefused, match="nothing of a decision is published"):
            publishing.publish_excerpt(case, award, chair=chair, excerpt="Article 12",
                                       expected_version=None)  # fmt: skip
    assert redaction.published(award) is None


def test_the_period_is_the_rule_sets(factory, session):
    case, award, *_ = _awarded(factory, session, REASONS)
    admin = factory.user(Role.ADMIN)
    current = rules_for(case)
    rules = current | {key: setting(current, key) for key in NUMBERS}
    rules |= {"redaction_days": 30, "excerpts_without_consent": True}
    shorter = new_rule_set(session, name="Shorter", rules=rules, by=admin)
    issued = award.issued_at.astimezone(ALMATY).date()
    assert guards.proposals_close_on(award, case) == issued + dt.timedelta(days=60)
    case.rule_set_version = shorter.version
    assert guards.proposals_close_on(award, case) == issued + dt.timedelta(days=30)


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9)


@pytest.mark.real_pdf
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils): make test installs it")
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=st.lists(WORDS, min_size=12, max_size=40, unique=True), data=st.data())
def test_withheld_passages_are_nowhere_in_what_is_published(app, factory, session, words, data):
    # Each word unique and tagged, so a passage can only be found where the award put it.
    tokens = [f"{w}{i}q" for i, w in enumerate(words)]
    reasons = " ".join(tokens)
    case, award, clerk, _respondent, chair = _awarded(factory, session, reasons)
    spans: list[str] = []
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(tokens) - 1))
        end = data.draw(st.integers(start + 1, min(len(tokens), start + 4)))
        spans.append(" ".join(tokens[start:end]))
    for span in spans:
        proposal = redaction.propose(case, award, user=case.claimant_user, side=Side.CLAIMANT,
                                     passage=span, reason="x", expected_version=None)  # fmt: skip
        redaction.decide(case, proposal, chair=chair, withhold=True, reason=None,
                         expected_version=None)  # fmt: skip
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        publication = publishing.publish_in_full(case, award, user=clerk, expected_version=None)
    version = session.get(type(award), publication.published_id)
    pdf = rulings.ruling_pdf(session, version)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "published.pdf"
        path.write_bytes(pdf)
        shown = subprocess.run(  # noqa: S603 - poppler's pdftotext on our own file
            [PDFTOTEXT, str(path), "-"], capture_output=True, check=True
        )
    text = " ".join(shown.stdout.decode().split())
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    xmp = (
        reader.xmp_metadata.stream.get_data().decode(errors="replace")
        if reader.xmp_metadata
        else ""
    )  # noqa: E501
    # Every object of the file, streams decompressed: outlines, annotations, fonts, pages.
    objects = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001, S112 - a number the file does not use
            continue
        objects.append(str(obj))
        if hasattr(obj, "get_data"):
            objects.append(obj.get_data().decode("latin-1", errors="replace"))
    everything = "\n".join(objects)
    fields = " ".join(str(f) for f in (reader.get_fields() or {}).values())
    attachments = " ".join(str(a) for a in reader.attachments)
    entries.refresh_pending(session)
    html = browser_for(app).get(f"/public-register/{case.number}").text
    assert "[\u2026]" in text  # the marker stands where the passages stood
    for span in spans:
        places = {"text": text, "metadata": metadata, "xmp": xmp, "fields": fields,
                  "attachments": attachments, "html": html}  # fmt: skip
        for where, found in places.items():
            assert span not in found, (span, where)
        # Nor any word of it (a word is unique to its place in the award), in any form.
        for token in span.split():
            assert token not in text and token not in everything, (token, "file")
