"""Who is told what: a portal notification and an e-mail (through the outbox) per person.

Texts are stored as message ids with parameters and translated for each reader: in the
portal when they read it, in the e-mail when it is written (in the recipient's language).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..cases.models import Case
from ..db import db, session_of, unchanged_since, utcnow
from ..policy import may_read_event
from ..rulings.render import catalogue
from ..texts import N_
from ..workflow.engine import Change
from .models import Notification, OutboxMessage
from .texts import NOTICES, compose, dated, due_on, event_params, notice_for, notices_key

# Acts after which the registry has something to do (or must know): every clerk is told.
CLERK_ACTIONS = frozenset(
    {
        "submit",
        "submit_fee_note",
        "decline_mediation",
        "decline_appointment",
        "constitute",
        "settle",
        "impasse",
        "lapse",
        "refer",
        "record_default",
        "issue_award",
        "dismiss",
        "request_correction",
        "withdraw",
        # Ending without an award, and mediation as the parties choose
        "end_mediation",
        "request_discontinuance",
        "discontinue",
        "consent_award",
        "order_discontinuance",
        "notify_inactivity",
        "discontinue_inactive",
        # Constitution by the parties (issue 15): the registry follows every seat.
        "party_appointment",
        "nominate_arbitrator",
        "co_arbitrators_accepted",
        "choose_presiding",
        "appoint_in_default",
        # Preliminary objections: a decision that ends the case (issue 15).
        "uphold_merit_objection",
        "decline_jurisdiction",
        # Challenges and vacancies (issue 15): the registry decides some proposals and
        # fills the seats left vacant.
        "propose_disqualification",
        "close_challenge_pleadings",
        "decide_challenge",
        "resign",
        "challenge_moot",
        "open_vacancy",
        "fill_vacancy",
    }
)
# Backoff after a failed delivery: 1, 2, 4 … minutes, at most six hours; never given up.
MAX_BACKOFF = dt.timedelta(hours=6)
# A sender claims a message for this long; if it dies mid-send, another retries after it.
LEASE = dt.timedelta(minutes=10)
# Failures of one message (the next may still go); anything else means the server is
# unreachable or refuses us, and the run stops.
MESSAGE_FAULTS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError)


def people_on(case: Case) -> list[User]:
    """Everyone who acts on the case: claimant, party representatives and counsel, and the
    neutrals proposed or appointed (declined ones are off the case)."""
    people: dict[int, User] = {case.claimant_user.id: case.claimant_user}
    for participant in case.participants:
        people[participant.user.id] = participant.user
    for appointment in case.appointments:
        if appointment.active:
            people[appointment.user.id] = appointment.user
    return list(people.values())


def clerks(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User).where(User.role == Role.CLERK, User.is_active.is_(True)).order_by(User.id)
        )
    )


def notify_transition(change: Change) -> None:
    """The workflow's effect on people: tell everyone on the case (and the registry, for the
    acts it must know of) what happened, except the actor, and only what each may read;
    each in the words of their role, with what they must do next and by when."""
    case, event, transition, actor = change.case, change.event, change.transition, change.user
    session = session_of(case)
    recipients = {u.id: u for u in people_on(case)}
    if transition.action in CLERK_ACTIONS:
        recipients |= {u.id: u for u in clerks(session)}
    if actor is not None:
        recipients.pop(actor.id, None)
    params = {
        "reference": case.reference,
        "actor": actor.name if actor is not None else N_("the Registry"),
        **event_params(event),
    }
    key = notices_key(transition.action, event)
    everyone = NOTICES[key][""]
    for user in recipients.values():
        if event.visibility is not None and not may_read_event(user, case, event):
            continue
        notice = notice_for(key, user, case)
        message, date = dated(notice, everyone, due_on(notice, case, event))
        quoted = {"reasons": event.note or ""} if notice.reasons else {}
        notify(user, case, message, params | date | quoted)


def notify(user: User, case: Case, message: str, params: dict[str, Any]) -> Notification:
    """One notice to one person: in the portal, and by e-mail in their language."""
    session = session_of(case)
    notification = Notification(
        user_id=user.id, case_id=case.id, message=message, params=dict(params)
    )
    session.add(notification)
    if user.is_active:
        language = user.locale or "en"
        t = catalogue(language)
        text = compose(message, params, t, language)
        base = session.info["config"]["PUBLIC_BASE_URL"].rstrip("/")
        body = "\n\n".join(
            [
                t.gettext("Dear %(name)s,") % {"name": user.name},
                text,
                t.gettext("Open the case: %(url)s") % {"url": f"{base}/cases/{case.id}"},
                t.gettext("Investment Dispute Resolution Centre of Alatau City"),
            ]
        )
        # A subject is one line: a name or a reason typed with a line break must not
        # become a header that no mail library will build.
        subject = " ".join(text.split())[:300]
        session.add(OutboxMessage(to_email=user.email, subject=subject, body=body + "\n"))
    return notification


def unread_count(session: Session, user: User) -> int:
    """The user's unread notifications: as read with their login session at the start of
    the request (auth.operations.find_session) while this session has written nothing since
    and has nothing pending, else counted now."""
    loaded = user.unread_as_loaded
    if loaded is not None and unchanged_since(session, loaded[0]):
        return loaded[1]
    return (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_all_read(session: Session, user: User, within: ColumnElement[bool] | None = None) -> None:
    """Every unread notification of the user's, or only those of the cases `within` (on
    Case.id: an API client's narrowing)."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if within is not None:
        query = query.where(Notification.case_id.in_(select(Case.id).where(within)))
    session.execute(query.values(read_at=utcnow()))


def send_pending(session: Session, config: Any, *, limit: int = 100) -> tuple[int, int]:
    """Deliver what is due in the outbox. Returns (sent, failed); a failure waits longer
    each time and is retried, visible to the admin meanwhile.

    Each message is first claimed (its next attempt moved a lease ahead) and committed,
    then sent, then marked sent and committed: two senders (cron and a worker) never send
    one message twice, no lock is held while the mail server talks, and a crash mid-send
    leaves the message to be retried when the lease runs out. The session is committed:
    call this with nothing else pending in it.
    """
    if not config.get("MAIL_SERVER"):
        return 0, 0
    sent = failed = 0
    for _ in range(limit):
        now = utcnow()
        message = session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if message is None:
            break
        message.next_attempt_at = now + LEASE
        session.commit()
        try:
            _deliver(message, config)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.next_attempt_at = utcnow() + min(
                dt.timedelta(minutes=2 ** min(message.attempts - 1, 20)), MAX_BACKOFF
            )
            failed += 1
            session.commit()
            if not isinstance(exc, MESSAGE_FAULTS):
                break  # the server is down or refuses us: the rest wait for the next run
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
            session.commit()
    return sent, failed


def send_pending_job() -> tuple[int, int]:
    """The background job (dispute_portal.jobs) that delivers right after a request."""
    return send_pending(db.session(), current_app.config)


def _deliver(message: OutboxMessage, config: Any) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # The sender's domain, not this host's name (often "localhost"), which spam filters mark.
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or None
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    email.set_content(message.body)
    port = int(config.get("MAIL_PORT") or 25)
    with smtplib.SMTP(config["MAIL_SERVER"], port, timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def outbox_page(
    session: Session, *, pending_only: bool, page: int = 1, per_page: int = 50
) -> tuple[list[OutboxMessage], int]:
    """The admin's view: pending messages first (next due first), then the sent ones,
    latest first. Returns one page and the total."""
    query = select(OutboxMessage)
    if pending_only:
        query = query.where(OutboxMessage.sent_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pending = OutboxMessage.sent_at.is_(None)
    rows = session.scalars(
        query.order_by(
            when((pending, 0), else_=1),
            when((pending, OutboxMessage.next_attempt_at)),
            OutboxMessage.sent_at.desc(),
            OutboxMessage.id.desc(),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def outbox_counts(session: Session) -> tuple[int, int]:
    """(pending, of which failing): what the admin's summary says."""
    pending = session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    )
    failing = session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0
        )
    )
    return pending or 0, failing or 0


def inbox_page(
    session: Session, user: User, *, page: int = 1, per_page: int = 50
) -> tuple[list[Notification], int]:
    """One page of a person's notifications, newest first, and how many there are."""
    mine = Notification.user_id == user.id
    total = session.scalar(select(func.count(Notification.id)).where(mine)) or 0
    rows = session.scalars(
        select(Notification)
        .where(mine)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total
