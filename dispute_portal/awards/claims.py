"""The acts of the statements of costs (the tribunal's order, each side's statement), of a
counterclaim (ICSID rule 48) and of a grace period for a party in default (rule 49): each
one verb, checked and audited through the workflow table; they flush and never commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO

from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.contents import UploadRejected
from ..cases.models import Case, Currency, Visibility
from ..cases.operations import store_document
from ..db import session_of
from ..deadlines import operations as deadlines
from ..deadlines import queries as deadline_queries
from ..errors import TransitionRefused
from ..parties.models import Side
from ..proceedings.models import Submission
from ..rulings.operations import ruling_language
from ..rulings.render import catalogue
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from . import queries
from .models import CostsItem, CostsStatement, Counterclaim
from .operations import FieldRefused
from .values import costs_order_extra, grace_extra

# The date the tribunal sets for the statements of costs lies within the coming year.
COSTS_AHEAD = dt.timedelta(days=365)


class CostsDateRefused(FieldRefused):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__("due", message, **params)


def order_costs_statements(
    case: Case, *, chair: User, due: dt.date, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal sets the date by which each side files its statement of costs: a
    procedural order (a ruling) with its reasons and the date."""
    engine.check(chair, case, "order_costs_statements", reason=reason)
    today = deadline_queries.today()
    if due <= today:
        raise CostsDateRefused(N_("The date must be in the future."))
    if due > today + COSTS_AHEAD:
        raise CostsDateRefused(N_("The date can be at most a year ahead."))
    # The act first (its guard asks whether a date is set already), then its deadline.
    falls_on = deadlines.falls_on(case, due)
    event = engine.apply(
        chair,
        case,
        "order_costs_statements",
        reason=reason,
        expected_version=expected_version,
        data={"deadline": "costs_statement", "due": falls_on.isoformat()},
        ruling_extra=costs_order_extra(case, falls_on),
    )
    deadlines.start_on(case, "costs_statement", due, at=event.at)
    return event


def file_costs_statement(
    case: Case,
    *,
    user: User,
    items: list[tuple[str, Decimal, Currency]],
    note: str | None,
    expected_version: int | None,
) -> CostsStatement:
    """A side's statement of its costs. Once both sides have filed, the time limit is met."""
    engine.check(user, case, "file_costs_statement")
    side = policy.side_of(user, case)
    assert side is not None  # the table: a party
    if not items:
        raise FieldRefused("item_1_description", N_("List at least one item of costs."))
    for description, amount, _currency in items:
        if not description.strip():
            raise TransitionRefused(N_("Describe each item of costs."))
        if amount < 0:
            raise TransitionRefused(N_("An amount cannot be negative."))
    statement = CostsStatement(
        case_id=case.id, side=side, filed_by_id=user.id, note=(note or "").strip() or None
    )
    statement.items = [
        CostsItem(position=n, description=d.strip()[:300], amount=a, currency=c)
        for n, (d, a, c) in enumerate(items, start=1)
    ]
    session_of(case).add(statement)
    totals = statement.totals()
    event = engine.apply(
        user,
        case,
        "file_costs_statement",
        expected_version=expected_version,
        data={
            "side": side.value,
            "items": len(items),
            "totals": {c.value: str(a) for c, a in sorted(totals.items())},
        },
    )
    statement.filed_at = event.at
    session_of(case).flush()
    running = deadline_queries.open_deadline(case, "costs_statement")
    if running is not None:
        since = dt.datetime.combine(running.starts_on, dt.time(), dt.UTC) - dt.timedelta(days=1)
        if queries.sides_filed_costs(case, since) == {Side.CLAIMANT, Side.RESPONDENT}:
            deadlines.satisfy(case, "costs_statement", at=event.at)
    return statement


def file_counterclaim(
    session: Session,
    case: Case,
    *,
    user: User,
    amount: Decimal,
    currency: Currency,
    description: str,
    files: list[tuple[IO[bytes], str]],
    upload_dir: str,
    max_bytes: int,
    expected_version: int | None,
) -> Counterclaim:
    """The respondent's counterclaim, with its documents (for everyone on the case)."""
    engine.check(user, case, "file_counterclaim", reason=description)
    if amount < 0:
        raise FieldRefused("amount", N_("An amount cannot be negative."))
    event = engine.apply(
        user,
        case,
        "file_counterclaim",
        reason=description,
        expected_version=expected_version,
        data={
            "side": Side.RESPONDENT.value,
            "amount": str(amount),
            "currency": currency.value,
            "documents": len(files),
        },
    )
    # The submission that carries its documents is titled in the filer's language, as if
    # they had typed it (a submission's title is the filer's text).
    language = user.locale or ruling_language(case)
    title = catalogue(language).gettext(N_("Counterclaim"))
    submission = Submission(
        case_id=case.id,
        author_id=user.id,
        side=Side.RESPONDENT,
        title=title,
        body=description.strip(),
    )
    session.add(submission)
    session.flush()
    claim = Counterclaim(
        case_id=case.id,
        filed_by_id=user.id,
        filed_at=event.at,
        amount=amount,
        currency=currency,
        description=description.strip(),
        submission_id=submission.id,
    )
    session.add(claim)
    for position, (stream, filename) in enumerate(files):
        try:
            store_document(
                session,
                case,
                uploader=user,
                stream=stream,
                filename=filename,
                upload_dir=upload_dir,
                max_bytes=max_bytes,
                visibility=Visibility.PARTIES,
                side=Side.RESPONDENT,
                submission_id=submission.id,
            )
        except UploadRejected as exc:
            exc.position = position
            raise
    return claim


def allow_counterclaim(
    case: Case, *, chair: User, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal allows a counterclaim after its time (once)."""
    return engine.apply(
        chair, case, "allow_counterclaim", reason=reason, expected_version=expected_version
    )


class GraceRefused(FieldRefused):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__("until", message, **params)


def grant_grace(
    case: Case, *, chair: User, until: dt.date, reason: str, expected_version: int | None
) -> CaseEvent:
    """A grace period for the party in default (ICSID rule 49: at most 60 days), by a
    procedural order; the proceedings go on after it."""
    engine.check(chair, case, "grant_grace", reason=reason)
    today = deadline_queries.today()
    if until <= today:
        raise GraceRefused(N_("The grace period must end in the future."))
    if until > today + dt.timedelta(days=queries.GRACE_DAYS):
        raise GraceRefused(
            N_("A grace period is at most %(days)s days, until %(day)s."),
            days=queries.GRACE_DAYS,
            day=today + dt.timedelta(days=queries.GRACE_DAYS),
        )
    default = case.last_event("record_default")
    assert default is not None  # the guard
    side = (default.data or {}).get("side", "")
    # The act first (its guard asks whether a grace period runs already), then its deadline.
    falls_on = deadlines.falls_on(case, until)
    event = engine.apply(
        chair,
        case,
        "grant_grace",
        reason=reason,
        expected_version=expected_version,
        data={"side": side, "deadline": "default_grace", "due": falls_on.isoformat()},
        ruling_extra=grace_extra(case, side, falls_on),
    )
    deadlines.start_on(case, "default_grace", until, at=event.at)
    return event
