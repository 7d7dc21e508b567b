"""A case's documents, submissions and rulings: list them as the caller may read them,
download them (each download on the case's chain, as in the portal), file a submission with
its documents. A write goes through the operation the portal's form calls, the workflow
table's act with its guards and its audit, so the API can do nothing the portal forbids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from flask_login import current_user
from marshmallow import Schema

from ... import policy
from ...cases import operations as cases_ops
from ...cases.contents import UploadRejected
from ...cases.delivery import send_document
from ...cases.loading import load_case
from ...cases.models import Case, Document, Visibility
from ...core.actions import Refused, perform
from ...core.typed import gettext
from ...core.web import of_case_or_404, takes_uploads, writes
from ...db import db
from ...errors import StaleCase
from ...proceedings import operations as proceedings
from ...proceedings.filing import filing_act
from ...proceedings.forms import FILE_SLOTS
from ...proceedings.models import PLEADINGS, Submission
from ...rulings.delivery import send_ruling
from ...rulings.kinds import KINDS
from ...rulings.models import Ruling, display_code
from ...rulings.operations import case_rulings
from . import schemas as s
from .blueprint import Blueprint, parse
from .caller import case_seen, identify
from .common import address, check_if_match, etag
from .problems import MEDIA_TYPE, fail
from .replay import idempotent

bp = Blueprint(
    "api_filing",
    __name__,
    url_prefix="/api/v1/cases/<int:case_id>",
    description="A case's documents, submissions and rulings.",
)
bp.before_request(identify)
bp.before_request(case_seen)
REFUSALS = (409, 412, 422)
T = TypeVar("T")
V = TypeVar("V", bound=Callable[..., Any])


def upload(taken: type[Schema], made: type[Schema]) -> Callable[[V], V]:
    """The documentation of a POST that takes a multipart form (read by the view itself, after
    it loaded the case: `parse`) and makes something (201, its address in Location), or
    refuses (409 the case's state, 412 If-Match, 422 the input)."""
    multipart = {"multipart/form-data": {"schema": taken}}
    decorators = [
        bp.doc(requestBody={"required": True, "content": multipart}),
        bp.response(201, made, headers={"Location": {"schema": {"type": "string"}}}),
        *(bp.alt_response(code, schema=s.Problem, content_type=MEDIA_TYPE) for code in REFUSALS),
    ]

    def decorate(view: V) -> V:
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return decorate


def document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "name": document.download_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at,
        "visibility": document.visibility.value,
        "side": document.side.value if document.side else None,
        "submission_id": document.submission_id,
        "url": address("api_filing.document", case_id=document.case_id, document_id=document.id),
    }


def _readable(case: Case) -> list[Document]:
    user = current_user._get_current_object()
    roles = policy.case_roles(user, case)
    return [d for d in case.documents if policy.can(user, policy.DOWNLOAD, case, d, roles=roles)]


@bp.route("/documents")
@bp.response(200, s.DocumentOut(many=True))
def documents(case_id: int) -> Any:
    """The case's documents the caller may read (what each was filed with, and for whom)."""
    return [document_out(d) for d in _readable(load_case(case_id))]


@bp.route("/documents", methods=["POST"])
@takes_uploads(1)
@idempotent
@upload(s.DocumentIn, s.DocumentOut)
def add_document(case_id: int) -> Any:
    """Add a document to a claim not yet filed (or returned for amendment).

    As the claim's documents page does: the claimant's own draft only, the upload checked.
    Its SHA-256 comes back: compare it with the file's.
    """
    case = load_case(case_id, policy.EDIT, lock=True)  # 404, then 403, then the input
    asked = parse(s.DocumentIn(), "multipart")
    check_if_match(case)  # the version is checked here: the operation takes none
    document = done(
        lambda: cases_ops.add_document(
            db.session(),
            case,
            uploader=current_user._get_current_object(),
            stream=asked["file"].stream,
            filename=asked["file"].filename or "",
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        )
    )
    where = address("api_filing.document", case_id=case.id, document_id=document.id)
    return document_out(document), 201, {"Location": where, "ETag": etag(case)}


@bp.route("/documents/<int:document_id>")
@writes  # the download's audit event
@bp.response(200, content_type="application/octet-stream", description="The document's file.")
def document(case_id: int, document_id: int) -> Any:
    """A document's file, as filed. A document the caller may not read answers 404."""
    case = load_case(case_id)
    found = of_case_or_404(Document, document_id, case.id)
    if not policy.can(current_user, policy.DOWNLOAD, case, found):
        fail(404)
    return send_document(case, found)


def submission_out(submission: Submission, readable: list[Document]) -> dict[str, Any]:
    return {
        "id": submission.id,
        "title": submission.title,
        "body": submission.body,
        "author": submission.author.name,
        "side": submission.side.value,
        "is_response": submission.is_response,
        "pleading": submission.pleading,
        "filed_at": submission.created_at,
        "documents": [document_out(d) for d in readable if d.submission_id == submission.id],
    }


@bp.route("/submissions")
@bp.response(200, s.SubmissionOut(many=True))
def submissions(case_id: int) -> Any:
    """The parties' submissions, oldest first, each with the documents the caller may read."""
    case = load_case(case_id)
    readable = _readable(case)
    return [submission_out(x, readable) for x in proceedings.submissions(db.session(), case)]


@bp.route("/submissions", methods=["POST"])
@takes_uploads(len(FILE_SLOTS))
@idempotent
@upload(s.SubmissionIn, s.SubmissionOut)
def file_submission(case_id: int) -> Any:
    """File a submission with its documents.

    As the portal's form does: the same act of the workflow, the same checks, the same
    record. Send the case's ETag as If-Match to file only on the case as you last read it.
    """
    # Whether the caller may file at all comes before what was sent: 404, then 403, then 422.
    case = load_case(case_id, lock=True)
    acts = {
        kind: filing_act(kind == "response", kind if kind in PLEADINGS else None)
        for kind in s.SUBMISSION_KINDS
    }
    if not any(policy.can(current_user, act, case) for act in acts.values()):
        fail(403)
    asked = parse(s.SubmissionIn(), "multipart")
    if not policy.can(current_user, acts[asked["kind"]], case):
        fail(403)
    expected = check_if_match(case)
    submission = done(
        lambda: proceedings.file_submission(
            db.session(),
            case,
            author=current_user._get_current_object(),
            title=asked["title"],
            body=(asked.get("body") or "").strip() or None,
            files=[
                (f.stream, f.filename or "", Visibility(asked["visibility"]))
                for f in asked.get("file") or []
            ],
            is_response=asked["kind"] == "response",
            pleading=asked["kind"] if asked["kind"] in PLEADINGS else None,
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            expected_version=expected,
        )
    )
    out = submission_out(submission, _readable(case))
    where = address("api_filing.submission", case_id=case.id, submission_id=submission.id)
    return out, 201, {"Location": where, "ETag": etag(case)}


@bp.route("/submissions/<int:submission_id>")
@bp.response(200, s.SubmissionOut)
def submission(case_id: int, submission_id: int) -> Any:
    """One submission, with the documents the caller may read."""
    case = load_case(case_id)
    return submission_out(of_case_or_404(Submission, submission_id, case.id), _readable(case))


def done(operation: Callable[[], T]) -> T:
    """Run a write's operation as a form's view does (core.actions.perform: a refusal, or the
    row changed under it, rolls back all it did), and answer a refusal as a problem: 412
    for a stale case, 422 for a refused upload, else 409 with the reason."""
    outcome = perform(operation)
    if not isinstance(outcome, Refused):
        return outcome
    if isinstance(outcome.exc, StaleCase):
        fail(412, "case-changed", outcome.error)
    if isinstance(outcome.exc, UploadRejected):
        fail(422, "invalid-input", outcome.error)
    fail(409, "refused", outcome.error)


def ruling_out(ruling: Ruling) -> dict[str, Any]:
    return {
        "id": ruling.id,
        "kind": ruling.kind,
        "title": gettext(KINDS[ruling.kind].title),
        "language": ruling.language,
        "verification_code": display_code(ruling.verification_code),
        "sha256": ruling.sha256,
        "size": ruling.size,
        "issued_at": ruling.issued_at,
        "issued_by": ruling.issued_by_name,
        "signed": ruling.signed,
        "corrects_id": ruling.corrects_id,
        "served_on": ruling.served_on,
        "url": address("api_filing.ruling", case_id=ruling.case_id, ruling_id=ruling.id),
    }


@bp.route("/rulings")
@bp.response(200, s.RulingOut(many=True))
def rulings(case_id: int) -> Any:
    """The case's rulings in the order issued (the case account's invoices and receipts are
    on the account, for whom they concern)."""
    return [ruling_out(r) for r in case_rulings(load_case(case_id))]


@bp.route("/rulings/<int:ruling_id>")
@writes  # the download's audit event
@bp.response(200, content_type="application/pdf", description="The ruling's PDF, as issued.")
def ruling(case_id: int, ruling_id: int) -> Any:
    """A ruling's PDF, checked against what was issued before it is handed out."""
    case = load_case(case_id)
    found = of_case_or_404(Ruling, ruling_id, case.id)
    if KINDS[found.kind].account:
        fail(404)
    return send_ruling(case, found)
