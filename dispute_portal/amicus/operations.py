"""A non-disputing party's application to file a written submission (ICSID Arbitration Rules
2022, rule 67): the registry records it with its document, each party files observations,
the tribunal grants or refuses it in a decision (a ruling). Once granted, the submission is
on the record of the case for the tribunal and the parties."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case, Visibility
from ..cases.operations import store_document
from ..db import utcnow
from ..deadlines import operations as deadlines
from ..deadlines.models import DeadlineStatus
from ..deadlines.queries import open_deadline, today
from ..errors import TransitionRefused
from ..rulings.operations import ruling_language
from ..texts import N_
from ..workflow import engine
from . import queries
from .models import ApplicantKind, Decision, NonDisputingApplication, ReceivedBy

OBSERVATIONS = "non_disputing_observations"
NO_DOCUMENT = N_("Attach the written submission the applicant wishes to file.")


class ApplicationRefused(TransitionRefused):
    """A refusal about one field of the form (said beside it)."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def record_application(
    session: Session,
    case: Case,
    *,
    clerk: User,
    applicant_name: str,
    applicant_kind: str,
    description: str,
    interest: str,
    received_by: str,
    received_on: dt.date,
    stream: IO[bytes],
    filename: str,
    upload_dir: str,
    max_bytes: int,
    expected_version: int | None,
) -> NonDisputingApplication:
    """The registry records an application received outside the portal, with the written
    submission the applicant wishes to file; the parties' time for observations starts."""
    engine.check(clerk, case, "record_non_disputing_application")
    name = applicant_name.strip()
    if not name:
        raise ApplicationRefused("applicant_name", N_("Give the applicant's name."))
    try:
        kind, via = ApplicantKind(applicant_kind), ReceivedBy(received_by)
    except ValueError:
        raise ApplicationRefused("applicant_kind", N_("Choose from the list.")) from None
    if not description.strip():
        raise ApplicationRefused("description", N_("Say who the applicant is."))
    if not interest.strip():
        raise ApplicationRefused("interest", N_("Say what the applicant's interest is."))
    if received_on > today():
        raise ApplicationRefused(
            "received_on", N_("The application cannot be received later than today.")
        )
    engine.apply(
        clerk,
        case,
        "record_non_disputing_application",
        expected_version=expected_version,
        data={"name": name, "kind": kind.value, "received_on": received_on.isoformat()},
    )
    # The parties and the tribunal read the submission to comment on the application.
    document = store_document(
        session,
        case,
        uploader=clerk,
        stream=stream,
        filename=filename,
        upload_dir=upload_dir,
        max_bytes=max_bytes,
        visibility=Visibility.PARTIES,
    )
    session.flush()
    application = NonDisputingApplication(
        case_id=case.id,
        applicant_name=name,
        applicant_kind=kind,
        description=description.strip(),
        interest=interest.strip(),
        received_by=via,
        received_on=received_on,
        document_id=document.id,
        recorded_by_id=clerk.id,
        recorded_at=utcnow(),
    )
    session.add(application)
    session.flush()
    return application


def observe(
    case: Case, *, user: User, observations: str, expected_version: int | None
) -> NonDisputingApplication:
    """A party's observations on the pending application (once each): the time limit is met
    when both sides have filed theirs."""
    engine.check(user, case, "observe_non_disputing_application", reason=observations)
    side = policy.side_of(user, case)
    application = queries.pending_application(case)
    assert side is not None and application is not None  # the table and its guard
    if application.observed(side.value):
        raise TransitionRefused(N_("Your side has filed its observations on this application."))
    event = engine.apply(
        user,
        case,
        "observe_non_disputing_application",
        reason=observations,
        expected_version=expected_version,
        data={"application_id": application.id, "side": side.value},
    )
    setattr(application, f"{side.value}_observations", observations.strip())
    setattr(application, f"{side.value}_observed_at", event.at)
    if application.both_observed:
        deadlines.satisfy(case, OBSERVATIONS, at=event.at)
    return application


def decide(
    case: Case, *, chair: User, decision: str, reason: str, expected_version: int | None
) -> NonDisputingApplication:
    """The tribunal grants the application (the submission goes on the record) or refuses
    it, with reasons: a decision issued as a ruling."""
    try:
        result = Decision(decision)
    except ValueError:
        raise ApplicationRefused("decision", N_("Choose the tribunal's decision.")) from None
    engine.check(chair, case, "decide_non_disputing_application", reason=reason)
    application = queries.pending_application(case)
    assert application is not None  # the guard
    event = engine.apply(
        chair,
        case,
        "decide_non_disputing_application",
        reason=reason,
        expected_version=expected_version,
        data={"application_id": application.id, "decision": result.value},
        ruling_extra=ruling_extra(case, application, result),
    )
    if (unanswered := open_deadline(case, OBSERVATIONS)) is not None:
        unanswered.status = DeadlineStatus.CANCELLED  # its time passed: closed, not met
        unanswered.closed_at = event.at
    application.decision = result
    application.decided_at = event.at
    return application


def ruling_extra(
    case: Case, application: NonDisputingApplication, decision: Decision | None
) -> dict[str, Any]:
    """What the decision shows beyond the case and its reasons, as text in its language."""
    language = ruling_language(case)
    return {
        "applicant": application.applicant_name,
        "applicant_kind": application.applicant_kind.value,
        "interest": application.interest,
        "received_on": format_date(application.received_on, "d MMMM y", locale=language),
        "claimant_observed": application.claimant_observations is not None,
        "respondent_observed": application.respondent_observations is not None,
        "decision": decision.value if decision else "",
    }
