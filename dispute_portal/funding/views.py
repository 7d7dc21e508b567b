"""Third-party funding on the web: the case's disclosures and their history (everyone on
the case reads them), a party's disclosure, update and withdrawal, and a neutral's
re-confirmation of their declaration. Each page loads the case (404), asks the policy for
its act (403), and runs its form with `core.actions.run_form_action`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import login_required
from ..db import db
from ..neutrals.operations import conflicts_of, match_key
from ..workflow import transitions as wf
from ..workflow.states import EVENT_LABELS
from . import operations as ops
from . import queries
from .forms import DisclosureForm, ReconfirmForm, WithdrawForm
from .models import ENDING_LABELS, FundingDisclosure

bp = Blueprint("funding", __name__, url_prefix="/cases/<int:case_id>/funding")


@bp.app_context_processor
def _funding_helpers() -> dict[str, Any]:
    """What the case page reads of the funding: the current funders and who must still
    re-confirm a declaration."""
    return {
        "current_funders": queries.current_funders,
        "not_reconfirmed": queries.not_reconfirmed,
    }


def _back(case: Case, action: str) -> ResponseReturnValue:
    return redirect_with(
        translate(EVENT_LABELS[action]), url_for("funding.disclosures", case_id=case.id)
    )


def _page(case: Case, form: Any, status: int, **extra: Any) -> ResponseReturnValue:
    form.version.data = case.version
    side = policy.side_of(current_user, case)
    current = queries.current_funders(case)
    return render_template(
        "funding/disclosures.html",
        case=case,
        form=form,
        disclosures=queries.disclosures(case),
        own={d.id for d in current if d.side == side},
        ending_labels=ENDING_LABELS,
        waiting=queries.not_reconfirmed(case),
        may_disclose=policy.can(current_user, "disclose_funding", case),
        may_withdraw=policy.can(current_user, "withdraw_funding", case),
        withdraw_form=WithdrawForm(formdata=None),
        t=wf.transition("disclose_funding"),
        **extra,
    ), status


@bp.route("", methods=["GET", "POST"])
@login_required
def disclosures(case_id: int) -> ResponseReturnValue:
    post = request.method == "POST"
    case = load_case(case_id, "disclose_funding" if post else policy.VIEW, lock=post)
    form = DisclosureForm()
    return run_form_action(
        form,
        lambda: ops.disclose(
            db.session(),
            case,
            user=current_user,
            funder_name=form.funder_name.data or "",
            funder_address=form.funder_address.data or "",
            expected_version=form.version.data,
        ),
        done=lambda _: _back(case, "disclose_funding"),
        page=lambda status: _page(case, form, status),
    )


def _own_disclosure(case: Case, disclosure_id: int) -> FundingDisclosure:
    side = policy.side_of(current_user, case)
    found = next(
        (d for d in queries.current_funders(case) if d.id == disclosure_id and d.side == side),
        None,
    )
    if found is None:
        abort(404)
    return found


@bp.route("/<int:disclosure_id>/update", methods=["GET", "POST"])
@login_required
def update(case_id: int, disclosure_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "update_funding", lock=request.method == "POST")
    old = _own_disclosure(case, disclosure_id)
    form = DisclosureForm(
        data={"funder_name": old.funder_name, "funder_address": old.funder_address}
        if request.method == "GET"
        else None
    )
    t = wf.transition("update_funding")

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "funding/update.html", case=case, form=form, t=t, old=old, blocked=t.blocked(case)
        ), status

    return run_form_action(
        form,
        lambda: ops.update(
            db.session(),
            case,
            user=current_user,
            disclosure_id=old.id,
            funder_name=form.funder_name.data or "",
            funder_address=form.funder_address.data or "",
            expected_version=form.version.data,
        ),
        done=lambda _: _back(case, "update_funding"),
        page=page,
    )


@bp.post("/<int:disclosure_id>/withdraw")
@login_required
def withdraw(case_id: int, disclosure_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "withdraw_funding", lock=True)
    old = _own_disclosure(case, disclosure_id)
    form = WithdrawForm()
    return run_form_action(
        form,
        lambda: ops.withdraw(
            case, user=current_user, disclosure_id=old.id, expected_version=form.version.data
        ),
        done=lambda _: _back(case, "withdraw_funding"),
        page=lambda status: _page(case, DisclosureForm(formdata=None), status),
    )


@bp.route("/reconfirm", methods=["GET", "POST"])
@login_required
def reconfirm(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "reconfirm_declaration", lock=request.method == "POST")
    form = ReconfirmForm()
    t = wf.transition("reconfirm_declaration")
    funders = queries.current_funders(case)
    # A conflict the neutral declared that names a funder: flagged before they sign.
    keys = {match_key(f.funder_name): f.funder_name for f in funders}
    flagged = [
        keys[c.match_key] for c in conflicts_of(db.session(), current_user) if c.match_key in keys
    ]

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "funding/reconfirm.html",
            case=case,
            form=form,
            t=t,
            funders=funders,
            flagged=flagged,
            blocked=t.blocked(case),
        ), status

    return run_form_action(
        form,
        lambda: ops.reconfirm(
            db.session(),
            case,
            user=current_user,
            statement=form.statement.data or "",
            confirmed=bool(form.confirmed.data),
            expected_version=form.version.data,
        ),
        done=lambda _: redirect_with(
            translate(EVENT_LABELS["reconfirm_declaration"]),
            url_for("cases.show", case_id=case.id),
        ),
        page=page,
    )
