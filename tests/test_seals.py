"""Sealing: the registry or the tribunal seals a whole case, a party's name, a party's
contact details or a document, with reasons, and lifts a seal; who may; what each seal
hides and from whom; and that a sealed item is found by no public means."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.errors import TransitionRefused
from dispute_portal.parties.models import Side
from dispute_portal.publication import entries, sealing
from dispute_portal.publication.models import RegisterEntry, Seal, SealTarget
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for


def _seal(browser, case, what: str, reason: str = "Commercially sensitive."):
    return browser.post(
        f"/cases/{case.id}/seals",
        {"seal-what": what, "seal-reason": reason, "seal-version": str(case.version)},
    )


def _text(browser, url: str) -> str:
    answer = browser.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


@pytest.fixture
def cast(factory, session):
    """A case in arbitration: the clerk, both sides, the sole arbitrator (the chair)."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    chair = factory.tribunal(case, clerk)[0]
    session.flush()
    return case, clerk, respondent, chair


def test_the_clerk_seals_the_case_and_lifts_the_seal(app, cast, session):
    case, clerk, _, _ = cast
    entries.refresh_pending(session)
    public = browser_for(app)
    assert public.get(f"/public-register/{case.number}").status_code == 200
    browser = browser_for(app, clerk)
    assert _seal(browser, case, "case", reason="").status_code == 400  # reasons are required
    answer = _seal(browser, case, "case", reason="A sealing order of the tribunal.")
    assert answer.status_code == 302
    session.expire_all()
    assert public.get(f"/public-register/{case.number}").status_code == 404
    assert case.number not in _text(public, "/public-register.csv")
    event = case.last_event("seal")
    assert event.note == "A sealing order of the tribunal."
    assert event.data["target"] == "case"
    # Sealed once is enough: the form no longer offers it.
    assert _seal(browser, case, "case").status_code == 400

    page = _text(browser, f"/cases/{case.id}/seals")
    seal_id = re.search(rf"/cases/{case.id}/seals/(\d+)/lift", page).group(1)
    lifted = browser.post(
        f"/cases/{case.id}/seals/{seal_id}/lift",
        {"lift-reason": "The order was set aside.", "lift-version": str(case.version)},
    )
    assert lifted.status_code == 302
    session.expire_all()
    assert public.get(f"/public-register/{case.number}").status_code == 200
    assert case.last_event("unseal").note == "The order was set aside."
    assert session.get(Seal, int(seal_id)).lift_reason == "The order was set aside."


@pytest.mark.parametrize(
    ("who", "status"), [("clerk", 200), ("chair", 200), ("claimant", 403), ("respondent", 403)]
)
def test_who_may_seal(app, cast, factory, who, status):
    case, clerk, respondent, chair = cast
    user = {"clerk": clerk, "chair": chair, "claimant": case.claimant_user}.get(who, respondent)
    browser = browser_for(app, user)
    assert browser.get(f"/cases/{case.id}/seals").status_code == status
    assert _seal(browser, case, "case").status_code == (302 if status == 200 else status)
    stranger = browser_for(app, factory.user(Role.INVESTOR))
    assert stranger.get(f"/cases/{case.id}/seals").status_code == 404


def test_a_sealed_name_is_confidential_in_the_register(app, cast, session):
    case, clerk, _, _ = cast
    case.claimant.name = "Quietwater Holdings BV"
    sealing.seal(case, user=clerk, target=SealTarget.PARTY_NAME, side=Side.CLAIMANT,
                 reason="Confidentiality agreement.", expected_version=None)  # fmt: skip
    entries.refresh_pending(session)
    assert session.get(RegisterEntry, case.id).claimant is None
    public = browser_for(app)
    page = _text(public, f"/public-register/{case.number}")
    assert "Confidential" in page and "Quietwater" not in page
    assert case.number not in _text(public, "/public-register?q=quietwater")
    # Everyone on the case still reads it.
    assert "Quietwater Holdings BV" in _text(browser_for(app, clerk), f"/cases/{case.id}")


def test_sealed_contact_details_are_for_their_side_and_the_centre(app, cast, session):
    case, clerk, respondent, chair = cast
    address = case.claimant.address
    sealing.seal(case, user=chair, target=SealTarget.PARTY_CONTACT, side=Side.CLAIMANT,
                 reason="The claimant's staff were threatened.", expected_version=None)  # fmt: skip
    session.flush()
    for reader in (case.claimant_user, clerk, chair):
        assert address in _text(browser_for(app, reader), f"/cases/{case.id}")
    other_side = _text(browser_for(app, respondent), f"/cases/{case.id}")
    assert address not in other_side and "Sealed by order" in other_side
    assert case.claimant.email not in other_side


def test_a_sealed_document_is_for_its_side_and_the_centre(app, cast, factory, session):
    case, clerk, respondent, chair = cast
    document = factory.file(case, case.claimant_user, Visibility.PARTIES, "Trade secrets")
    url = f"/cases/{case.id}/documents/{document.id}"
    other = browser_for(app, respondent)
    assert other.get(url).status_code == 200
    sealing.seal(case, user=clerk, target=SealTarget.DOCUMENT, document=document,
                 reason="Trade secrets of the claimant.", expected_version=None)  # fmt: skip
    session.flush()
    assert other.get(url).status_code in (403, 404)
    # Gone from its list of documents (the trail still says that it was filed: the trail is
    # never rewritten).
    assert url not in _text(other, f"/cases/{case.id}")
    for reader in (case.claimant_user, clerk, chair):
        assert browser_for(app, reader).get(url).status_code == 200


def test_verify_names_no_sealed_case(app, cast, session):
    case, clerk, _, _ = cast
    ruling = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "registration_notice")
    ).one()
    session.commit()  # the transparency log takes the ruling as it commits
    public = browser_for(app)
    assert case.number in _text(public, f"/verify?code={ruling.verification_code}")
    sealing.seal(case, user=clerk, target=SealTarget.CASE, reason="Sealed.", expected_version=None)
    session.commit()
    page = _text(public, f"/verify?code={ruling.verification_code}")
    assert "Authentic" in page and case.number not in page and "Confidential" in page


def test_a_seal_needs_its_object(cast):
    case, clerk, _, _ = cast
    with pytest.raises(TransitionRefused):
        sealing.seal(case, user=clerk, target=SealTarget.PARTY_NAME, reason="x",
                     expected_version=None)  # fmt: skip
    assert case.seals == []


# Nothing sealed is found by any public means -------------------------------------------------

PUBLIC_STARTS = (
    "/",
    "/public-register",
    "/public-register.csv",
    "/public-register.json",
    "/public-register.atom",
    "/sitemap.xml",
    "/verify",
    "/fees",
)
ECHO = re.compile(r'(?<=value=")[^"]*|(?<=[?&;]q=)[^"&]*')
LINK = re.compile(r'(?:href="|<loc>)(?:http://localhost)?(/[^"<#]*)')


def _crawl(browser, starts) -> dict[str, str]:
    """Every page an anonymous visitor reaches from `starts` by following links."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < 400:
        url = queue.pop(0).replace("&amp;", "&")
        if url in seen or url.startswith(("/login", "/register", "/password", "/static")):
            continue
        answer = browser.get(url)
        seen[url] = answer.get_data(as_text=True) if answer.status_code == 200 else ""
        # A search page repeats what was asked (the box, its links' query strings): that is
        # the visitor's own text, not something the page found.
        seen[url] = ECHO.sub("", seen[url])
        if answer.status_code == 200 and answer.mimetype.endswith(("html", "xml")):
            queue += [u for u in LINK.findall(seen[url]) if u not in seen]
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nothing_sealed_is_found_by_any_public_means(app, factory, session, seed):
    r = random.Random(seed)
    clerk = factory.user(Role.CLERK)
    secrets: list[str] = []
    shown: list[str] = []
    codes: list[str] = []
    # Each kind of seal on a case of its own, in a random order, on cases in random states.
    kinds = ["case", "claimant", "respondent", "contact", "document", "none"]
    r.shuffle(kinds)
    for i, choice in enumerate(kinds):
        state = r.choice([CaseState.REGISTERED, CaseState.MEDIATION, CaseState.SETTLED])
        case = factory.case(state, clerk=clerk)
        tag = f"{seed}{i}{r.randrange(10**6):06d}"
        case.claimant.name, case.respondent.name = f"Claimant Q{tag}", f"Respondent Q{tag}"
        case.claimant.address = f"Street Q{tag}"
        document = case.documents[0]
        document.original_name = f"Exhibit Q{tag}.pdf"
        session.flush()
        codes += session.scalars(select(Ruling.verification_code).where(Ruling.case_id == case.id))
        if choice == "case":
            sealing.seal(case, user=clerk, target=SealTarget.CASE, reason="Order.",
                         expected_version=None)  # fmt: skip
            secrets += [case.number, f"Q{tag}"]
        elif choice in ("claimant", "respondent"):
            sealing.seal(case, user=clerk, target=SealTarget.PARTY_NAME, side=Side(choice),
                         reason="Order.", expected_version=None)  # fmt: skip
            secrets.append(f"{choice.title()} Q{tag}")
            shown.append(case.number)
        elif choice == "contact":
            sealing.seal(case, user=clerk, target=SealTarget.PARTY_CONTACT, side=Side.CLAIMANT,
                         reason="Order.", expected_version=None)  # fmt: skip
            shown.append(case.number)
        elif choice == "document":
            sealing.seal(case, user=clerk, target=SealTarget.DOCUMENT, document=document,
                         reason="Order.", expected_version=None)  # fmt: skip
            shown.append(case.number)
        else:
            shown += [case.number, f"Claimant Q{tag}"]
        # What no public page ever shows, sealed or not.
        secrets += [f"Street Q{tag}", f"Exhibit Q{tag}"]
    session.commit()
    public = browser_for(app)
    starts = [*PUBLIC_STARTS, *(f"/verify?code={c}" for c in codes)]
    starts += [f"/public-register?q={word}" for s in secrets for word in s.split()]
    pages = _crawl(public, starts)
    everything = "\n".join(pages.values())
    leaks = [(s, url) for s in secrets for url, page in pages.items() if s.lower() in page.lower()]
    assert not leaks, f"found by the public: {leaks}"
    # The crawl does reach what is public: an unsealed case's number and names.
    assert all(s in everything for s in shown) and len(pages) > len(PUBLIC_STARTS)
