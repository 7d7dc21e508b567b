"""How large a request body may be: about 1 MB of form everywhere (refused with 413 before
a byte of it is parsed), MAX_UPLOAD_BYTES a file more on the pages that take files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug import formparser

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Document
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .factories import pdf_bytes
from .test_filing import _new_case, _upload
from .test_proceedings_views import file_through_the_page

MB = 2**20


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The content types of every body the form parser read."""
    seen: list[str] = []
    parse = formparser.FormDataParser.parse

    def spy(self, stream, mimetype, *args, **kwargs):
        seen.append(mimetype)
        return parse(self, stream, mimetype, *args, **kwargs)

    monkeypatch.setattr(formparser.FormDataParser, "parse", spy)
    return seen


def _urlencoded(size: int) -> bytes:
    return b"email=a%40example.com&password=" + b"x" * size


def test_a_large_form_body_is_refused_before_it_is_parsed(app, browser, parsed):
    assert app.config["MAX_CONTENT_LENGTH"] <= MB
    response = browser.client.post(
        "/login", data=_urlencoded(2 * MB), content_type="application/x-www-form-urlencoded"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Form too large" in page and "Nothing was saved" in page
    assert parsed == []
    assert len(response.headers["X-Request-ID"]) == 32  # the log still finds it


def test_a_form_of_ordinary_size_is_still_read(browser, parsed):
    response = browser.post("/login", {"email": "a@example.com", "password": "x" * 1000})
    assert response.status_code != 413  # a wrong login: the form was read and answered
    assert parsed == ["application/x-www-form-urlencoded"]


def test_a_page_that_takes_files_keeps_the_form_limit_for_a_plain_form(login_as, session, parsed):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    parsed.clear()
    response = browser.client.post(
        f"/cases/{case.id}/documents",
        data=_urlencoded(2 * MB),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and parsed == []


def test_an_upload_of_a_few_megabytes_still_works(app, login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    size = app.config["MAX_UPLOAD_BYTES"] - MB // 2  # near the document limit, over 1 MB
    response = _upload(browser, case, pdf_bytes("x" * size))
    assert response.status_code == 302
    assert session.scalar(select(func.count()).where(Document.case_id == case.id)) == 1


def test_a_submission_takes_a_document_limit_for_each_of_its_files(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.mediate(case, clerk)
    session.commit()
    size = app.config["MAX_UPLOAD_BYTES"] - MB // 2
    files = [(pdf_bytes(str(n) * size), f"part-{n}.pdf", "parties") for n in (1, 2, 3)]
    response = file_through_the_page(browser_for(app, case.claimant_user), case, files)
    assert response.status_code == 302
    filed = select(func.count()).where(Document.submission_id.is_not(None))
    assert session.scalar(filed.where(Document.case_id == case.id)) == 3


def test_an_upload_over_the_request_limit_says_file_too_large(app, login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    limit = app.config["MAX_UPLOAD_BYTES"] + app.config["MAX_CONTENT_LENGTH"]
    response = _upload(browser, case, pdf_bytes("x" * limit))
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
