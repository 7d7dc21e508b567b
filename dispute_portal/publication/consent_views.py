"""A party's consent to publishing the decisions, on the web: each side reads both answers
and changes its own until the award. Everyone on the case reads the page; only a party may
answer (403 for the others), strangers get 404."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.loading import load_case
from ..cases.models import Case
from ..cases.subject import CONSENT_LABELS, Consent
from ..core.actions import redirect_with, run_form_action
from ..core.typed import gettext, login_required
from ..parties.models import Side
from .consent import both_consent, state_consent
from .forms import ConsentForm

bp = Blueprint("consent", __name__)


def _page(case: Case, status: int, form: ConsentForm | None = None) -> ResponseReturnValue:
    side = policy.side_of(current_user, case)
    may_answer = policy.can(current_user, "state_publication_consent", case)
    if form is None:
        form = ConsentForm(formdata=None, prefix="consent")
        party = case.party(side) if side is not None else None
        if party is not None and party.publication_consent is not None:
            form.consent.data = party.publication_consent.value
    form.version.data = case.version
    return render_template(
        "publication/consent.html",
        case=case,
        form=form if may_answer and side is not None else None,
        answers=[(s, case.party(s)) for s in Side],
        both=both_consent(case),
        consent_labels=CONSENT_LABELS,
    ), status


@bp.get("/cases/<int:case_id>/publication")
@login_required
def page(case_id: int) -> ResponseReturnValue:
    return _page(load_case(case_id), 200)


@bp.post("/cases/<int:case_id>/publication")
@login_required
def answer(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "state_publication_consent", lock=True)
    form = ConsentForm(prefix="consent")
    return run_form_action(
        form,
        lambda: state_consent(
            case,
            user=current_user,
            side=policy.side_of(current_user, case),
            consent=Consent(form.consent.data),
            expected_version=form.version.data,
        ),
        done=lambda _event: redirect_with(
            gettext("Your answer on publication is recorded."),
            url_for("consent.page", case_id=case.id),
        ),
        page=lambda status: _page(case, status, form),
    )
