"""Filing a claim: drafts, sections, documents, submission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..core.keyset import Page, paginate
from ..db import Base, utcnow
from ..errors import TransitionRefused
from ..files import delete_after_commit
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent, record
from ..workflow.states import EDITABLE_STATES, CaseState
from . import uploads
from .models import Case, Document, Party, Visibility
from .names import document_name
from .queries import CaseLine, titles


def create_draft(
    session: Session, *, claimant: User, client_token: str | None = None, language: str = "en"
) -> tuple[Case, bool]:
    """A new draft claim, or the one this form already created (a double click)."""

    def existing() -> Case | None:
        if not client_token:
            return None
        return session.execute(
            select(Case).where(Case.client_token == client_token)
        ).scalar_one_or_none()

    if (found := existing()) is not None:
        return found, False
    case = Case(
        state=CaseState.DRAFT,
        claimant_user_id=claimant.id,
        client_token=client_token,
        language=language,
    )
    case.parties = [Party(side=Side.CLAIMANT), Party(side=Side.RESPONDENT)]
    try:
        with session.begin_nested():  # two clicks at the same moment: the second one loses
            session.add(case)
            session.flush()
    except IntegrityError:
        if (found := existing()) is not None:
            return found, False
        raise
    record(claimant, case, "create")
    return case, True


def lock_case(session: Session, case_id: int) -> Case | None:
    """Load a case and lock its row until commit: changes to one case happen one at a time,
    and each sees the state the one before it left."""
    return session.execute(
        select(Case)
        .where(Case.id == case_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _touch(case: Case) -> None:
    # Any change to a claim's content moves its version, so a stale form notices it.
    case.updated_at = utcnow()


def _ensure_editable(case: Case) -> None:
    if case.state not in EDITABLE_STATES:
        raise TransitionRefused(
            N_("This claim can no longer be changed: it is %(state)s."), state=case.state.label
        )


def save_section(case: Case, values: dict[str, Any]) -> None:
    """Store a section's values. Keys are case attributes or "<side>.<field>" for parties."""
    _ensure_editable(case)
    for key, value in values.items():
        target: Case | Party = case
        attr = key
        if "." in key:
            side, attr = key.split(".", 1)
            party = case.party(Side(side))
            if party is None:
                party = Party(side=Side(side))
                case.parties.append(party)
            target = party
        value = _coerce(type(target), attr, value)
        if value is None and not type(target).__table__.c[attr].nullable:
            continue  # a field left out of the form keeps what is stored (the language)
        setattr(target, attr, value)
    _touch(case)


def _coerce(model: type[Base], attr: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    enum_class = getattr(model.__table__.c[attr].type, "enum_class", None)
    return enum_class(value) if enum_class and value is not None else value


def add_document(
    session: Session,
    case: Case,
    *,
    uploader: User,
    stream: IO[bytes],
    filename: str,
    upload_dir: str,
    max_bytes: int,
) -> Document:
    """A document of the claim itself, while the claimant may still change it."""
    _ensure_editable(case)
    _touch(case)
    return store_document(
        session,
        case,
        uploader=uploader,
        stream=stream,
        filename=filename,
        upload_dir=upload_dir,
        max_bytes=max_bytes,
        side=Side.CLAIMANT,
    )


def store_document(
    session: Session,
    case: Case,
    *,
    uploader: User,
    stream: IO[bytes],
    filename: str,
    upload_dir: str,
    max_bytes: int,
    visibility: Visibility = Visibility.PARTIES,
    side: Side | None = None,
    submission_id: int | None = None,
) -> Document:
    """Check and store one upload as a document of the case, and audit it; the audit event
    is as visible as the document (the caller has checked who may file)."""
    stored = uploads.save_upload(session, stream, upload_dir, max_bytes)
    document = Document(
        case=case,
        uploaded_by_id=uploader.id,
        # Shown back to people and offered in downloads, never a path (the file is stored
        # under a server-made name); it ends in the checked type's extension.
        original_name=document_name(filename, stored.content_type),
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        visibility=visibility,
        side=side,
        submission_id=submission_id,
    )
    session.add(document)
    record(
        uploader,
        case,
        "add_document",
        data={
            "name": document.original_name,
            "sha256": stored.sha256,
            "size": stored.size,
            **({"side": side.value} if side is not None else {}),
        },
        visibility=visibility.of_events,
    )
    return document


def remove_document(
    session: Session, case: Case, document: Document, *, actor: User, upload_dir: str
) -> None:
    _ensure_editable(case)
    case.documents.remove(document)
    session.delete(document)
    delete_after_commit(session, Path(upload_dir) / document.stored_name)
    _touch(case)
    record(
        actor,
        case,
        "remove_document",
        data={"name": document.download_name, "sha256": document.sha256},
    )


def submit_claim(case: Case, *, claimant: User, expected_version: int | None = None) -> CaseEvent:
    return engine.apply(claimant, case, "submit", expected_version=expected_version)


# My cases: the cases a user may see, the latest change first ------------------------------


@dataclass(frozen=True, slots=True)
class MyCaseLine(CaseLine):
    updated_at: dt.datetime


def my_cases(
    session: Session,
    user: User,
    *,
    after: int | None,
    before: int | None,
    per_page: int,
    state: CaseState | None = None,
    within: ColumnElement[bool] | None = None,
) -> Page:
    """A page (keyset, no count: the list shows none) of the cases `user` may see
    (policy.visible_cases), the latest change first; only those in `state`, and those
    `within` (an API client's narrowing), when given. Rows are MyCaseLine. Two queries
    whatever the page holds: the page, its parties' names (and the cursor's key)."""
    query = policy.visible_cases(user).with_only_columns(
        Case.id, Case.number, Case.state, Case.updated_at
    )
    if state is not None:
        query = query.where(Case.state == state)
    if within is not None:
        query = query.where(within)
    page = paginate(
        session,
        query,
        (Case.updated_at, Case.id),
        after=after,
        before=before,
        per_page=per_page,
        descending=True,
        count_up_to=0,
        row_id=lambda row: int(row[0]),
    )
    names = titles(session, [case_id for case_id, *_ in page.rows])
    rows = [
        MyCaseLine(case_id, number, state, *names.get(case_id, (None, None)), updated_at)
        for case_id, number, state, updated_at in page.rows
    ]
    return replace(page, rows=rows)
