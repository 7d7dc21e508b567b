"""The pages of party appointment, through the browser: the registry records that the
parties appoint, each side nominates on its page, the co-arbitrators choose the presiding
arbitrator, the registry appoints in default; each refuses the wrong person and bad input
and changes nothing then. No JavaScript: plain forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Chooser
from dispute_portal.nominations import operations as nominations
from dispute_portal.nominations.models import Basis, Seat, TribunalSize
from dispute_portal.nominations.queries import holder
from dispute_portal.parties.models import Side
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState
from tests.conftest import browser_for, hidden


def test_the_whole_route_through_the_pages(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    a = factory.user(Role.ARBITRATOR, name="Asel Claimant-Pick")
    b = factory.user(Role.ARBITRATOR, name="Bauyrzhan Respondent-Pick")
    p = factory.user(Role.ARBITRATOR, name="Dana Presiding")
    conflicted = factory.user(Role.ARBITRATOR, name="Erlan Conflicted")
    neutrals.add_conflict(session, conflicted, party_name=case.claimant.name, note=None)
    session.commit()
    base = f"/cases/{case.id}"

    # The case page offers the clerk the record; the claimant nothing to nominate yet.
    clerk_b = browser_for(app, clerk)
    assert f'href="{base}/party-appointment"' in clerk_b.get(base).text
    claimant_b = browser_for(app, case.claimant_user)
    page = claimant_b.get(f"{base}/nominate")
    assert page.status_code == 200 and "not the parties" in page.text
    assert claimant_b.get(f"{base}/party-appointment").status_code == 403

    # The record: a size and a basis are required.
    page = clerk_b.get(f"{base}/party-appointment").text
    bad = clerk_b.post(f"{base}/party-appointment", {"version": hidden(page)})
    assert bad.status_code == 400 and "Choose the tribunal" in bad.text
    done = clerk_b.post(
        f"{base}/party-appointment",
        {"version": hidden(page), "size": "three", "basis": "agreement"},
    )
    assert done.status_code == 302
    session.expire_all()
    assert case.constitution is not None

    # The claimant nominates: the conflicted arbitrator is not offered, and refused if sent.
    page = claimant_b.get(f"{base}/nominate").text
    assert "Asel Claimant-Pick" in page and f'value="{conflicted.id}"' not in page
    assert "Declared a conflict with a party" in page  # listed apart, not selectable
    version = hidden(page, "act-version")
    refused = claimant_b.post(
        f"{base}/nominate", {"act-version": version, "act-arbitrator": str(conflicted.id)}
    )
    assert refused.status_code == 400
    done = claimant_b.post(
        f"{base}/nominate", {"act-version": version, "act-arbitrator": str(a.id)}
    )
    assert done.status_code == 302
    session.expire_all()
    assert holder(case, Seat.CLAIMANT).user_id == a.id
    # Its seat filled, the claimant is told so; the respondent still nominates.
    assert "already nominated its arbitrator" in claimant_b.get(f"{base}/nominate").text
    resp_b = browser_for(app, respondent)
    page = resp_b.get(f"{base}/nominate").text
    assert "The claimant&#39;s co-arbitrator" in page and "Asel Claimant-Pick" in page
    done = resp_b.post(
        f"{base}/nominate",
        {"act-version": hidden(page, "act-version"), "act-arbitrator": str(b.id)},
    )
    assert done.status_code == 302

    # Both accept; a co-arbitrator records the choice of the presiding arbitrator.
    session.expire_all()
    for user in (a, b):
        neutrals.accept(
            session,
            case,
            user=user,
            declaration="I am independent.",
            confirmed=True,
            expected_version=None,
        )
    session.commit()
    co_b = browser_for(app, a)
    page = co_b.get(f"{base}/choose-presiding").text
    no_reason = co_b.post(
        f"{base}/choose-presiding",
        {"act-version": hidden(page, "act-version"), "act-arbitrator": str(p.id)},
    )
    assert no_reason.status_code == 400 and "Give the reasons" in no_reason.text
    done = co_b.post(
        f"{base}/choose-presiding",
        {
            "act-version": hidden(page, "act-version"),
            "act-arbitrator": str(p.id),
            "act-reason": "We agreed at a call on 3 December.",
        },
    )
    assert done.status_code == 302
    session.expire_all()
    chosen = holder(case, Seat.PRESIDING)
    assert chosen.user_id == p.id and chosen.chosen_by is Chooser.CO_ARBITRATORS
    # The parties' own page does not let them choose it.
    assert claimant_b.get(f"{base}/choose-presiding").status_code == 403


def test_the_registry_appoints_in_default_with_a_notice(app, factory, session):
    # Recorded on Thursday 1 October 2026: the parties' 30 days ended on Monday 2 November
    # (31 October is a Saturday), long before today.
    with frozen_time(dt.datetime(2026, 10, 1, 5, 0, tzinfo=dt.UTC)):
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.ARBITRATION, clerk=clerk)
        factory.join(case, clerk)
        nominations.record_party_appointment(
            session,
            case,
            clerk=clerk,
            size=TribunalSize.THREE,
            basis=Basis.REGISTRY,
            expected_version=None,
        )
    pick = factory.user(Role.ARBITRATOR, name="Gulnara Default")
    session.commit()
    base = f"/cases/{case.id}"
    clerk_b = browser_for(app, clerk)
    page = clerk_b.get(f"{base}/appoint-in-default").text
    assert "2 Nov 2026 · <strong>passed: the Centre may appoint</strong>" in page
    version = hidden(page, "act-version")
    form = {"act-version": version, "act-arbitrator": str(pick.id)}
    bad = clerk_b.post(
        f"{base}/appoint-in-default", form | {"act-seat": "presiding", "act-reason": "x"}
    )
    assert bad.status_code == 400  # the presiding seat is not in default: not offered
    no_reason = clerk_b.post(f"{base}/appoint-in-default", form | {"act-seat": "respondent"})
    assert no_reason.status_code == 400 and "Give the reasons" in no_reason.text
    done = clerk_b.post(
        f"{base}/appoint-in-default",
        form | {"act-seat": "respondent", "act-reason": "No nomination within the 30 days."},
    )
    assert done.status_code == 302
    session.expire_all()
    made = holder(session.get(type(case), case.id), Seat.RESPONDENT)
    assert (made.side, made.chosen_by, made.user_id) == (Side.RESPONDENT, Chooser.CENTRE, pick.id)
    kinds = session.scalars(select(Ruling.kind).where(Ruling.case_id == case.id)).all()
    assert kinds[-1] == "notice_of_appointment"
    # Not the parties' act.
    claimant_b = browser_for(app, case.claimant_user)
    assert claimant_b.get(f"{base}/appoint-in-default").status_code == 403
