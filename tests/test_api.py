"""The JSON API (issue 18): a token's person sees through it what they see in the portal,
no more; writes go through the portal's operations; errors are problems (RFC 9457)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from sqlalchemy import func, select

from dispute_portal.api import idempotency, tokens
from dispute_portal.api.models import ApiToken, IdempotentRequest, TokenScope
from dispute_portal.api.rest.problems import MEDIA_TYPE, type_uri
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.db import utcnow
from dispute_portal.proceedings.models import Submission
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient, case_with_parties, make_token
from tests.factories import pdf_bytes


@pytest.fixture
def arbitration(factory, session):
    """An arbitration with its claimant, the respondent's representative and its clerk."""
    return case_with_parties(factory, session, CaseState.ARBITRATION)


def client(app, session, user, scope=TokenScope.READ_WRITE) -> ApiClient:
    return ApiClient(app, make_token(session, user, scope))


def _problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == MEDIA_TYPE
    body = response.get_json()
    assert body["type"] == type_uri(slug) and body["status"] == status and body["title"]
    return body


def test_without_a_usable_token_nothing_opens(app, session, factory):
    user = factory.user(Role.INVESTOR)
    plain = make_token(session, user)
    body = _problem(ApiClient(app, None).get("/api/v1/cases"), 401, "unauthorized")
    assert "detail" not in body
    response = ApiClient(app, plain + "x").get("/api/v1/cases")
    _problem(response, 401, "unauthorized")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert ApiClient(app, plain).get("/api/v1/me").get_json()["id"] == user.id
    user.is_active = False  # a deactivated account's tokens open nothing
    session.flush()
    _problem(ApiClient(app, plain).get("/api/v1/me"), 401, "unauthorized")


def test_a_session_cookie_opens_nothing(app, login_as):
    browser, _user = login_as(Role.INVESTOR)
    response = browser.client.get("/api/v1/me")
    _problem(response, 401, "unauthorized")


def test_the_list_holds_the_callers_cases_only_and_pages_by_links(app, session, factory):
    mine = factory.user(Role.INVESTOR)
    cases = [factory.case(CaseState.SUBMITTED, claimant=mine) for _ in range(3)]
    factory.case(CaseState.SUBMITTED)  # another investor's
    api = client(app, session, mine)
    first = api.get("/api/v1/cases?limit=2")
    assert first.status_code == 200
    seen = [c["id"] for c in first.get_json()]
    assert len(seen) == 2
    nxt = re.search(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)
    second = api.get(nxt)
    seen += [c["id"] for c in second.get_json()]
    assert sorted(seen) == sorted(c.id for c in cases)
    assert 'rel="next"' not in second.headers["Link"]
    only = api.get("/api/v1/cases?state=draft").get_json()
    assert only == []
    bad = _problem(api.get("/api/v1/cases?limit=0"), 422, "invalid-input")
    assert "limit" in bad["errors"]["query"]


def test_a_case_the_caller_may_not_see_is_not_found(app, session, factory, arbitration):
    case, *_ = arbitration
    outsider = client(app, session, factory.user(Role.INVESTOR))
    for path in ("", "/events", "/documents", "/submissions", "/rulings"):
        _problem(outsider.get(f"/api/v1/cases/{case.id}{path}"), 404, "not-found")
    nothing = outsider.get("/api/v1/cases/987654321")
    assert nothing.get_json() | {"instance": ""} == outsider.get(
        f"/api/v1/cases/{case.id}"
    ).get_json() | {"instance": ""}


def test_one_case_has_its_parties_and_an_etag(app, session, arbitration):
    case, claimant, respondent, _clerk = arbitration
    api = client(app, session, respondent)
    response = api.get(f"/api/v1/cases/{case.id}")
    body = response.get_json()
    assert body["state"] == "arbitration" and body["version"] == case.version
    assert response.headers["ETag"] == f'"case-{case.id}-v{case.version}"'
    assert {p["side"] for p in body["parties"]} == {"claimant", "respondent"}
    assert any(a["action"] == "file_submission" for a in body["actions"])
    again = api.get(f"/api/v1/cases/{case.id}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def _file(api, case, *, key=None, if_match=None, title="Reply on jurisdiction", files=None):
    headers = {}
    if key:
        headers["Idempotency-Key"] = key
    if if_match:
        headers["If-Match"] = if_match
    data = {"title": title, "visibility": "parties"}
    data["file"] = files if files is not None else [(io.BytesIO(pdf_bytes("Reply")), "reply.pdf")]
    return api.post(
        f"/api/v1/cases/{case.id}/submissions",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def _submissions(session, case) -> int:
    return session.scalar(select(func.count(Submission.id)).where(Submission.case_id == case.id))


def test_counsel_files_a_submission_and_reads_it_back(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    api = client(app, session, claimant)
    etag = api.get(f"/api/v1/cases/{case.id}").headers["ETag"]
    response = _file(api, case, if_match=etag)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    [document] = body["documents"]
    assert document["sha256"] == hashlib.sha256(pdf_bytes("Reply")).hexdigest()
    assert response.headers["ETag"] != etag  # the act moved the case on
    listed = api.get(response.headers["Location"]).get_json()
    assert listed == body
    download = api.get(document["url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == document["sha256"]
    download.close()
    trail = api.get(f"/api/v1/cases/{case.id}/events?limit=100").get_json()
    actions = [e["action"] for e in trail]
    assert "file_submission" in actions and actions[-1] == "download"
    assert trail[-1]["subject"] == "reply.pdf"
    assert all("ip" not in e for e in trail)  # the registry alone reads addresses


def test_a_stale_etag_a_read_token_and_a_bad_file_change_nothing(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    before = _submissions(session, case)
    writer = client(app, session, claimant)
    stale = f'"case-{case.id}-v{case.version - 1}"'
    body = _problem(_file(writer, case, if_match=stale), 412, "case-changed")
    assert "detail" not in body
    reader = client(app, session, claimant, TokenScope.READ)
    response = _file(reader, case)
    _problem(response, 403, "insufficient-scope")
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    not_pdf = [(io.BytesIO(b"MZ\x90\x00 not a pdf"), "reply.pdf")]
    bad = _problem(_file(writer, case, files=not_pdf), 422, "invalid-input")
    assert bad["detail"]
    _problem(_file(writer, case, title=""), 422, "invalid-input")
    assert _submissions(session, case) == before


def test_the_same_idempotency_key_gives_the_first_answer(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    api = client(app, session, claimant)
    first = _file(api, case, key="reply-2026-12-08")
    again = _file(api, case, key="reply-2026-12-08")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert _submissions(session, case) == 1
    other = _file(api, case, key="reply-2026-12-08", title="Another reply")
    _problem(other, 422, "idempotency-key-reused")
    _problem(_file(api, case, key="no spaces"), 400, "bad-request")
    assert _submissions(session, case) == 1
    # Another caller's key is their own.
    assert _file(client(app, session, claimant), case, key="reply-2026-12-08").status_code == 201
    assert _submissions(session, case) == 2


def test_a_refused_request_keeps_no_key(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    api = client(app, session, claimant)
    _problem(_file(api, case, key="k1", title=""), 422, "invalid-input")
    assert session.scalar(select(func.count(IdempotentRequest.id))) == 0
    assert _file(api, case, key="k1").status_code == 201


def test_a_document_for_the_tribunal_is_not_the_other_sides(app, session, factory, arbitration):
    case, claimant, respondent, _clerk = arbitration
    document = factory.file(case, respondent, Visibility.TRIBUNAL, "expert-report")
    mine = client(app, session, claimant)
    names = [d["name"] for d in mine.get(f"/api/v1/cases/{case.id}/documents").get_json()]
    assert "expert-report.pdf" not in names
    _problem(mine.get(f"/api/v1/cases/{case.id}/documents/{document.id}"), 404, "not-found")
    theirs = client(app, session, respondent)
    names = [d["name"] for d in theirs.get(f"/api/v1/cases/{case.id}/documents").get_json()]
    assert "expert-report.pdf" in names


def test_rulings_are_listed_and_downloaded_as_issued(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    api = client(app, session, claimant)
    rulings = api.get(f"/api/v1/cases/{case.id}/rulings").get_json()
    assert rulings, "the registration notice at least"
    pdf = api.get(rulings[0]["url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == rulings[0]["sha256"]
    public = ApiClient(app, None)
    verdict = public.get(f"/api/v1/verify?code={rulings[0]['verification_code']}").get_json()
    assert verdict["authentic"] and verdict["ruling"]["sha256"] == rulings[0]["sha256"]
    by_file = public.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(pdf.data), "ruling.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert by_file["authentic"] and by_file["how"] == "file"
    forged = public.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(pdf.data + b" "), "ruling.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert forged == {"authentic": False, "how": "file", "ruling": None}


def test_notifications_are_the_callers_and_can_be_read(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    api = client(app, session, claimant)
    notes = api.get("/api/v1/notifications").get_json()
    assert notes and all(n["read_at"] is None for n in notes)
    assert api.post("/api/v1/notifications/read").status_code == 204
    assert all(n["read_at"] for n in api.get("/api/v1/notifications").get_json())


def test_over_the_limit_the_answer_is_429_with_retry_after(app, session, factory, limited):
    api = client(app, session, factory.user(Role.INVESTOR))
    app.config["RATELIMIT_API_CALLER"] = "3 per minute"
    try:
        answers = [api.get("/api/v1/me").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        response = api.get("/api/v1/me")
        _problem(response, 429, "too-many-requests")
        assert int(response.headers["Retry-After"]) > 0
    finally:
        app.config["RATELIMIT_API_CALLER"] = "120 per minute; 3000 per hour"


def test_an_expired_or_revoked_token_opens_nothing(app, session, factory):
    user = factory.user(Role.INVESTOR)
    revoked, expired = make_token(session, user), make_token(session, user, TokenScope.READ)
    rows = {
        t.scope: t for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
    }
    rows[TokenScope.READ_WRITE].revoked_at = utcnow()
    rows[TokenScope.READ].expires_at = utcnow() - dt.timedelta(seconds=1)
    session.flush()
    for plain in (revoked, expired):
        _problem(ApiClient(app, plain).get("/api/v1/me"), 401, "unauthorized")


def test_a_key_is_kept_a_day_then_free_and_swept(app, session, arbitration):
    case, claimant, _respondent, _clerk = arbitration
    plain = make_token(session, claimant)
    token = session.scalar(select(ApiToken).where(ApiToken.digest == tokens.digest(plain)))
    day_old = utcnow() - idempotency.KEEP - dt.timedelta(minutes=1)
    for key in ("reply-2026-12-08", "another"):
        session.add(
            IdempotentRequest(
                caller=f"token:{token.id}", key=key, fingerprint="0" * 64, status=201,
                body="{}", headers={}, created_at=day_old,
            )
        )  # fmt: skip
    session.commit()
    answer = _file(ApiClient(app, plain), case, key="reply-2026-12-08")
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    kept = session.scalars(select(IdempotentRequest.key)).all()
    assert kept == ["reply-2026-12-08"]  # the new answer; the caller's old keys are gone


def test_the_claimant_adds_a_document_to_the_draft_claim(app, session, factory):
    claimant = factory.user(Role.INVESTOR)
    draft = factory.case(CaseState.DRAFT, claimant=claimant)
    filed = factory.case(CaseState.SUBMITTED, claimant=claimant)
    session.commit()
    api = client(app, session, claimant)
    url = f"/api/v1/cases/{draft.id}/documents"
    exhibit = pdf_bytes("Exhibit C-1")
    made = api.post(url, data={"file": (io.BytesIO(exhibit), "c-1.pdf")})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["sha256"] == hashlib.sha256(exhibit).hexdigest()
    assert made.headers["Location"] == made.get_json()["url"]
    before = len(draft.documents)
    not_pdf = api.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00"), "c-2.pdf")})
    _problem(not_pdf, 422, "invalid-input")
    session.expire_all()
    assert len(session.get(type(draft), draft.id).documents) == before
    # A claim already filed is not changed this way, and another's draft is not there.
    late = api.post(
        f"/api/v1/cases/{filed.id}/documents", data={"file": (io.BytesIO(exhibit), "x.pdf")}
    )
    _problem(late, 403, "forbidden")
    other = client(app, session, factory.user(Role.INVESTOR))
    _problem(other.post(url, data={"file": (io.BytesIO(exhibit), "x.pdf")}), 404, "not-found")
