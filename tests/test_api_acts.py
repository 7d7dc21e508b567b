"""The workflow's acts that need no more than reasons, through the API (issue 18): the same
act of the table as the portal's act page, with its guards, its record and its ruling; the
case's ETag as If-Match; an Idempotency-Key; the order 404, 403, 422. And the pleadings of
the written phase, filed as the portal's submission page files them."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from dispute_portal.api.models import TokenScope
from dispute_portal.api.rest.problems import type_uri
from dispute_portal.auth.models import Role
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient, case_with_parties, make_token
from tests.factories import pdf_bytes
from tests.test_written_phase import days, set_timetable


@pytest.fixture
def registered(factory, session):
    return case_with_parties(factory, session, CaseState.REGISTERED)


def _api(app, session, user, scope=TokenScope.READ_WRITE) -> ApiClient:
    return ApiClient(app, make_token(session, user, scope))


def _act(api, case, action, reason=None, **headers):
    body = {} if reason is None else {"reason": reason}
    return api.post(f"/api/v1/cases/{case.id}/acts/{action}", json=body, headers=headers)


def _events(session, case, action) -> int:
    return session.scalar(
        select(func.count(CaseEvent.id)).where(
            CaseEvent.case_id == case.id, CaseEvent.action == action
        )
    )


def _slug(response) -> str:
    return response.get_json()["type"].removeprefix(type_uri(""))


def test_counsel_withdraws_the_claim(app, session, factory, registered):
    case, claimant, respondent, _clerk = registered
    api = _api(app, session, claimant)
    read = api.get(f"/api/v1/cases/{case.id}")
    offered = {a["action"]: a for a in read.get_json()["actions"]}
    url = offered["withdraw"]["url"]
    assert url.endswith(f"/api/v1/cases/{case.id}/acts/withdraw")
    tag = read.headers["ETag"]

    # Refusals, in their order, each changing nothing.
    outsider = _api(app, session, factory.user(Role.INVESTOR))
    assert _act(outsider, case, "withdraw").status_code == 404
    assert _act(api, case, "no_such_act").status_code == 404
    assert _act(api, case, "extend_deadline").status_code == 404  # an act with its own form
    refused = _act(_api(app, session, respondent), case, "withdraw")
    assert (refused.status_code, _slug(refused)) == (403, "forbidden")
    reader = _act(_api(app, session, claimant, TokenScope.READ), case, "withdraw")
    assert (reader.status_code, _slug(reader)) == (403, "insufficient-scope")
    bad = api.post(url, json={"reason": "x", "extra": 1})
    assert (bad.status_code, _slug(bad)) == (422, "invalid-input")
    stale = _act(api, case, "withdraw", **{"If-Match": f'"case-{case.id}-v{case.version - 1}"'})
    assert (stale.status_code, _slug(stale)) == (412, "case-changed")
    session.refresh(case)
    assert case.state is CaseState.REGISTERED and _events(session, case, "withdraw") == 0

    done = _act(
        api, case, "withdraw", "Settled out of court.", **{"If-Match": tag, "Idempotency-Key": "w1"}
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    body = done.get_json()
    assert body["state"] == "withdrawn" and done.headers["ETag"] != tag
    assert body["version"] > read.get_json()["version"]
    again = _act(
        api, case, "withdraw", "Settled out of court.", **{"If-Match": tag, "Idempotency-Key": "w1"}
    )
    assert again.get_json() == body and again.headers["Idempotent-Replayed"] == "true"
    assert _events(session, case, "withdraw") == 1
    trail = api.get(f"/api/v1/cases/{case.id}/events?limit=100").get_json()
    assert [e["action"] for e in trail if e["action"] == "withdraw"] == ["withdraw"]
    rulings = api.get(f"/api/v1/cases/{case.id}/rulings").get_json()
    assert [r["kind"] for r in rulings][-1] == "termination_order"  # as the act page issues
    assert _act(api, case, "withdraw").status_code == 403  # withdrawn: no longer its act


def test_reasons_a_guard_and_hostile_text(app, session, registered):
    case, claimant, _respondent, _clerk = registered
    api = _api(app, session, claimant)
    missing = _act(api, case, "request_discontinuance", "   ")
    assert (missing.status_code, _slug(missing)) == (422, "invalid-input")
    assert missing.get_json()["detail"] == "Give the reasons."
    nul = _act(api, case, "request_discontinuance", "Because\x00")
    assert (nul.status_code, _slug(nul)) == (422, "invalid-input")
    assert _events(session, case, "request_discontinuance") == 0
    asked = _act(api, case, "request_discontinuance", "The investment was sold.")
    assert asked.status_code == 200, asked.get_data(as_text=True)
    offered = {a["action"]: a for a in asked.get_json()["actions"]}
    blocked = offered["request_discontinuance"]["blocked"]
    assert blocked  # a request is pending: the guard says why not again
    twice = _act(api, case, "request_discontinuance", "Again.")
    assert (twice.status_code, _slug(twice)) == (409, "refused")
    assert twice.get_json()["detail"] == blocked
    assert _events(session, case, "request_discontinuance") == 1


def _file(api, case, kind):
    return api.post(
        f"/api/v1/cases/{case.id}/submissions",
        data={
            "title": f"The {kind}",
            "kind": kind,
            "file": [(io.BytesIO(pdf_bytes(kind)), f"{kind}.pdf")],
        },
        content_type="multipart/form-data",
    )


def test_counsel_files_the_memorial_by_its_deadline(app, session, factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    respondent = factory.join(case, clerk)
    session.commit()
    mine, theirs = _api(app, session, case.claimant_user), _api(app, session, respondent)
    early = _file(mine, case, "memorial")  # no timetable yet: no date for it
    assert (early.status_code, _slug(early)) == (409, "refused")
    set_timetable(case, chair, memorial=days(30))
    session.commit()
    wrong = _file(theirs, case, "memorial")  # the claimant's pleading
    assert (wrong.status_code, _slug(wrong)) == (403, "forbidden")
    filed = _file(mine, case, "memorial")
    assert filed.status_code == 201, filed.get_data(as_text=True)
    assert filed.get_json()["pleading"] == "memorial"
    session.refresh(case)
    assert next(d for d in case.deadlines if d.key == "memorial").status is DeadlineStatus.MET
    assert _events(session, case, "file_memorial") == 1


def test_the_mediator_extends_the_mediation(app, session, factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    session.commit()
    api = _api(app, session, mediator)
    assert _act(api, case, "extend_mediation").status_code == 422  # its reasons are required
    done = _act(api, case, "extend_mediation", "Both parties agreed in writing on 1 December.")
    assert done.status_code == 200, done.get_data(as_text=True)
    assert _events(session, case, "extend_mediation") == 1
    refused = _act(_api(app, session, case.claimant_user), case, "extend_mediation", "Please.")
    assert (refused.status_code, _slug(refused)) == (403, "forbidden")
