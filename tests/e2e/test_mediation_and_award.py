"""A mediator's day and an arbitrator's award, in a real browser, on the demo data
(`flask seed-demo`, README "Demo logins"). Every page the tests reach is checked with axe-core.

Both tests change the demo portal they share (one database for the session): the mediator
works on the Silk Road Logistics Hub and Steppe Solar cases, the arbitrator on Kazakh Wind
Partners, so they do not depend on each other's order.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .test_journey import MONTHS, Auditor, almaty_today, heading, log_in, main_nav

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Alatau-Demo-2026!"  # README, "Demo logins"
MEDIATOR = "mediator@demo.adr.kz"
MEDIATOR_NAME = "Sarah Whitfield"
ARBITRATOR = "arbitrator@demo.adr.kz"  # the demo gives this account a Kazakh interface
INVESTOR = "investor@demo.adr.kz"  # the claimant of Steppe Solar and Kazakh Wind

SILK_ROAD = "Silk Road Logistics Hub Ltd v. State Revenue Department of Alatau City"
STEPPE_SOLAR = "Steppe Solar Energy LLP v. Akimat of Alatau City"
KAZAKH_WIND = "Kazakh Wind Partners LLP v. Akimat of Alatau City"
CASELOAD_TABLE = "Cases where you sit or are asked to sit"
REFERENCE = re.compile(r"^ADR-\d{4}-\d{4}$")

VIDEO_LINK = "https://meet.adr.alatau.kz/silk-road-first-session"
PRIVATE_NOTE = "Private: the claimant's director would settle below USD 40 million."
SEEDED_NOTE = "The respondent may accept a new plot of equal value"  # the demo's own note
SETTLEMENT_TERMS = (
    "1. The respondent grants the claimant a lease of plot No. 27-C on the same terms.\n\n"
    "2. The claimant withdraws all claims concerning the terminated lease."
)
DELAY_REASONS = "The expert report on the grid capacity reached the tribunal late."
DEFAULT_REASONS = (
    "The respondent, duly notified, did not appear at the hearing of 14 October and gave no "
    "reason. The proceedings continue."
)
AWARD_TEXT = (
    "The refusal of the grid connection breached the investment agreement.\n\n"
    "The respondent shall pay the claimant USD 3,100,000 within 60 days."
)


def day_text(day: dt.date) -> str:
    """A day as the portal writes it in English ("d MMM y", e.g. 3 Dec 2026)."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def case_state(page: Page):
    """The line above a case's title: its reference and its state, in words."""
    return page.locator("p.case-ref")


def region(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def arrive_logged_in(page: Page, audit: Auditor) -> None:
    """After the login form: the user's landing page (their cases or their caseload)."""
    expect(page).to_have_url(re.compile(r"/(cases/|caseload)$"))
    audit.check()


def open_caseload(page: Page, audit: Auditor) -> None:
    main_nav(page).get_by_role("link", name="Caseload").click()
    expect(heading(page, "My caseload")).to_be_visible()
    audit.check()


def caseload_row(page: Page, title: str):
    table = page.get_by_role("table", name=CASELOAD_TABLE)
    return table.get_by_role("row").filter(has_text=title)


def open_case_from_row(page: Page, audit: Auditor, row, title: str) -> str:
    link = row.get_by_role("link", name=REFERENCE)
    reference = link.inner_text()
    link.click()
    expect(heading(page, title)).to_be_visible()
    expect(case_state(page)).to_contain_text(reference)
    audit.check()
    return reference


def preview_frame(page: Page, ruling_title: str):
    return page.get_by_title(f"Preview: {ruling_title}", exact=True).content_frame


def claimant_logs_in(new_context) -> tuple[Page, Auditor]:
    """The claimant, in a browser of her own, logged in and on "My cases"."""
    claimant = new_context().new_page()
    audit = Auditor(claimant)
    claimant.goto("/")
    audit.check()
    log_in(claimant, audit, INVESTOR, DEMO_PASSWORD)
    expect(heading(claimant, "My cases")).to_be_visible()
    audit.check()
    return claimant, audit


def test_mediator_accepts_schedules_keeps_a_note_and_records_a_settlement(
    new_context, demo_server
) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    log_in(page, audit, MEDIATOR, DEMO_PASSWORD)
    arrive_logged_in(page, audit)

    # The caseload: every case with its state and next deadline, the overdue one marked.
    open_caseload(page, audit)
    silk_road = caseload_row(page, SILK_ROAD)
    expect(silk_road).to_contain_text("Registered")
    expect(silk_road).to_contain_text("Appointment of the mediator")
    expect(silk_road.get_by_role("link", name="Awaiting your answer")).to_be_visible()
    overdue = silk_road.get_by_text("Overdue", exact=True)
    expect(overdue).to_be_visible()
    expect(overdue).to_have_class(re.compile(r"\boverdue\b"))  # a word and a style, not colour
    steppe_solar = caseload_row(page, STEPPE_SOLAR)
    expect(steppe_solar).to_contain_text("In mediation")
    expect(steppe_solar).to_contain_text("Conclusion of mediation")
    expect(steppe_solar.get_by_text("Overdue", exact=True)).to_have_count(0)

    # She accepts the Silk Road mediation by signing the declaration.
    open_case_from_row(page, audit, silk_road, SILK_ROAD)
    expect(case_state(page)).to_contain_text("Registered")
    page.get_by_role("link", name="Accept the appointment").click()
    expect(heading(page, "You are asked to sit as Mediator")).to_be_visible()
    expect(
        page.get_by_role("heading", name="DECLARATION OF INDEPENDENCE AND IMPARTIALITY")
    ).to_be_visible()
    expect(page.get_by_text(f"I, {MEDIATOR_NAME}, accept to serve as Mediator")).to_be_visible()
    audit.check()
    page.get_by_label("I sign this declaration").check()
    page.get_by_role("button", name="Sign and accept").click()
    expect(heading(page, SILK_ROAD)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "You accepted the appointment. The case is now in mediation."
    )
    expect(case_state(page)).to_contain_text("In mediation")
    expect(region(page, "People")).to_contain_text(f"{MEDIATOR_NAME} — Accepted")
    audit.check()

    # A session by video, a week from now.
    page.get_by_role("link", name="Schedule a session").click()
    expect(heading(page, "Schedule a session")).to_be_visible()
    audit.check()
    session_day = almaty_today() + dt.timedelta(days=7)
    page.get_by_label(re.compile(r"^Date")).fill(session_day.isoformat())
    page.get_by_label(re.compile(r"^Time \(Almaty\)")).fill("10:30")
    page.get_by_label(re.compile(r"^Video link")).fill(VIDEO_LINK)
    page.get_by_label(re.compile(r"^Agenda")).fill("First joint session: the licence.")
    page.get_by_role("button", name="Schedule a session").click()
    expect(heading(page, SILK_ROAD)).to_be_visible()
    meetings = region(page, "Sessions and hearings")
    expect(meetings).to_contain_text(f"Mediation session — {day_text(session_day)}, 10:30")
    expect(meetings.get_by_role("link", name=VIDEO_LINK)).to_have_attribute("href", VIDEO_LINK)
    audit.check()

    # On the Steppe Solar mediation (whose claimant looks in below), a private note.
    open_caseload(page, audit)
    reference = open_case_from_row(page, audit, caseload_row(page, STEPPE_SOLAR), STEPPE_SOLAR)
    expect(case_state(page)).to_contain_text("In mediation")
    page.get_by_role("link", name="My private notes").click()
    expect(heading(page, "My private notes")).to_be_visible()
    audit.check()
    page.get_by_label(re.compile(r"^New note")).fill(PRIVATE_NOTE)
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_role("status")).to_have_text("Your note was saved.")
    notes = region(page, "Notes, newest first").get_by_role("listitem")
    expect(notes).to_have_count(2)  # hers, then the one the demo left a day ago
    expect(notes.first).to_contain_text(PRIVATE_NOTE)
    expect(notes.last).to_contain_text(SEEDED_NOTE)
    audit.check()
    page.get_by_role("link", name=f"Back to the case: {STEPPE_SOLAR}").click()
    expect(heading(page, STEPPE_SOLAR)).to_be_visible()
    audit.check()

    # The mediation ends in a settlement; the form's preview shows the record.
    page.get_by_role("link", name="Record the settlement").click()
    expect(heading(page, "Record the settlement")).to_be_visible()
    audit.check()
    page.get_by_label(re.compile(r"^Terms of settlement")).fill(SETTLEMENT_TERMS)
    page.get_by_role("button", name="Preview").click()
    preview = preview_frame(page, "Record of settlement")
    expect(preview.get_by_text("Record of settlement").first).to_be_visible()
    expect(preview.get_by_text("plot No. 27-C")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Record the settlement").click()
    expect(heading(page, STEPPE_SOLAR)).to_be_visible()
    expect(case_state(page)).to_contain_text("Settled")
    rulings = region(page, "Decisions and notices")
    expect(rulings.get_by_role("link", name="Record of settlement (PDF)")).to_be_visible()
    audit.check()

    # The mediation is over: her notes stay hers to read, and she writes no more.
    page.get_by_role("link", name="My private notes").click()
    expect(heading(page, "My private notes")).to_be_visible()
    expect(page.get_by_text("You can no longer add notes to this case")).to_be_visible()
    expect(page.get_by_role("button", name="Save the note")).to_have_count(0)
    expect(region(page, "Notes, newest first").get_by_role("listitem")).to_have_count(2)
    audit.check()
    page.set_viewport_size({"width": 375, "height": 800})
    audit.check()
    audit.assert_all_checked()

    # The claimant, in a browser of her own, sees the settlement and none of the notes.
    claimant, claimant_audit = claimant_logs_in(new_context)
    row = claimant.get_by_role("row").filter(
        has=claimant.get_by_role("link", name=reference, exact=True)
    )
    expect(row).to_contain_text("Settled")
    claimant_audit.check()
    row.get_by_role("link", name=reference, exact=True).click()
    expect(heading(claimant, STEPPE_SOLAR)).to_be_visible()
    expect(case_state(claimant)).to_contain_text("Settled")
    expect(
        region(claimant, "Decisions and notices").get_by_role(
            "link", name="Record of settlement (PDF)"
        )
    ).to_be_visible()
    # The session the mediator had set for three days on is no longer ahead: not held.
    sessions = region(claimant, "Sessions and hearings")
    expect(sessions).to_contain_text("No session or hearing is scheduled.")
    expect(sessions.get_by_role("heading", name="Earlier sessions and hearings")).to_be_visible()
    expect(sessions.get_by_text("Not held: that stage of the case has ended.")).to_have_count(1)
    expect(sessions.get_by_role("link", name=re.compile("steppe-solar"))).to_have_count(0)
    expect(claimant.get_by_role("link", name="My private notes")).to_have_count(0)
    body = claimant.locator("body")
    expect(body).not_to_contain_text(PRIVATE_NOTE)
    expect(body).not_to_contain_text(SEEDED_NOTE)
    claimant_audit.check()
    claimant_audit.assert_all_checked()


def test_arbitrator_gives_notice_of_delay_and_issues_the_award(new_context, demo_server) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    log_in(page, audit, ARBITRATOR, DEMO_PASSWORD)
    arrive_logged_in(page, audit)  # in Kazakh, the language of his account
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.get_by_role("combobox", name=re.compile(r"^(Тіл|Language)$")).select_option("en")
    page.get_by_role("button", name=re.compile(r"^(Ауыстыру|Change)$")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check()

    # The caseload shows the award overdue.
    open_caseload(page, audit)
    row = caseload_row(page, KAZAKH_WIND)
    expect(row).to_contain_text("In arbitration")
    expect(row).to_contain_text("Sole arbitrator")
    expect(row).to_contain_text("The award")
    expect(row.get_by_text("Overdue", exact=True)).to_be_visible()

    # On the case page, the award's time limit is marked overdue.
    open_case_from_row(page, audit, row, KAZAKH_WIND)
    deadlines = page.get_by_role("table", name="Time limits of this case")
    award_deadline = deadlines.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="The award", exact=True)
    )
    expect(award_deadline.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(award_deadline).to_have_class(re.compile(r"\bdeadline-overdue\b"))
    overdue_since = award_deadline.get_by_role("cell").first.inner_text().splitlines()[0].strip()

    # A notice of delay with a new expected date moves the time limit.
    page.get_by_role("link", name="Issue a notice of delay").click()
    expect(heading(page, "Issue a notice of delay")).to_be_visible()
    expect(page.get_by_text(f"The award was due on {overdue_since}.")).to_be_visible()
    audit.check()
    expected_on = almaty_today() + dt.timedelta(days=30)
    page.get_by_label(re.compile(r"^Reasons")).fill(DELAY_REASONS)
    page.get_by_label(re.compile(r"^Date by which the tribunal expects")).fill(
        expected_on.isoformat()
    )
    page.get_by_role("button", name="Issue a notice of delay").click()
    expect(heading(page, KAZAKH_WIND)).to_be_visible()
    expect(case_state(page)).to_contain_text("In arbitration")
    rulings = region(page, "Decisions and notices")
    expect(rulings.get_by_role("link", name="Notice of delay of the award (PDF)")).to_be_visible()
    expect(award_deadline.get_by_text("Overdue", exact=True)).to_have_count(0)
    expect(award_deadline).not_to_have_class(re.compile(r"\bdeadline-overdue\b"))
    expect(award_deadline).to_contain_text(f"extended from {overdue_since}")
    due = award_deadline.get_by_role("cell").first.inner_text().splitlines()[0].strip()
    later = [day_text(expected_on + dt.timedelta(days=n)) for n in range(8)]
    assert due in later, (due, later)  # the chosen day, or the next business day
    audit.check()

    # Both sides joined; the respondent missed the hearing: the tribunal records its default
    # (on a phone-sized screen too). The case stays in arbitration.
    people = region(page, "People")
    expect(people.get_by_text("Joined the case")).to_have_count(2)
    page.get_by_role("link", name="Record that a party is in default").click()
    expect(heading(page, "Record that a party is in default")).to_be_visible()
    audit.check()
    page.set_viewport_size({"width": 375, "height": 800})
    audit.check()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("button", name="Record that a party is in default").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the party in default.")
    audit.check()
    page.get_by_role("radio", name="The respondent").check()
    page.get_by_label(re.compile(r"^The failure and the tribunal's finding")).fill(DEFAULT_REASONS)
    page.get_by_role("button", name="Record that a party is in default").click()
    expect(heading(page, KAZAKH_WIND)).to_be_visible()
    expect(case_state(page)).to_contain_text("In arbitration")
    expect(people).to_contain_text("In default (recorded on")
    expect(page.get_by_text("Party in default: the respondent")).to_be_visible()
    audit.check()

    # The award: drafted, previewed, issued.
    page.get_by_role("link", name="Issue the award").click()
    expect(heading(page, "Issue the award")).to_be_visible()
    audit.check()
    page.get_by_label(re.compile(r"^The award: the decision and its reasons")).fill(AWARD_TEXT)
    # The award decides the costs, and the respondent's counterclaim (the demo filed one).
    page.get_by_label("Each party bears its own costs").check()
    page.get_by_label("The decision on the counterclaim").fill("The counterclaim is dismissed.")
    page.get_by_role("button", name="Preview").click()
    preview = preview_frame(page, "Award")
    expect(preview.get_by_text("USD 3,100,000 within 60 days")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Issue the award").click()
    expect(heading(page, KAZAKH_WIND)).to_be_visible()
    expect(case_state(page)).to_contain_text("Award issued")
    award = rulings.get_by_role("link", name="Award (PDF)", exact=True)
    expect(award).to_be_visible()
    audit.check()

    # The award's PDF, fetched with the arbitrator's session.
    response = page.request.get(award.get_attribute("href"))
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf", response.headers
    assert response.body().startswith(b"%PDF"), response.body()[:20]
    audit.assert_all_checked()

    # The claimant reads until when a correction may be requested.
    claimant, claimant_audit = claimant_logs_in(new_context)
    claimant.get_by_role("row").filter(has_text=KAZAKH_WIND).get_by_role(
        "link", name=REFERENCE
    ).click()
    expect(heading(claimant, KAZAKH_WIND)).to_be_visible()
    expect(claimant.get_by_role("note")).to_contain_text(
        re.compile(
            r"Until \d{1,2} \w{3} \d{4} either party may request a correction or "
            r"interpretation of the award\."
        )
    )
    claimant_audit.check()
    claimant_audit.assert_all_checked()
