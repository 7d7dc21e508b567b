"""The proceedings pages: the case page's panels, acts with reasons and previews, submissions
with per-document visibility, sessions and hearings, private notes, the audit trail and
deadline extensions — each by every role that may or may not use it."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Document, Visibility
from dispute_portal.db import utcnow
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.parties.models import Participant, Side, Standing
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.proceedings import presenter as proceedings_presenter
from dispute_portal.proceedings.models import Meeting, PrivateNote, Submission
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .factories import pdf_bytes, png_bytes
from .insider import bypass_triggers

ALMATY = ZoneInfo("Asia/Almaty")


# Helpers ----------------------------------------------------------------------------------


def add_respondent(factory, case, user=None):
    """The respondent's representative, joined to the case."""
    user = user or factory.user(Role.RESPONDENT)
    case.participants.append(
        Participant(
            user_id=user.id, user=user, side=Side.RESPONDENT, standing=Standing.REPRESENTATIVE
        )
    )
    factory.session.flush()
    return user


def rulings_of(session, case) -> list[str]:
    return list(
        session.scalars(select(Ruling.kind).where(Ruling.case_id == case.id).order_by(Ruling.id))
    )


def events_of(session, case, action: str) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.action == action)
            .order_by(CaseEvent.seq)
        )
    )


def section(page: str, section_id: str) -> str:
    """One <section id=...> of a page."""
    start = page.index(f'<section id="{section_id}"')
    return page[start : page.index("</section>", start)]


def local_day(days: int) -> str:
    return (utcnow().astimezone(ALMATY).date() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def mediation(factory, session):
    """A case in mediation with everyone who might look at it."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    people = {
        "claimant": case.claimant_user,
        "respondent": add_respondent(factory, case),
        "clerk": clerk,
        "mediator": mediator,
        "other_mediator": factory.user(Role.MEDIATOR),
        "admin": factory.user(Role.ADMIN),
        "stranger": factory.user(Role.INVESTOR),
    }
    session.commit()
    return case, people


@pytest.fixture
def arbitration(factory, session):
    """A case before a three-member tribunal (constituted)."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair, co, _co2 = factory.tribunal(case, clerk, size=3)
    mediator = next(a.user for a in case.appointments if not a.capacity.in_tribunal)
    people = {
        "claimant": case.claimant_user,
        "respondent": add_respondent(factory, case),
        "clerk": clerk,
        "mediator": mediator,
        "chair": chair,
        "co": co,
        "other_arbitrator": factory.user(Role.ARBITRATOR),
        "admin": factory.user(Role.ADMIN),
    }
    session.commit()
    return case, people


# Who may open which page, and refused posts change nothing: the route matrix
# (tests/test_route_matrix.py), with a co-arbitrator beside the chair.


# The case page ----------------------------------------------------------------------------


def test_case_page_offers_the_users_acts_and_shows_deadlines_and_people(app, mediation):
    case, people = mediation
    page = browser_for(app, people["claimant"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/act/withdraw"' in page
    assert f'href="/cases/{case.id}/submissions/new"' in page
    assert f'href="/cases/{case.id}/act/settle"' not in page  # the mediator's
    assert f'href="/cases/{case.id}/trail"' in page
    assert f'href="/cases/{case.id}/notes"' not in page
    # Deadlines: running first, with the rule set and the track.
    assert "Conclusion of mediation" in page and "Appointment of the mediator" in page
    assert page.index("Conclusion of mediation") < page.index("Appointment of the mediator")
    assert "Version 1" in page and "Expedited track" in page
    # People: both sides, who acts for them, the mediator.
    assert "Steppe Solar Energy LLP" in page and "Akimat of Alatau City" in page
    assert people["respondent"].name in page and people["mediator"].name in page
    assert "Representative" in page

    mediator_page = browser_for(app, people["mediator"]).get(f"/cases/{case.id}").text
    for act in ("settle", "impasse", "extend_mediation"):
        assert f'href="/cases/{case.id}/act/{act}"' in mediator_page
    assert f'href="/cases/{case.id}/meetings/new"' in mediator_page
    assert f'href="/cases/{case.id}/notes"' in mediator_page
    assert f'href="/cases/{case.id}/act/withdraw"' not in mediator_page


def test_a_blocked_act_is_shown_with_its_reason_and_its_page_offers_no_form(app, arbitration):
    case, people = arbitration
    browser = browser_for(app, people["chair"])
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    reason = "A notice of delay is only due once the award deadline has passed."
    assert "Issue a notice of delay" in page and reason in page
    assert f'href="/cases/{case.id}/act/delay_notice"' not in page  # disabled, not a link
    assert 'class="action-disabled"' in page
    act_page = browser.get(f"/cases/{case.id}/act/delay_notice").get_data(as_text=True)
    assert reason in act_page and "<textarea" not in act_page


def test_an_overdue_deadline_stands_out_in_words(app, session, mediation):
    case, people = mediation
    deadline = next(d for d in case.deadlines if d.key == "mediation_conclusion")
    deadline.due_on = deadline.starts_on = utcnow().date() - dt.timedelta(days=3)
    session.commit()
    page = browser_for(app, people["respondent"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<strong class="overdue">Overdue</strong>' in page
    assert "deadline-overdue" in page


def test_declined_neutrals_are_shown_to_the_clerk_only(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    refuser = factory.user(Role.MEDIATOR, name="Refusing Mediator")
    neutrals.propose_mediator(session, case, clerk=clerk, mediator=refuser, expected_version=None)
    neutrals.decline(session, case, user=refuser, disclosure="Conflict.", expected_version=None)
    session.commit()
    clerk_page = browser_for(app, clerk).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Refusing Mediator" in section(clerk_page, "people")
    assert "Declined" in section(clerk_page, "people")
    claimant_page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    assert "Refusing Mediator" not in section(claimant_page, "people")


def test_meetings_are_listed_for_everyone_on_the_case(app, session, mediation):
    case, people = mediation
    session.add(
        Meeting(
            case_id=case.id,
            kind="session",
            starts_at=utcnow() + dt.timedelta(days=2),
            video_link="https://video.example.kz/room/42",
            agenda="Opening statements.",
        )
    )
    session.commit()
    page = browser_for(app, people["respondent"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Mediation session" in page and "https://video.example.kz/room/42" in page
    assert "Opening statements." in page


def test_the_case_page_runs_a_bounded_number_of_queries(
    app, factory, session, mediation, count_queries
):
    case, people = mediation
    browser = browser_for(app, people["clerk"])

    def count_queries_of_the_page() -> list[str]:
        with count_queries() as queries:
            assert browser.get(f"/cases/{case.id}").status_code == 200
        return queries.statements

    def file_one(n: int) -> None:
        from dispute_portal.proceedings import operations as ops

        author = people["claimant"] if n % 2 else add_respondent(factory, case)
        ops.file_submission(
            session,
            case,
            author=author,
            title=f"Statement {n}",
            body=None,
            files=[(io.BytesIO(pdf_bytes(f"s{n}")), f"s{n}.pdf", Visibility.PARTIES)],
            is_response=False,
            upload_dir=app.config["UPLOAD_DIR"],
            max_bytes=app.config["MAX_UPLOAD_BYTES"],
            expected_version=None,
        )
        session.commit()

    file_one(1)
    file_one(2)
    few = count_queries_of_the_page()
    for n in range(3, 9):
        file_one(n)
    many = count_queries_of_the_page()
    assert len(many) == len(few), "\n".join(many)


# Submissions and per-document visibility ---------------------------------------------------


def file_through_the_page(browser, case, files, *, title="Statement of claim, part 2", **extra):
    page = browser.get(f"/cases/{case.id}/submissions/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    data = {"version": hidden(page), "title": title, "body": "Our position."}
    for n, (content, name, visibility) in enumerate(files, start=1):
        data[f"file_{n}"] = (io.BytesIO(content), name)
        data[f"visibility_{n}"] = visibility
    data.update(extra)
    return browser.post(
        f"/cases/{case.id}/submissions/new", data, content_type="multipart/form-data"
    )


def test_documents_are_shown_and_served_only_to_those_who_may_read_them(app, session, mediation):
    case, people = mediation
    claimant = browser_for(app, people["claimant"])
    response = file_through_the_page(
        claimant,
        case,
        [
            (pdf_bytes("open"), "open.pdf", "parties"),
            (pdf_bytes("for the mediator"), "for-mediator.pdf", "mediator"),
            (png_bytes(), "registry-only.png", "clerk"),
        ],
    )
    assert response.status_code == 302
    assert response.location == f"/cases/{case.id}#submissions"
    session.expire_all()
    submission = session.scalars(select(Submission).where(Submission.case_id == case.id)).one()
    assert submission.side is Side.CLAIMANT and not submission.is_response
    docs = {
        d.original_name: d
        for d in session.scalars(select(Document).where(Document.submission_id == submission.id))
    }
    assert {n: d.visibility.value for n, d in docs.items()} == {
        "open.pdf": "parties",
        "for-mediator.pdf": "mediator",
        "registry-only.png": "clerk",
    }

    readable = {
        "claimant": {"open.pdf", "for-mediator.pdf", "registry-only.png"},
        "respondent": {"open.pdf"},
        "mediator": {"open.pdf", "for-mediator.pdf"},
        "clerk": {"open.pdf", "for-mediator.pdf", "registry-only.png"},
    }
    for who, names in readable.items():
        browser = claimant if who == "claimant" else browser_for(app, people[who])
        page = section(browser.get(f"/cases/{case.id}").get_data(as_text=True), "submissions")
        assert "Statement of claim, part 2" in page and "Our position." in page
        for name, doc in docs.items():
            url = f"/cases/{case.id}/documents/{doc.id}"
            download = browser.get(url)
            if name in names:
                assert f'href="{url}"' in page, f"{who} should see {name}"
                assert download.status_code == 200, f"{who} should download {name}"
            else:
                assert name not in page, f"{who} must not see {name}"
                assert download.status_code == 404, f"{who} must not download {name}"
    # Who else may read a document: told to the side that filed it and to the clerk only.
    claimant_page = claimant.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "The clerk only" in claimant_page
    clerk_page = browser_for(app, people["clerk"]).get(f"/cases/{case.id}").text
    assert "The clerk only" in clerk_page
    respondent_page = browser_for(app, people["respondent"]).get(f"/cases/{case.id}").text
    assert "Everyone on the case" not in respondent_page
    assert "registry-only.png" not in respondent_page  # not on its timeline either


def test_a_download_is_audited_as_visible_as_its_document(app, session, mediation, upload_dir):
    case, people = mediation
    claimant = browser_for(app, people["claimant"])
    file_through_the_page(
        claimant,
        case,
        [(pdf_bytes("a"), "open.pdf", "parties"), (pdf_bytes("b"), "registry.pdf", "clerk")],
    )
    session.expire_all()
    docs = {d.original_name: d for d in case.documents}
    version = case.version
    clerk = browser_for(app, people["clerk"])
    response = clerk.get(f"/cases/{case.id}/documents/{docs['registry.pdf'].id}")
    assert response.status_code == 200 and response.data == pdf_bytes("b")
    respondent = browser_for(app, people["respondent"])
    assert respondent.get(f"/cases/{case.id}/documents/{docs['open.pdf'].id}").status_code == 200
    assert (
        respondent.get(f"/cases/{case.id}/documents/{docs['registry.pdf'].id}").status_code == 404
    )
    session.expire_all()
    downloads = events_of(session, case, "download")
    assert [
        (e.actor_id, e.data["document_id"], e.data["name"], e.visibility) for e in downloads
    ] == [
        (people["clerk"].id, docs["registry.pdf"].id, "registry.pdf", "clerk"),
        (people["respondent"].id, docs["open.pdf"].id, "open.pdf", None),
    ]
    assert case.version == version  # reading stales no one's form
    # The refused download left no trace; the chain still holds.
    from dispute_portal.workflow.models import verify_chain

    assert verify_chain(case.events) is None
    # The timeline tells who read what, to those who may read about it.
    respondent_page = respondent.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Document downloaded" in respondent_page
    assert "registry.pdf" not in respondent_page
    assert "registry.pdf" in clerk.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_rejected_upload_leaves_no_file_and_no_row(app, session, mediation, upload_dir):
    case, people = mediation
    claimant = browser_for(app, people["claimant"])
    before_files = set(upload_dir.iterdir())
    before = (
        case.version,
        session.scalar(select(func.count(Document.id))),
        session.scalar(select(func.count(CaseEvent.id))),
    )
    response = file_through_the_page(
        claimant,
        case,
        [
            (pdf_bytes("good"), "good.pdf", "parties"),
            (b"MZ\x90\x00 not a document", "evil.pdf", "parties"),
        ],
    )
    assert response.status_code == 400  # the reason is beside the second file
    page = response.get_data(as_text=True)
    assert "is not a PDF, DOCX, PNG or JPEG document" in page[page.index('id="file_2-error"') :]
    session.expire_all()
    after = (
        case.version,
        session.scalar(select(func.count(Document.id))),
        session.scalar(select(func.count(CaseEvent.id))),
    )
    assert after == before
    assert session.scalar(select(func.count(Submission.id))) == 0
    assert set(upload_dir.iterdir()) == before_files  # the good file went with the rest


def test_the_submission_needs_a_title_and_a_valid_visibility(app, session, mediation):
    case, people = mediation
    claimant = browser_for(app, people["claimant"])
    response = file_through_the_page(claimant, case, [], title="  ")
    assert response.status_code in (400, 409)
    assert "Give the submission a title." in response.get_data(as_text=True)
    response = file_through_the_page(
        claimant, case, [(pdf_bytes(), "x.pdf", "everyone")], title="Bad visibility"
    )
    assert response.status_code == 400
    session.expire_all()
    assert session.scalar(select(func.count(Submission.id))) == 0


def offered(page: str, n: int = 1) -> list[str]:
    """The values the page offers for who may read document n."""
    start = page.index(f'name="visibility_{n}"')
    return re.findall(r'<option[^>]*value="([^"]+)"', page[start : page.index("</select>", start)])


def test_the_form_offers_the_neutrals_of_the_case_phase(app, session, mediation, arbitration):
    """In mediation a document may be for the mediator; in arbitration, for the tribunal;
    never the other one (nor a choice for both)."""
    for (case, people), neutral, label, other in (
        (mediation, "mediator", "The mediator and the clerk only", "tribunal"),
        (arbitration, "tribunal", "The tribunal and the clerk only", "mediator"),
    ):
        browser = browser_for(app, people["claimant"])
        page = browser.get(f"/cases/{case.id}/submissions/new").get_data(as_text=True)
        for n in (1, 2, 3):
            assert offered(page, n) == ["parties", neutral, "clerk"]
        assert label in page and "The mediator or tribunal" not in page
        response = file_through_the_page(browser, case, [(pdf_bytes(), "x.pdf", other)])
        assert response.status_code == 400, other
        assert "Not a valid choice" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(func.count(Submission.id))) == 0


def test_the_former_mediator_keeps_its_record_and_reads_no_tribunal_document(
    app, session, factory, mediation
):
    """After the referral the mediator still reads the case, what was filed for it and its
    notes, but not what is filed for the tribunal, and writes no more notes; the tribunal
    never reads what was filed for the mediator."""
    case, people = mediation
    respondent = browser_for(app, people["respondent"])
    file_through_the_page(respondent, case, [(pdf_bytes("p"), "positions.pdf", "mediator")])
    mediator = browser_for(app, people["mediator"])
    assert mediator.post(f"/cases/{case.id}/notes", {"body": "Explore a plot."}).status_code == 302
    clerk = people["clerk"]
    session.expire_all()
    proceedings.act(case, user=people["mediator"], action="impasse", reason="No.",
                    expected_version=None)  # fmt: skip
    proceedings.act(case, user=clerk, action="refer", reason=None, expected_version=None)
    chair, co, _ = factory.tribunal(case, clerk, size=3)
    session.commit()
    file_through_the_page(respondent, case, [(pdf_bytes("e"), "expert.pdf", "tribunal")])
    session.expire_all()
    docs = {d.original_name: d.id for d in case.documents}

    def sees(browser) -> set[str]:
        pages = "".join(
            browser.get(f"/cases/{case.id}{path}").get_data(as_text=True) for path in ("", "/trail")
        )
        readable = set()
        for name in ("positions.pdf", "expert.pdf"):
            url = f"/cases/{case.id}/documents/{docs[name]}"
            status = browser.get(url).status_code
            assert (status == 200) == (name in pages), (name, status)
            readable |= {name} if status == 200 else set()
        return readable

    assert sees(mediator) == {"positions.pdf"}
    for member in (chair, co):
        assert sees(browser_for(app, member)) == {"expert.pdf"}, member.name
    assert sees(browser_for(app, clerk)) == {"positions.pdf", "expert.pdf"}
    # Its notes: read, not written.
    page = mediator.get(f"/cases/{case.id}/notes").get_data(as_text=True)
    assert "Explore a plot." in page and "<form" not in page.split("<main", 1)[-1]
    assert "You can no longer add notes to this case" in page
    assert f'href="/cases/{case.id}/notes"' in mediator.get(f"/cases/{case.id}").text
    assert mediator.post(f"/cases/{case.id}/notes", {"body": "Later."}).status_code == 403
    assert session.scalar(select(func.count(PrivateNote.id))) == 1


def test_the_respondent_files_its_response(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["respondent"])
    page = browser.get(f"/cases/{case.id}/submissions/new?response=1").get_data(as_text=True)
    assert "<h1>File the response</h1>" in page
    assert f'action="/cases/{case.id}/submissions/new?response=1"' in page
    response = browser.post(
        f"/cases/{case.id}/submissions/new?response=1",
        {
            "version": hidden(page),
            "title": "Response",
            "body": "We deny.",
            "file_1": (io.BytesIO(pdf_bytes("r")), "response.pdf"),
            "visibility_1": "parties",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    submission = session.scalars(select(Submission)).one()
    assert submission.is_response and submission.side is Side.RESPONDENT
    response_deadline = next(d for d in case.deadlines if d.key == "response")
    assert response_deadline.status is DeadlineStatus.MET
    page = browser_for(app, people["claimant"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "response.pdf" in page and "We deny." in page


# Acts with reasons, previews, confirmations -----------------------------------------------


def test_the_mediator_records_a_settlement(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    page = browser.get(f"/cases/{case.id}/act/settle").get_data(as_text=True)
    assert "Terms of settlement" in page  # the transition's own label for the text
    assert "Preview" in page and 'formtarget="ruling-preview"' in page
    response = browser.post(
        f"/cases/{case.id}/act/settle",
        {"act-version": hidden(page, "act-version"), "act-reason": "USD 1m in May."},
    )
    assert response.status_code == 302 and response.location == f"/cases/{case.id}"
    session.expire_all()
    assert case.state is CaseState.SETTLED
    assert "settlement_record" in rulings_of(session, case)
    assert "Settlement recorded" in browser.get(response.location).get_data(as_text=True)


def test_an_act_that_needs_reasons_is_refused_without_them(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    response = browser.post(
        f"/cases/{case.id}/act/impasse", {"act-version": str(case.version), "act-reason": "  "}
    )
    assert response.status_code == 400
    assert "Give the reasons." in response.get_data(as_text=True)
    session.expire_all()
    assert case.state is CaseState.MEDIATION
    assert "termination_certificate" not in rulings_of(session, case)


def test_a_stale_form_applies_nothing(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    page = browser.get(f"/cases/{case.id}/act/settle").get_data(as_text=True)
    seen = hidden(page, "act-version")
    # Meanwhile the claimant files a submission: the case moves on.
    file_through_the_page(browser_for(app, people["claimant"]), case, [], title="Late news")
    session.expire_all()
    assert str(case.version) != seen
    response = browser.post(
        f"/cases/{case.id}/act/settle", {"act-version": seen, "act-reason": "Terms."}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This case changed since you opened it" in html
    assert "Terms." in html  # what was typed is kept
    session.expire_all()
    assert case.state is CaseState.MEDIATION
    assert "settlement_record" not in rulings_of(session, case)
    assert events_of(session, case, "settle") == []


def test_the_chair_drafts_previews_and_issues_the_award(app, session, arbitration):
    """A tribunal of three: the chair drafts (with a preview), two members approve, the
    chair issues the approved text (the pages of the awards blueprint)."""
    case, people = arbitration
    chair = browser_for(app, people["chair"])
    page = chair.get(f"/cases/{case.id}/award/draft").get_data(as_text=True)
    assert "The award: the decision and its reasons" in page
    assert f'formaction="/cases/{case.id}/award/preview"' in page
    assert '<iframe name="ruling-preview"' in page
    draft = "The respondent shall pay USD 1,000,000.\n\nCosts are shared."
    fields = {"act-version": hidden(page, "act-version"), "act-reason": draft}
    preview = chair.post(f"/cases/{case.id}/award/preview", fields | {"act-costs_mode": "own"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Draft for review — not issued, not valid" in html
    assert "The respondent shall pay USD 1,000,000." in html
    assert "Each party bears its own costs of the proceedings." in html
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    # Not yet approved by a majority: the award page says so and issues nothing.
    issue_page = chair.get(f"/cases/{case.id}/award").get_data(as_text=True)
    assert "has not put a draft of the award" in issue_page
    # A co-arbitrator neither previews, drafts nor issues.
    co = browser_for(app, people["co"])
    assert co.post(f"/cases/{case.id}/award/preview", {"act-reason": "x"}).status_code == 403
    assert co.get(f"/cases/{case.id}/award/draft").status_code == 403
    response = chair.post(f"/cases/{case.id}/award/draft", fields | {"act-costs_mode": "own"})
    assert response.status_code == 302
    for browser in (chair, co):
        page = browser.get(f"/cases/{case.id}/award/approve").get_data(as_text=True)
        assert "Draft of the award · draft 1" in page and "The respondent shall pay" in page
        answer = browser.post(
            f"/cases/{case.id}/award/approve", {"act-version": hidden(page, "act-version")}
        )
        assert answer.status_code == 302
    page = chair.get(f"/cases/{case.id}/award").get_data(as_text=True)
    assert "Approved by 2 of the 2 members needed" in page
    assert co.post(f"/cases/{case.id}/award", {"act-version": "1"}).status_code == 403
    response = chair.post(f"/cases/{case.id}/award", {"act-version": hidden(page, "act-version")})
    assert response.status_code == 302
    session.expire_all()
    assert case.state is CaseState.AWARDED and case.decided_at is not None
    assert rulings_of(session, case)[-1] == "award"
    award = session.scalars(select(Ruling).where(Ruling.kind == "award")).one()
    assert award.values["reasons"] == draft


def test_no_preview_for_acts_without_a_written_ruling(app, mediation, arbitration):
    case, people = mediation
    claimant = browser_for(app, people["claimant"])
    assert claimant.post(f"/cases/{case.id}/act/withdraw/preview", {}).status_code == 404
    page = claimant.get(f"/cases/{case.id}/act/withdraw").get_data(as_text=True)
    assert "ruling-preview" not in page


def test_the_claimant_withdraws_from_the_case_page(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["claimant"])
    case_page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/act/withdraw"' in case_page
    page = browser.get(f"/cases/{case.id}/act/withdraw").get_data(as_text=True)
    assert "This cannot be undone." in page and "Withdrawn" in page
    assert "Order terminating the proceedings" in page
    assert "<textarea" not in page  # a confirmation, nothing to write
    response = browser.post(
        f"/cases/{case.id}/act/withdraw", {"act-version": hidden(page, "act-version")}
    )
    assert response.location == f"/cases/{case.id}"
    session.expire_all()
    assert case.state is CaseState.WITHDRAWN
    assert rulings_of(session, case)[-1] == "termination_order"
    after = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Claim withdrawn" in after
    assert f'href="/cases/{case.id}/act/withdraw"' not in after
    # Withdrawn once: a second confirmation is refused as the act is no longer open.
    assert (
        browser.post(
            f"/cases/{case.id}/act/withdraw", {"act-version": str(case.version)}
        ).status_code
        == 403
    )


def test_the_chair_sets_the_date_of_the_last_submission(app, session, arbitration):
    case, people = arbitration
    chair = browser_for(app, people["chair"])
    url = f"/cases/{case.id}/act/close_submissions"
    version = hidden(chair.get(url).get_data(as_text=True), "act-version")
    reason = "Procedural order No. 2: the last written submissions."
    for bad in ("2026-02-30", "yesterday", ""):
        response = chair.post(
            url, {"act-version": version, "act-last_on": bad, "act-reason": reason}
        )
        assert response.status_code == 400, bad
    session.expire_all()
    assert case.last_submission_on is None
    day = local_day(20)
    response = chair.post(url, {"act-version": version, "act-last_on": day, "act-reason": reason})
    assert response.status_code == 302
    session.expire_all()
    assert case.last_submission_on == dt.date.fromisoformat(day)
    (event,) = events_of(session, case, "close_submissions")
    assert event.data == {"last_submission_on": day} and event.note == reason


def overdue_award(session, case):
    award = next(d for d in case.deadlines if d.key == "award" and d.status.value == "open")
    award.starts_on = award.due_on = utcnow().date() - dt.timedelta(days=10)
    session.commit()
    return award


def test_a_notice_of_delay_takes_reasons_and_a_future_date(app, session, arbitration):
    case, people = arbitration
    overdue_award(session, case)
    chair = browser_for(app, people["chair"])
    url = f"/cases/{case.id}/act/delay_notice"
    page = chair.get(url).get_data(as_text=True)
    assert "The award was due on" in page
    version = hidden(page, "act-version")
    for bad in (
        {"act-expected_on": "31.02.2026"},
        {"act-expected_on": local_day(-1)},
        {"act-expected_on": local_day(30)} | {"act-reason": " "},
        {},
    ):
        response = chair.post(url, {"act-version": version, "act-reason": "Complex."} | bad)
        assert response.status_code == 400, bad
    preview = chair.post(
        f"{url}/preview", {"act-reason": "Expert evidence.", "act-expected_on": local_day(40)}
    )
    html = preview.get_data(as_text=True)
    assert "Expert evidence." in html and "Notice of delay" in html
    session.expire_all()
    assert "notice_of_delay" not in rulings_of(session, case)


def test_the_chair_issues_a_notice_of_delay(app, session, arbitration):
    case, people = arbitration
    overdue_award(session, case)
    chair = browser_for(app, people["chair"])
    url = f"/cases/{case.id}/act/delay_notice"
    version = hidden(chair.get(url).get_data(as_text=True), "act-version")
    response = chair.post(
        url,
        {
            "act-version": version,
            "act-reason": "Expert evidence.",
            "act-expected_on": local_day(40),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert rulings_of(session, case)[-1] == "notice_of_delay"
    award = next(d for d in case.deadlines if d.key == "award" and d.status.value == "open")
    assert award.due_on >= dt.date.fromisoformat(local_day(40))


def test_the_extension_of_the_mediation_says_what_it_does(app, session, mediation):
    case, people = mediation
    for who in ("clerk", "mediator"):
        page = browser_for(app, people[who]).get(f"/cases/{case.id}/act/extend_mediation")
        assert "30 days later" in page.get_data(as_text=True)
    response = browser_for(app, people["mediator"]).post(
        f"/cases/{case.id}/act/extend_mediation",
        {"act-version": str(case.version), "act-reason": ""},
    )
    assert response.status_code == 400  # the parties' agreement must be recorded


def test_the_mediator_or_clerk_extends_the_mediation_once(app, session, mediation):
    case, people = mediation
    clerk = browser_for(app, people["clerk"])
    url = f"/cases/{case.id}/act/extend_mediation"
    page = clerk.get(url).get_data(as_text=True)
    response = clerk.post(
        url,
        {"act-version": hidden(page, "act-version"), "act-reason": "Both parties agreed."},
    )
    assert response.status_code == 302
    session.expire_all()
    conclusion = next(d for d in case.deadlines if d.key == "mediation_conclusion")
    assert conclusion.extensions == 1
    again = browser_for(app, people["mediator"]).get(url).get_data(as_text=True)
    assert "The mediation has already been extended once." in again


# Sessions and hearings ------------------------------------------------------------------


def test_the_mediator_schedules_a_session_in_almaty_time(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    page = browser.get(f"/cases/{case.id}/meetings/new").get_data(as_text=True)
    assert "<h1>Schedule a session</h1>" in page
    day = local_day(7)
    response = browser.post(
        f"/cases/{case.id}/meetings/new",
        {
            "version": hidden(page),
            "on_date": day,
            "at_time": "14:30",
            "place": "Centre, room 3",
            "video_link": "https://video.example.kz/case",
            "agenda": "Positions of the parties.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    meeting = session.scalars(select(Meeting).where(Meeting.case_id == case.id)).one()
    local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(14, 30), tzinfo=ALMATY)
    assert meeting.starts_at == local.astimezone(dt.UTC)
    assert meeting.kind.value == "session" and meeting.created_by_id == people["mediator"].id
    assert events_of(session, case, "schedule_session")
    other = browser_for(app, people["respondent"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "14:30" in section(other, "meetings") and "Centre, room 3" in other


@pytest.mark.parametrize(
    "bad",
    [
        {"on_date": "2026-13-01"},
        {"on_date": "soon"},
        {"at_time": "25:00"},
        {"on_date": ""},
        {"on_date": "2020-01-01"},  # the past
        {"place": "", "video_link": ""},
        {"place": "", "video_link": "http://insecure.example.kz"},
    ],
)
def test_invalid_meetings_are_refused_and_change_nothing(app, session, mediation, bad):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    before = case.version
    data = {
        "version": str(case.version),
        "on_date": local_day(7),
        "at_time": "10:00",
        "place": "Room 1",
        "video_link": "",
    } | bad
    response = browser.post(f"/cases/{case.id}/meetings/new", data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    session.expire_all()
    assert case.version == before
    assert session.scalar(select(func.count(Meeting.id))) == 0


def test_the_chair_schedules_a_hearing(app, session, arbitration):
    case, people = arbitration
    browser = browser_for(app, people["chair"])
    page = browser.get(f"/cases/{case.id}/meetings/new").get_data(as_text=True)
    assert "<h1>Schedule a hearing</h1>" in page
    response = browser.post(
        f"/cases/{case.id}/meetings/new",
        {
            "version": hidden(page),
            "on_date": local_day(20),
            "at_time": "09:00",
            "video_link": "https://hearing.example.kz/1",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(Meeting)).one().kind.value == "hearing"
    # A hearing in the diary is not a session held (tests/test_hearings.py).
    first_session = next(d for d in case.deadlines if d.key == "first_session")
    assert first_session.status is DeadlineStatus.OPEN


# Private notes ------------------------------------------------------------------------------


def test_private_notes_are_seen_by_their_author_only(app, session, arbitration):
    case, people = arbitration
    secret = "The expert of the respondent seems unreliable."
    chair = browser_for(app, people["chair"])
    response = chair.post(f"/cases/{case.id}/notes", {"body": secret})
    assert response.status_code == 302
    assert secret in chair.get(f"/cases/{case.id}/notes").get_data(as_text=True)
    note = session.scalars(select(PrivateNote)).one()
    assert note.author_id == people["chair"].id
    # Not audited: no event carries the text.
    assert all(secret not in (e.note or "") for e in events_of(session, case, "note"))
    assert not any(secret in (e.note or "") for e in case.events)
    for who, status in [
        ("co", 200),  # a co-arbitrator keeps notes of their own, and sees only those
        ("mediator", 200),
        ("claimant", 403),
        ("respondent", 403),
        ("clerk", 403),
        ("other_arbitrator", 404),
        ("admin", 404),
    ]:
        browser = browser_for(app, people[who])
        response = browser.get(f"/cases/{case.id}/notes")
        assert response.status_code == status, who
        assert secret not in response.get_data(as_text=True), who
        for page in ("", "/trail"):
            assert secret not in browser.get(f"/cases/{case.id}{page}").get_data(as_text=True)


def test_an_empty_note_is_refused(app, session, mediation):
    case, people = mediation
    browser = browser_for(app, people["mediator"])
    response = browser.post(f"/cases/{case.id}/notes", {"body": "   "})
    assert response.status_code == 400 and "The note is empty." in response.get_data(as_text=True)
    assert session.scalar(select(func.count(PrivateNote.id))) == 0


# The audit trail ----------------------------------------------------------------------------


def test_the_trail_lists_visible_events_and_checks_the_whole_chain(app, session, mediation):
    case, people = mediation
    file_through_the_page(
        browser_for(app, people["claimant"]),
        case,
        [(pdf_bytes("r"), "registry-only.pdf", "clerk")],
    )
    clerk = browser_for(app, people["clerk"])
    page = clerk.get(f"/cases/{case.id}/trail").get_data(as_text=True)
    assert "Chain intact" in page and "IP address" in page
    assert "registry-only.pdf" in page and "Submission filed" in page
    session.expire_all()
    first = case.events[0]
    assert first.hash[:12] in page
    respondent = browser_for(app, people["respondent"])
    page = respondent.get(f"/cases/{case.id}/trail").get_data(as_text=True)
    assert "Chain intact" in page and "registry-only.pdf" not in page
    assert "IP address" not in page
    assert "Events about documents you may not read are not listed" in page
    # Someone edits an event in the database: the trail says where the chain breaks.
    seq = case.events[2].seq
    bypass_triggers(session)  # an insider, as the tables' owner
    session.execute(
        text("UPDATE case_events SET note = 'rewritten' WHERE case_id = :c AND seq = :s"),
        {"c": case.id, "s": seq},
    )
    session.commit()
    page = respondent.get(f"/cases/{case.id}/trail").get_data(as_text=True)
    assert f"Chain broken at event {seq}" in page


# Extending a deadline ---------------------------------------------------------------------------


def test_the_clerk_extends_a_running_deadline(app, session, mediation):
    case, people = mediation
    clerk = browser_for(app, people["clerk"])
    url = f"/cases/{case.id}/deadlines/extend"
    page = clerk.get(url).get_data(as_text=True)
    deadline = next(d for d in case.deadlines if d.key == "response")
    assert f'<option value="{deadline.id}">' in page  # running ones only
    met = next(d for d in case.deadlines if d.status is not DeadlineStatus.OPEN)
    assert f'<option value="{met.id}"' not in page
    version = hidden(page)
    original = deadline.due_on
    later = (original + dt.timedelta(days=20)).isoformat()
    for bad in (
        {"new_due": "2026-02-30", "reason": "x"},
        {"new_due": later, "reason": "  "},
        {"new_due": later, "reason": "x", "deadline": str(met.id)},
        {"new_due": later, "reason": "x", "deadline": "abc"},
    ):
        data = {"version": version, "deadline": str(deadline.id)} | bad
        assert clerk.post(url, data).status_code == 400, bad
    earlier = clerk.post(
        url,
        {
            "version": version,
            "deadline": str(deadline.id),
            "new_due": (original - dt.timedelta(days=1)).isoformat(),
            "reason": "Asked.",
        },
    )
    assert earlier.status_code == 409
    assert "The new date must be later than the current one." in earlier.get_data(as_text=True)
    session.expire_all()
    assert deadline.due_on == original and deadline.extensions == 0
    response = clerk.post(
        url,
        {"version": version, "deadline": str(deadline.id), "new_due": later, "reason": "Asked."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert deadline.due_on >= dt.date.fromisoformat(later) and deadline.extensions == 1
    assert events_of(session, case, "extend_deadline")[0].note == "Asked."
    page = clerk.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "extended from" in page and "Deadline extended" in page
    claimant = browser_for(app, people["claimant"])
    assert claimant.post(url, {"version": str(case.version)}).status_code == 403


def test_no_running_deadline_nothing_to_extend(app, session, factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    page = browser_for(app, clerk).get(f"/cases/{case.id}/deadlines/extend").get_data(as_text=True)
    assert "No deadline is running on this case." in page and "<textarea" not in page


# Labels of events ---------------------------------------------------------------------------


def test_events_without_a_timeline_label_read_as_their_act(monkeypatch):
    from dispute_portal.workflow import states

    monkeypatch.delitem(states.EVENT_LABELS, "close_submissions")
    assert proceedings_presenter.event_label("close_submissions") == (
        "Set the date of the last submission"
    )
    assert proceedings_presenter.event_label("download") == "Document downloaded"
    assert proceedings_presenter.event_label("join") == "Joined the case"
    assert proceedings_presenter.event_label("something_else") == "something_else"


def test_the_case_page_shows_the_latest_events_and_links_the_full_trail(
    app, session, mediation, monkeypatch
):
    case, people = mediation
    monkeypatch.setattr(proceedings_presenter, "TIMELINE_EVENTS", 2)
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
    ).all()
    assert len(events) > 2
    loaded: list[int] = []  # the events the page reads: those it shows, not the whole trail

    def _loaded(event: CaseEvent, _context: object) -> None:
        loaded.append(event.seq)

    sa_event.listen(CaseEvent, "load", _loaded)
    try:
        page = browser_for(app, people["clerk"]).get(f"/cases/{case.id}").get_data(as_text=True)
    finally:
        sa_event.remove(CaseEvent, "load", _loaded)
    assert sorted(loaded) == [e.seq for e in events[-2:]]
    timeline = page[page.index('id="timeline-heading"') :]
    assert timeline.count("<li>") == 2  # the newest two
    assert f"The latest 2 of {len(events)} events." in timeline
    assert f'href="/cases/{case.id}/trail"' in timeline
