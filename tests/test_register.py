"""The public register: which cases it lists and what it says of them, its filters, search
and pages, each entry's page, and the open data (CSV, JSON, Atom, sitemap)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - the portal's own feed and sitemap

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.cases.subject import LegalBasis, Sector
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.publication import entries, register
from dispute_portal.publication.models import Outcome, RegisterEntry, Stage
from dispute_portal.publication.opendata import FIELDS
from dispute_portal.workflow.states import CaseState

from .conftest import hidden, link

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _entry(session, case) -> RegisterEntry | None:
    entries.refresh_pending(session)  # as the transaction would commit
    session.expire_all()
    return session.get(RegisterEntry, case.id)


def _xml(browser, url: str) -> ET.Element:
    return ET.fromstring(browser.get(url).get_data())  # noqa: S314 - the portal's own XML


def _names(case, claimant: str, respondent: str) -> None:
    case.claimant.name, case.respondent.name = claimant, respondent


def test_a_case_enters_the_register_when_it_is_registered(factory, session, browser):
    filed = factory.case(CaseState.SUBMITTED)
    registered = factory.case(CaseState.REGISTERED)
    assert _entry(session, filed) is None and factory.case(CaseState.RETURNED).number is None
    entry = _entry(session, registered)
    assert entry.number == registered.number and entry.stage is Stage.REGISTERED
    assert entry.claimant == "Steppe Solar Energy LLP"
    assert entry.respondent == "Akimat of Alatau City"
    assert (entry.sector, entry.basis) == (Sector.ENERGY, LegalBasis.INVESTMENT_LAW)
    assert entry.outcome is None and entry.neutrals == []

    page = browser.get(f"/public-register/{registered.number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Steppe Solar Energy LLP" in text and "Electric power and other energy" in text
    assert "Investment law of Kazakhstan" in text and "Not appointed yet." in text
    # Nothing of the claim that is not the register's: the summary, the address, the email.
    for private in ("The land lease was terminated.", "Al-Farabi avenue", "legal@steppe-solar"):
        assert private not in text
    # A filing not registered has no public page, under its reference or any other name.
    assert browser.get(f"/public-register/F-{filed.id:06d}").status_code == 404
    assert browser.get("/public-register/ADR-1999-0001").status_code == 404


def test_the_entry_follows_the_case_to_its_outcome(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    mediator.nationality = "GB"
    session.flush()
    entry = _entry(session, case)
    assert entry.stage is Stage.MEDIATION
    assert entry.neutrals == [{"capacity": "mediator", "name": mediator.name, "nationality": "GB"}]
    proceedings.act(case, user=mediator, action="settle", reason="Terms.", expected_version=None)
    session.flush()
    settled = _entry(session, case)
    assert (settled.stage, settled.outcome) == (Stage.CONCLUDED, Outcome.SETTLED)
    assert settled.concluded_at is not None
    proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    session.flush()
    # Closed, it still says how it ended.
    assert _entry(session, case).outcome is Outcome.SETTLED


def test_a_savepoint_rolled_back_forgets_no_case_touched_before_it(factory, session):
    """As the scheduler's run does when one case moved on: its savepoint is rolled back,
    and the cases acted on before it still get their entries as the run commits."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    session.commit()
    proceedings.act(case, user=mediator, action="settle", reason="Terms.", expected_version=None)
    session.flush()
    session.begin_nested().rollback()
    session.commit()
    session.expire_all()
    assert session.get(RegisterEntry, case.id).stage is Stage.CONCLUDED


def test_a_tribunal_and_its_award_are_listed(factory, session):
    case = factory.case(CaseState.AWARDED)
    entry = _entry(session, case)
    assert (entry.stage, entry.outcome) == (Stage.CONCLUDED, Outcome.AWARDED)
    assert [n["capacity"] for n in entry.neutrals] == ["mediator", "sole"]


def test_rebuilding_makes_the_entries_the_hook_keeps(factory, session):
    cases = [factory.case(s) for s in (CaseState.MEDIATION, CaseState.WITHDRAWN, CaseState.CLOSED)]
    columns = [c for c in RegisterEntry.__table__.c if c.name != "changed_at"]

    def snapshot():
        return sorted(tuple(r) for r in session.execute(select(*columns)))

    entries.refresh_pending(session)  # as the transactions that made them would commit
    kept = snapshot()
    assert len(kept) == len(cases)
    assert entries.rebuild(session) == len(cases)
    assert snapshot() == kept
    assert entries.fill_if_empty(session) is None  # not empty: left as it is


def test_filters_and_search(factory, session, browser):
    solar = factory.case(CaseState.REGISTERED)
    _names(solar, "Steppe Solar Energy LLP", "Akimat of Alatau City")
    hotel = factory.case(CaseState.MEDIATION)
    _names(hotel, "Lakeside Hotels AG", "Ministry of Tourism")
    hotel.sector, hotel.legal_basis = Sector.TOURISM, LegalBasis.TREATY
    withdrawn = factory.case(CaseState.WITHDRAWN)
    _names(withdrawn, "Nomad Cement JSC", "Akimat of Alatau City")
    entries.refresh_pending(session)

    def listed(query: str) -> set[str]:
        page = browser.get(f"/public-register?{query}")
        assert page.status_code == 200, page.get_data(as_text=True)
        text = page.get_data(as_text=True)
        return {c.number for c in (solar, hotel, withdrawn) if c.number in text}

    everyone = {solar.number, hotel.number, withdrawn.number}
    assert listed("") == everyone
    assert listed("sector=tourism") == {hotel.number}
    assert listed("basis=treaty") == {hotel.number}
    assert listed("stage=mediation") == {hotel.number}
    assert listed("stage=concluded&outcome=withdrawn") == {withdrawn.number}
    year = _entry(session, solar).year
    assert listed(f"year={year}") == everyone
    # Words of a name, any case, any form; a number with or without its zeros.
    assert listed("q=lakeside+hotel") == {hotel.number}
    assert listed("q=MINISTRY") == {hotel.number}
    assert listed(f"q={hotel.number}") == {hotel.number}
    assert listed("q=lakeside+akimat") == set()
    # What is not the register's is not searched: the summary, the project, an email.
    assert listed("q=steppe+solar") == {solar.number}
    assert listed("q=terminated") == listed("q=solar+park") == listed("q=legal%40steppe") == set()
    # Query syntax is only ever words.
    assert listed("q=%22%27+OR+1%3D1+--") == set()


@pytest.mark.parametrize("query", ["sector=mining", "year=abc", "stage=closed", "outcome=lost"])
def test_a_filter_not_offered_is_refused_with_a_message(factory, browser, query):
    factory.case(CaseState.REGISTERED)
    page = browser.get(f"/public-register?{query}")
    assert page.status_code == 400 and "Not a valid choice" in page.get_data(as_text=True)


def test_pages_run_by_keyset(factory, session, browser, monkeypatch):
    monkeypatch.setattr(register, "PAGE_SIZE", 2)
    made = [factory.case(CaseState.REGISTERED) for _ in range(5)]
    entries.refresh_pending(session)
    seen: list[str] = []
    url = "/public-register?stage=registered"
    while url:
        text = browser.get(url).get_data(as_text=True)
        shown = [c.number for c in made if f">{c.number}<" in text]
        seen += sorted(shown, key=lambda number: text.index(f">{number}<"))
        url = link(text, "Next page")
    assert sorted(seen) == sorted(c.number for c in made) and len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)  # newest registration first


def test_the_open_data(factory, session, browser):
    clerk = factory.user(Role.CLERK)
    first = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediated = factory.case(CaseState.MEDIATION, clerk=clerk)
    _names(first, '=HYPERLINK("x")', "Akimat of Alatau City")
    entries.refresh_pending(session)

    exported = browser.get("/public-register.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert tuple(rows[0]) == FIELDS
    by_number = {r["number"]: r for r in rows}
    assert set(by_number) == {first.number, mediated.number}
    assert by_number[first.number]["claimant"] == '\'=HYPERLINK("x")'  # never a formula
    assert by_number[mediated.number]["neutrals"].startswith("mediator: ")
    assert by_number[first.number]["sector"] == "energy"
    assert by_number[first.number]["url"].endswith(f"/public-register/{first.number}")

    records = json.loads(browser.get("/public-register.json?stage=mediation").get_data())
    assert [r["number"] for r in records] == [mediated.number]
    assert tuple(records[0]) == FIELDS and records[0]["stage"] == "mediation"
    assert records[0]["neutrals"][0]["role"] == "mediator"

    feed = _xml(browser, "/public-register.atom")
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles[0].startswith(mediated.number) and len(titles) == 2

    index = _xml(browser, "/sitemap.xml")
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert len(parts) == 1
    urls = _xml(browser, parts[0].replace("http://localhost", ""))
    listed = [loc.text for loc in urls.iter(f"{SITEMAP}loc")]
    assert any(u.endswith(f"/public-register/{first.number}") for u in listed)
    assert any(u.endswith("/public-register") for u in listed)
    assert browser.get("/sitemap-2.xml").status_code == 404


def test_the_register_is_linked_from_every_page(browser):
    page = browser.get("/login").get_data(as_text=True)
    assert link(page, "Register of cases") == "/public-register"


def test_the_registrys_own_request_makes_the_entry(factory, login_as, session, browser):
    """No test hook: the clerk's request commits, and the entry is made as it commits."""
    clerk_browser, clerk = login_as("clerk")
    case = factory.case(CaseState.SUBMITTED, clerk=clerk)
    page = clerk_browser.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    answer = clerk_browser.post(f"/registry/cases/{case.id}/register", {"version": hidden(page)})
    assert answer.status_code == 302
    session.expire_all()
    assert browser.get(f"/public-register/{case.number}").status_code == 200
