"""The written phase and preliminary objections in a browser, on the demo data: the chair's
timetable page (and its refusal of dates out of order), the decision on a request for
bifurcation, a party's objection and its pleading, each checked by the Auditor (axe-core, no
sideways scrolling, nothing left in English) on a desktop in English and a phone in Russian.

Nothing is changed: the cases are the demo's own (Altyn Dala in the written phase, Daniyar
Ospanov's with an objection to jurisdiction awaiting the decision on bifurcation), which no
other browser test uses.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_key_pages import DESKTOP, case_link, logged_in, visit

pytestmark = pytest.mark.e2e

WRITTEN_PHASE = "Altyn Dala Logistics Park LLP"
BIFURCATION = "Daniyar Ospanov"
PASSES = [
    pytest.param("en", DESKTOP, id="en-desktop"),
    pytest.param("ru", PHONE, id="ru-375px"),
]


@pytest.mark.parametrize(("language", "viewport"), PASSES)
def test_written_phase_and_objections(new_context, demo_server, language, viewport) -> None:
    with logged_in(new_context, viewport, language, "arbitrator@demo.adr.kz") as (page, audit):
        visit(page, audit, "/caseload")
        case = case_link(page, WRITTEN_PHASE)
        visit(page, audit, case)
        expect(page.locator(f"a[href='{case}/timetable']")).to_be_visible()
        visit(page, audit, f"{case}/timetable")
        # Out of order: the reply before the counter-memorial is refused beside the date.
        ahead = dt.date.today() + dt.timedelta(days=200)
        page.locator("#counter_memorial").fill(ahead.isoformat())
        page.locator("#reply").fill((ahead - dt.timedelta(days=100)).isoformat())
        page.locator("#reason").fill("№ 2")  # no English on a Russian page
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator("#reply-error")).to_be_visible()
        audit.check()
        visit(page, audit, "/caseload")
        other = case_link(page, BIFURCATION)
        visit(page, audit, other)
        visit(page, audit, f"{other}/objections/decide_bifurcation")
        expect(page.locator("input[name=granted]")).to_have_count(2)
    with logged_in(new_context, viewport, language, "respondent@demo.adr.kz") as (page, audit):
        visit(page, audit, "/cases/")
        case = case_link(page, WRITTEN_PHASE)
        visit(page, audit, case)
        visit(page, audit, f"{case}/objections/object_jurisdiction")
        expect(page.locator("input[name=bifurcation]")).to_be_visible()
        visit(page, audit, f"{case}/submissions/new?pleading=counter_memorial")
