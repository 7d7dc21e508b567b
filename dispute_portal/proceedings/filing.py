"""Filing a party's written submission with its documents: a submission, the response, or a
pleading of the written phase (the memorial, the counter-memorial, the reply, the rejoinder),
each through its own act of the workflow table."""

from __future__ import annotations

from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.contents import UploadRejected
from ..cases.models import Case, Visibility
from ..cases.operations import store_document
from ..errors import TransitionRefused
from ..texts import N_
from ..workflow import engine
from .models import PLEADINGS, Submission

WRONG_PHASE = N_(
    "A document can be for the mediator only until the mediation ends, and for the tribunal "
    "only after that."
)


def filing_act(is_response: bool, pleading: str | None) -> str:
    """The act of the workflow table that files this kind of submission."""
    if pleading is not None:
        return f"file_{pleading}"
    return "file_response" if is_response else "file_submission"


def file_submission(
    session: Session,
    case: Case,
    *,
    author: User,
    title: str,
    body: str | None,
    files: list[tuple[IO[bytes], str, Visibility]],
    is_response: bool,
    upload_dir: str,
    max_bytes: int,
    expected_version: int | None,
    pleading: str | None = None,
) -> Submission:
    """A party's submission with its documents, each with its own visibility; a pleading of
    the written phase (`pleading`: a key of PLEADINGS) is filed by its own act, which meets
    its time limit and is refused to the other side (the workflow table says which)."""
    if pleading is not None and pleading not in PLEADINGS:
        raise TransitionRefused(N_("Choose one of the pleadings of the written phase."))
    side = policy.side_of(author, case)
    if side is None:
        raise TransitionRefused(N_("Only a party may file a submission."))
    if not title.strip():
        raise TransitionRefused(N_("Give the submission a title."))
    if any(visibility not in Visibility.offered(case.state) for _, _, visibility in files):
        raise TransitionRefused(WRONG_PHASE)
    engine.apply(
        author,
        case,
        filing_act(is_response, pleading),
        expected_version=expected_version,
        data={"title": title.strip(), "side": side.value, "documents": len(files)}
        | ({"pleading": pleading} if pleading else {}),
    )
    submission = Submission(
        case_id=case.id,
        author_id=author.id,
        side=side,
        title=title.strip(),
        body=body or None,
        is_response=is_response,
        pleading=pleading,
    )
    session.add(submission)
    session.flush()
    for position, (stream, filename, visibility) in enumerate(files):
        try:
            store_document(
                session,
                case,
                uploader=author,
                stream=stream,
                filename=filename,
                upload_dir=upload_dir,
                max_bytes=max_bytes,
                visibility=visibility,
                side=side,
                submission_id=submission.id,
            )
        except UploadRejected as exc:
            exc.position = position  # which file it was: the view shows the reason beside it
            raise
    return submission


def submissions(session: Session, case: Case) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission).where(Submission.case_id == case.id).order_by(Submission.id)
        )
    )
