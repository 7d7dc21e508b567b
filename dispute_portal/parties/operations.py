"""Inviting the respondent's representative and counsel, and joining a case by invitation."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..auth.operations import create_user, find_user, normalise_email
from ..cases.models import Case
from ..cases.subject import Consent
from ..core.freshness import changes_at
from ..db import utcnow
from ..errors import TransitionRefused
from ..notices.models import OutboxMessage
from ..rulings.render import catalogue
from ..texts import N_
from ..workflow import engine
from ..workflow.models import record
from .models import Invitation, Participant, Side, Standing

PARTY_ROLES = (Role.INVESTOR, Role.RESPONDENT)


def invite(
    session: Session,
    case: Case,
    *,
    inviter: User,
    side: Side,
    standing: Standing,
    email: str,
    name: str,
    expected_version: int | None,
) -> tuple[Invitation, str]:
    """Make a single-use link and e-mail it; returns the invitation and the clear token
    (which exists nowhere else: only its hash is stored)."""
    action = "invite_respondent" if standing is Standing.REPRESENTATIVE else "add_counsel"
    email = normalise_email(email)
    existing = find_user(session, email)
    if existing is not None and existing.role not in PARTY_ROLES:
        raise TransitionRefused(
            N_("This address belongs to a staff account; it cannot act for a party.")
        )
    if existing is not None and any(p.user_id == existing.id for p in case.participants):
        raise TransitionRefused(N_("This person already acts on this case."))
    engine.apply(
        inviter,
        case,
        action,
        expected_version=expected_version,
        data={"email": email, "name": name.strip(), "side": side.value, "standing": standing},
    )
    config = session.info["config"]
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        case_id=case.id,
        side=side,
        standing=standing,
        email=email,
        name=name.strip(),
        token_hash=Invitation.hash_token(token),
        created_by_id=inviter.id,
        expires_at=utcnow() + dt.timedelta(days=config["INVITATION_DAYS"]),
    )
    session.add(invitation)
    language = case.language if case.language in config["LANGUAGES"] else "en"
    t = catalogue(language)
    link = f"{config['PUBLIC_BASE_URL'].rstrip('/')}/join/{token}"
    params = {"name": name.strip(), "reference": case.reference, "title": case.title_in(t.gettext)}
    body = "\n\n".join(
        [
            t.gettext("Dear %(name)s,") % params,
            t.gettext(
                "You are invited to act in case %(reference)s (%(title)s) on the Dispute "
                "Portal of the Investment Dispute Resolution Centre of Alatau City."
            )
            % params,
            t.gettext(
                "Open this link to set your password and join the case. It works once and "
                "expires in %(days)s days:"
            )
            % {"days": config["INVITATION_DAYS"]},
            link,
        ]
    )
    session.add(
        OutboxMessage(
            to_email=email,
            subject=t.gettext("Invitation to case %(reference)s") % params,
            body=body + "\n",
        )
    )
    return invitation, token


def find_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation this link stands for, if it is unused and unexpired."""
    if not token or len(token) > 100:
        return None
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == Invitation.hash_token(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    return invitation


def join(
    session: Session, invitation: Invitation, user: User, *, consent: Consent | None = None
) -> Participant:
    """Link the user to the invited side; the link is spent. The respondent's representative
    may state, as it joins, whether the decisions may be published."""
    if user.role not in PARTY_ROLES:
        raise TransitionRefused(N_("A staff account cannot act for a party."))
    if normalise_email(user.email) != invitation.email:
        raise TransitionRefused(
            N_("This invitation was sent to another address. Sign in with that address.")
        )
    # The row lock makes two clicks on one link join once.
    case = session.execute(
        select(Case).where(Case.id == invitation.case_id).with_for_update()
    ).scalar_one()
    session.refresh(invitation)
    if invitation.used_at is not None:
        raise TransitionRefused(N_("This invitation has already been used."))
    if any(p.user_id == user.id for p in case.participants):
        raise TransitionRefused(N_("You already act on this case."))
    invitation.used_at = utcnow()
    invitation.used_by_id = user.id
    participant = Participant(
        user_id=user.id, user=user, side=invitation.side, standing=invitation.standing
    )
    case.participants.append(participant)
    _name_counsel(case, invitation, user)
    respondent = case.respondent
    if consent is not None and invitation.standing is Standing.REPRESENTATIVE and respondent:
        respondent.publication_consent = consent
    record(
        user,
        case,
        "join",
        data={"side": invitation.side.value, "standing": invitation.standing.value},
    )
    return participant


def _name_counsel(case: Case, invitation: Invitation, user: User) -> None:
    """Counsel who join appear on the party's record (and so on rulings issued after)."""
    party = case.party(invitation.side)
    if invitation.standing is Standing.COUNSEL and party is not None and not party.counsel_name:
        party.counsel_name = user.name
        party.counsel_email = user.email


def join_as_new_user(
    session: Session,
    invitation: Invitation,
    *,
    name: str,
    password: str,
    locale: str | None,
    consent: Consent | None = None,
) -> tuple[User, Participant]:
    role = Role.RESPONDENT if invitation.side is Side.RESPONDENT else Role.INVESTOR
    user = create_user(
        session,
        email=invitation.email,
        name=name,
        password=password,
        role=role,
        locale=locale,
    )
    return user, join(session, invitation, user, consent=consent)


def participants(case: Case) -> list[Participant]:
    return list(case.participants)


def pending_invitations(session: Session, case: Case) -> list[Invitation]:
    pending = list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.case_id == case.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.id)
        )
    )
    for invitation in pending:
        changes_at(invitation.expires_at)  # a page listing it changes when it expires
    return pending
