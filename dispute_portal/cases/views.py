"""The claimant's side of a case on the web: my cases, filing a claim section by section,
its documents, submitting it, and the case page everyone on the case sees."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from .. import policy
from ..auth.models import Role
from ..core.actions import Page, redirect_with, run_form_action
from ..core.typed import login_required
from ..core.web import number, of_case_or_404, takes_uploads, writes
from ..db import db
from ..errors import StaleCase
from ..pagecache.page import cached_page, one_time_token
from ..proceedings.presenter import case_page
from ..rulings.operations import case_rulings
from ..workflow.states import NEXT_STEP
from . import operations as ops
from .delivery import send_document
from .forms import (
    SECTION_FORMS,
    CaseActionForm,
    DocumentForm,
    NewClaimForm,
    form_values,
    load_values,
)
from .loading import load_case, visible
from .models import Case, Document
from .sections import SECTION_KEYS, SECTIONS

bp = Blueprint("cases", __name__, url_prefix="/cases")
PAGE_SIZE = 50


@bp.get("/")
@login_required
def my_cases() -> ResponseReturnValue:
    return cached_page(_draw_my_cases)


def _draw_my_cases() -> str:
    page = ops.my_cases(  # the latest change first, a page at a time (keyset)
        db.session(),
        current_user,
        after=number(request.args.get("after")),
        before=number(request.args.get("before")),
        per_page=PAGE_SIZE,
    )
    new_form = NewClaimForm(client_token=one_time_token())
    return render_template(
        "cases/list.html",
        cases=page.rows,
        page=page,
        new_form=new_form,
        may_file=current_user.role is Role.INVESTOR,
        next_step=NEXT_STEP,
    )


@bp.post("/new")
@login_required
def new() -> ResponseReturnValue:
    if current_user.role is not Role.INVESTOR:
        abort(403)
    form = NewClaimForm()
    if not form.validate_on_submit():
        abort(400)
    case, _created = ops.create_draft(
        db.session(),
        claimant=current_user,
        client_token=form.client_token.data or None,
        language=str(current_user.locale or "en"),
    )
    db.session.flush()
    return redirect(url_for("cases.edit", case_id=case.id, section="claimant"))


@bp.route("/<int:case_id>/edit/<section>", methods=["GET", "POST"])
@login_required
def edit(case_id: int, section: str) -> ResponseReturnValue:
    if section not in SECTION_FORMS:
        abort(404)
    case = load_case(case_id, policy.EDIT, lock=request.method == "POST")
    form = SECTION_FORMS[section]()
    if request.method == "GET":
        load_values(form, case)

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "cases/edit.html",
            case=case,
            form=form,
            section=section,
            sections=SECTIONS,
            missing=case.missing_sections(),
        ), status

    def saved(_: object) -> ResponseReturnValue:
        if "continue" in request.form:
            return redirect_with(gettext("Saved."), _next_step_url(case, section))
        return redirect_with(
            gettext("Saved."), url_for("cases.edit", case_id=case.id, section=section)
        )

    return run_form_action(
        form, lambda: ops.save_section(case, form_values(form)), done=saved, page=page
    )


def _next_step_url(case: Case, section: str) -> str:
    index = SECTION_KEYS.index(section)
    if index + 1 < len(SECTION_KEYS):
        return url_for("cases.edit", case_id=case.id, section=SECTION_KEYS[index + 1])
    return url_for("cases.documents", case_id=case.id)


def _documents_page(case: Case, form: DocumentForm, delete_form: CaseActionForm) -> Page:
    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "cases/documents.html",
            case=case,
            form=form,
            sections=SECTIONS,
            missing=case.missing_sections(),
            delete_form=delete_form,
        ), status

    return page


@bp.route("/<int:case_id>/documents", methods=["GET", "POST"])
@login_required
@takes_uploads(1)
def documents(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, policy.EDIT, lock=request.method == "POST")
    form = DocumentForm()
    return run_form_action(
        form,
        lambda: ops.add_document(
            db.session(),
            case,
            uploader=current_user,
            stream=form.file.data.stream,
            filename=form.file.data.filename or "",
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        ),
        done=lambda document: redirect_with(
            gettext("%(name)s was added.", name=document.download_name),
            url_for("cases.documents", case_id=case.id),
        ),
        page=_documents_page(case, form, CaseActionForm()),
        refused_on="file",
    )


@bp.post("/<int:case_id>/documents/<int:document_id>/delete")
@login_required
def delete_document(case_id: int, document_id: int) -> ResponseReturnValue:
    case = load_case(case_id, policy.EDIT, lock=True)
    document = _document_of(case, document_id)
    form = CaseActionForm()

    def remove() -> None:
        if form.version.data != case.version:  # removed or changed in another tab meanwhile
            raise StaleCase()
        ops.remove_document(
            db.session(),
            case,
            document,
            actor=current_user,
            upload_dir=current_app.config["UPLOAD_DIR"],
        )

    return run_form_action(
        form,
        remove,
        done=lambda _: redirect_with(None, url_for("cases.documents", case_id=case.id)),
        page=_documents_page(case, DocumentForm(), form),
    )


@bp.get("/<int:case_id>/documents/<int:document_id>")
@login_required
@writes  # the download's audit event
def download(case_id: int, document_id: int) -> ResponseReturnValue:
    case = load_case(case_id)
    document = _document_of(case, document_id)
    # A document the user may not read (its visibility) is, for them, not there at all.
    if not policy.can(current_user, policy.DOWNLOAD, case, document):
        abort(404)
    return send_document(case, document)


def _document_of(case: Case, document_id: int) -> Document:
    return of_case_or_404(Document, document_id, case.id)


@bp.route("/<int:case_id>/submit", methods=["GET", "POST"])
@login_required
def submit(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, lock=request.method == "POST")
    if not policy.can(current_user, policy.EDIT, case):
        # A second click on "Submit" finds the claim already filed: show the receipt page
        # the first click earned, not a refusal.
        if case.claimant_user_id == current_user.id and case.last_event("submit"):
            return redirect(url_for("cases.filed", case_id=case.id))
        abort(403)
    form = CaseActionForm()

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "cases/review.html",
            case=case,
            form=form,
            sections=SECTIONS,
            missing=case.missing_sections(),
        ), status

    return run_form_action(
        form,
        lambda: ops.submit_claim(case, claimant=current_user, expected_version=form.version.data),
        done=lambda _: redirect(url_for("cases.filed", case_id=case.id)),
        page=page,
    )


@bp.get("/<int:case_id>/filed")
@login_required
def filed(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id)
    event = case.last_event("submit")
    if event is None:
        abort(404)
    # The receipt of this filing (a claim returned and filed again has one per filing):
    # offered through the same download, and so the same access policy, as on the case page.
    receipts = [r for r in case_rulings(case) if r.kind == "filing_receipt"]
    return render_template(
        "cases/filed.html",
        case=case,
        event=event,
        receipt=receipts[-1] if receipts else None,
        next_steps_text=NEXT_STEP[case.state],
    )


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> ResponseReturnValue:
    if not visible(case_id):
        load_case(case_id)  # its refusal: the same 404 as for a case that does not exist
    return cached_page(lambda: _draw_case(load_case(case_id)))


def _draw_case(case: Case) -> str:
    return render_template(
        "cases/show.html",
        case=case,
        rulings=case_rulings(case),
        next_step=NEXT_STEP[case.state],
        **case_page(case),
    )
