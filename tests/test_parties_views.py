"""Inviting the respondent's representative and counsel, and joining a case by the link."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from dispute_portal.auth.models import Role, User
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.parties.models import Invitation, Participant, Side, Standing
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser, hidden
from tests.factories import Factory

INVALID = "This link is no longer valid"


def link_sent_to(session, email: str) -> str:
    body = session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.to_email == email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"http://[^/\s]+(/join/[\w-]+)", body).group(1)


def invitations(session, case) -> list[Invitation]:
    session.expire_all()
    return list(session.scalars(select(Invitation).where(Invitation.case_id == case.id)))


def invite_via_page(browser, case, standing: str, name: str, email: str):
    page = browser.get(f"/cases/{case.id}/invite/{standing}").text
    return browser.post(
        f"/cases/{case.id}/invite/{standing}",
        {"name": name, "email": email, "version": hidden(page, "version")},
    )


# Who may invite is the route matrix's (tests/test_route_matrix.py).


# Inviting and joining -----------------------------------------------------------------------


def test_clerk_invites_and_a_new_user_joins(app, factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    response = invite_via_page(
        browser, case, "representative", "Dana Akimova", " Dana@Akimat.example.kz "
    )
    assert response.status_code == 302
    page = browser.get(response.location).text
    assert "An invitation was sent to dana@akimat.example.kz" in page
    assert "Dana Akimova" in page  # under the invitations not yet used
    [invitation] = invitations(session, case)
    assert (invitation.side, invitation.standing) == (Side.RESPONDENT, Standing.REPRESENTATIVE)
    link = link_sent_to(session, "dana@akimat.example.kz")
    assert link.split("/")[-1] not in page  # the token is never shown to the inviter

    newcomer = Browser(app)
    page = newcomer.get(link).text
    assert "Join case" in page and case.title in page
    assert "as the respondent's representative" in page
    assert 'value="Dana Akimova"' in page  # the name, as the inviter wrote it
    weak = newcomer.post(link, {"name": "Dana Akimova", "password": "short", "confirm": "short"})
    assert weak.status_code == 400
    differ = newcomer.post(
        link, {"name": "Dana", "password": Factory.PASSWORD, "confirm": Factory.PASSWORD + "x"}
    )
    assert differ.status_code == 400 and "The passwords differ." in differ.text
    assert session.scalar(select(func.count(User.id)).where(User.email.like("dana@%"))) == 0
    assert invitations(session, case)[0].used_at is None

    response = newcomer.post(
        link, {"name": "Dana Akimova", "password": Factory.PASSWORD, "confirm": Factory.PASSWORD}
    )
    assert response.location == f"/cases/{case.id}"
    case_page = newcomer.get(response.location)
    assert case_page.status_code == 200 and "You joined case" in case_page.text
    session.expire_all()
    user = session.scalar(select(User).where(User.email == "dana@akimat.example.kz"))
    assert user.role is Role.RESPONDENT and user.name == "Dana Akimova"
    assert [(p.user_id, p.side, p.standing) for p in case.participants] == [
        (user.id, Side.RESPONDENT, Standing.REPRESENTATIVE)
    ]
    assert invitations(session, case)[0].used_by_id == user.id

    # The link is spent: a second use (by anyone) finds nothing, and changes nothing.
    again = Browser(app).get(link)
    assert again.status_code == 404 and INVALID in again.text
    newcomer._token = None  # logged in since: a fresh session has a fresh CSRF token
    assert newcomer.post(link, {}).status_code == 404


def test_expired_used_and_unknown_links_get_the_same_answer(app, factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    with frozen_time(utcnow() - dt.timedelta(days=15)):  # links live 14 days
        invite_via_page(browser, case, "representative", "Old Invite", "old@example.kz")
    link = link_sent_to(session, "old@example.kz")
    visitor = Browser(app)
    expired = visitor.get(link)
    unknown = visitor.get("/join/" + "x" * 43)
    too_long = visitor.get("/join/" + "x" * 200)
    for response in (expired, unknown, too_long):
        assert response.status_code == 404 and INVALID in response.text
    answer = visitor.post(link, {"name": "Old", "password": Factory.PASSWORD, "confirm": "x"})
    assert answer.status_code == 404
    assert session.scalar(select(User).where(User.email == "old@example.kz")) is None


def test_a_staff_address_is_refused(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = factory.user(Role.MEDIATOR)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    response = invite_via_page(browser, case, "representative", "A Mediator", mediator.email)
    assert response.status_code == 409
    assert "belongs to a staff account" in response.text
    assert invitations(session, case) == []
    sent = select(OutboxMessage).where(OutboxMessage.to_email == mediator.email)
    assert session.scalar(sent) is None


def test_invalid_or_stale_invitation_forms_change_nothing(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/invite/representative").text
    bad = browser.post(
        f"/cases/{case.id}/invite/representative",
        {"name": "", "email": "not-an-email", "version": hidden(page, "version")},
    )
    assert bad.status_code == 400 and "Give the person's name." in bad.text
    stale = browser.post(
        f"/cases/{case.id}/invite/representative",
        {"name": "Late", "email": "late@example.kz", "version": str(case.version - 1)},
    )
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    assert invitations(session, case) == []
    assert (
        session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "late@example.kz"))
        is None
    )


def test_claimant_adds_counsel_who_already_has_an_account(app, factory, session, login_as):
    investor = factory.user(Role.INVESTOR)
    case = factory.case(CaseState.REGISTERED, claimant=investor)
    counsel = factory.user(Role.INVESTOR, name="Counsel Karimov", email="karimov@law.kz")
    session.commit()
    browser, _ = login_as("investor", user=investor)
    response = invite_via_page(browser, case, "counsel", "Counsel Karimov", "karimov@law.kz")
    assert response.status_code == 302
    [invitation] = invitations(session, case)
    assert (invitation.side, invitation.standing) == (Side.CLAIMANT, Standing.COUNSEL)
    link = link_sent_to(session, "karimov@law.kz")

    # Not logged in: the account exists, so log in first and come back.
    visitor = Browser(app)
    page = visitor.get(link).text
    assert "already exists" in page and "/login?next=" in page and 'name="password"' not in page

    # Logged in as someone else: the invitation is not theirs.
    stranger, _ = login_as("investor")
    refused = stranger.post(link, {})
    assert refused.status_code == 409 and "sent to another address" in refused.text
    assert invitations(session, case)[0].used_at is None

    lawyer = Browser(app)
    response = lawyer.post(
        "/login", {"email": counsel.email, "password": Factory.PASSWORD, "next": link}
    )
    assert response.location == link
    lawyer._token = None  # a fresh session has a fresh CSRF token
    page = lawyer.get(link).text
    assert "as counsel for the claimant" in page and "Join the case" in page
    response = lawyer.post(link, {})
    assert response.location == f"/cases/{case.id}"
    assert lawyer.get(response.location).status_code == 200
    session.expire_all()
    [participant] = session.scalars(select(Participant).where(Participant.case_id == case.id))
    assert (participant.user_id, participant.side) == (counsel.id, Side.CLAIMANT)
    assert case.claimant.counsel_name == "Counsel Karimov"
    assert lawyer.get(link).status_code == 404  # spent


def test_respondent_adds_counsel_to_its_own_side(app, factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    clerk_browser, _ = login_as("clerk", user=clerk)
    invite_via_page(clerk_browser, case, "representative", "Rep", "rep@akimat.kz")
    rep = Browser(app)
    rep.post(
        link_sent_to(session, "rep@akimat.kz"),
        {"name": "Rep", "password": Factory.PASSWORD, "confirm": Factory.PASSWORD},
    )
    rep._token = None  # logged in: a fresh session has a fresh CSRF token
    response = invite_via_page(rep, case, "counsel", "Their Counsel", "counsel@firm.kz")
    assert response.status_code == 302
    counsel_invite = [i for i in invitations(session, case) if i.standing is Standing.COUNSEL]
    assert [(i.side, i.email) for i in counsel_invite] == [(Side.RESPONDENT, "counsel@firm.kz")]
    # The claimant's own invitations page does not list the other side's invitations.
    claimant, _ = login_as("investor", user=case.claimant_user)
    assert "counsel@firm.kz" not in claimant.get(f"/cases/{case.id}/invite/counsel").text
