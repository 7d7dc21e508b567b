"""A case's seals on the web (publication/sealing.py): the registry or the tribunal's chair
sees what is sealed and why, seals something more, and lifts a seal, each with reasons. The
page exists for whoever may seal; others on the case get 403, strangers 404."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from .. import policy
from ..cases.loading import load_case
from ..cases.models import Case, Document
from ..core.actions import redirect_with, run_form_action
from ..core.typed import gettext, login_required
from ..core.web import of_case_or_404
from ..db import db
from ..parties.models import Side
from . import sealing
from .forms import LiftSealForm, SealForm
from .models import Seal, SealTarget

bp = Blueprint("seals", __name__)

PARTY_TARGETS = (SealTarget.PARTY_NAME, SealTarget.PARTY_CONTACT)


def describe(case: Case, seal: Seal) -> str:
    """What a seal covers, in the reader's words."""
    if seal.target is SealTarget.DOCUMENT:
        document = db.session.get(Document, seal.document_id)
        return gettext("Document: %(name)s", name=document.download_name if document else "—")
    if seal.target is SealTarget.PARTY_NAME:
        return _party_text(seal.side, "name")
    if seal.target is SealTarget.PARTY_CONTACT:
        return _party_text(seal.side, "contact")
    return gettext("The whole case")


def _party_text(side: Side | None, what: str) -> str:
    if what == "name":
        return (
            gettext("The claimant's name, in the public register")
            if side is Side.CLAIMANT
            else gettext("The respondent's name, in the public register")
        )
    return (
        gettext("The claimant's address and contact details")
        if side is Side.CLAIMANT
        else gettext("The respondent's address and contact details")
    )


def _choices(case: Case) -> list[tuple[str, str]]:
    """What may be sealed now: what is not sealed yet."""
    held = {(s.target, s.side, s.document_id) for s in case.seals}
    found: list[tuple[str, str]] = []
    if (SealTarget.CASE, None, None) not in held:
        found.append(("case", gettext("The whole case")))
    for target in PARTY_TARGETS:
        for side in Side:
            if (target, side, None) not in held:
                kind = "name" if target is SealTarget.PARTY_NAME else "contact"
                found.append((f"{target.value}:{side.value}", _party_text(side, kind)))
    for document in case.documents:
        if (SealTarget.DOCUMENT, None, document.id) not in held:
            found.append(
                (
                    f"document:{document.id}",
                    gettext("Document: %(name)s", name=document.download_name),
                )
            )
    return found


def _page(
    case: Case,
    status: int,
    *,
    form: SealForm | None = None,
    lift: LiftSealForm | None = None,
    lifting: int | None = None,
) -> ResponseReturnValue:
    form = form or SealForm(formdata=None, prefix="seal", choices=_choices(case))
    lift = lift or LiftSealForm(formdata=None, prefix="lift")
    for shown in (form, lift):
        shown.version.data = case.version
    history = list(
        db.session.scalars(select(Seal).where(Seal.case_id == case.id).order_by(Seal.id))
    )
    return render_template(
        "publication/seals.html",
        case=case,
        form=form,
        lift=lift,
        lifting=lifting,
        seals=[(s, describe(case, s)) for s in history],
        may_lift=policy.can(current_user, "unseal", case),
    ), status


@bp.get("/cases/<int:case_id>/seals")
@login_required
def index(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "seal")
    return _page(case, 200)


@bp.post("/cases/<int:case_id>/seals")
@login_required
def seal(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "seal", lock=True)
    form = SealForm(prefix="seal", choices=_choices(case))

    def seal_it() -> Seal:
        kind, _, detail = (form.what.data or "").partition(":")
        target = SealTarget(kind)
        document = None
        if target is SealTarget.DOCUMENT:
            document = of_case_or_404(Document, int(detail), case.id)
        return sealing.seal(
            case,
            user=current_user,
            target=target,
            side=Side(detail) if target in PARTY_TARGETS else None,
            document=document,
            reason=form.reason.data or "",
            expected_version=form.version.data,
        )

    return run_form_action(
        form,
        seal_it,
        done=lambda made: redirect_with(
            gettext("Sealed: %(what)s.", what=describe(case, made)),
            url_for("seals.index", case_id=case.id),
        ),
        page=lambda status: _page(case, status, form=form),
    )


@bp.post("/cases/<int:case_id>/seals/<int:seal_id>/lift")
@login_required
def lift(case_id: int, seal_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "unseal", lock=True)
    found = of_case_or_404(Seal, seal_id, case.id)
    form = LiftSealForm(prefix="lift")
    return run_form_action(
        form,
        lambda: sealing.unseal(
            case,
            found,
            user=current_user,
            reason=form.reason.data or "",
            expected_version=form.version.data,
        ),
        done=lambda _event: redirect_with(
            gettext("The seal is lifted: %(what)s.", what=describe(case, found)),
            url_for("seals.index", case_id=case.id),
        ),
        page=lambda status: _page(case, status, lift=form, lifting=found.id),
    )
