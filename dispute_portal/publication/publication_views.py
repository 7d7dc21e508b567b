"""A case's publication page: each side's consent to publishing the decisions (changed
until the award), and the redaction of each decision that may be published: the sides
propose passages to withhold and comment on the other's, the chair decides each, then the
registry publishes the decision in full (both consent) or the chair an excerpt. Everyone
on the case reads the page; only those the table names act (403 for the others);
strangers get 404."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.forms import CaseActionForm
from ..cases.loading import load_case
from ..cases.models import Case
from ..cases.subject import CONSENT_LABELS, Consent
from ..core.actions import redirect_with, run_form_action
from ..core.typed import gettext, login_required
from ..core.web import C, of_case_or_404
from ..parties.models import Side
from ..rulings.models import Ruling
from . import publishing, redaction
from .consent import state_consent
from .forms import (
    CommentForm,
    ConsentForm,
    DecideForm,
    ExcerptForm,
    NoMoreForm,
    ProposeForm,
    PublishForm,
)
from .guards import both_consent
from .models import PROPOSAL_STATUS_LABELS, RedactionProposal

bp = Blueprint("publication", __name__)


def publication_page(
    case: Case, status: int, form: ConsentForm | None = None, *, sent: object = None
) -> ResponseReturnValue:
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
        sent=sent,
        side=side,
        decisions=redaction.decisions(case),
        may_propose=policy.can(current_user, "propose_redaction", case),
        may_say_done=policy.can(current_user, "no_more_redactions", case),
        may_comment=policy.can(current_user, "comment_redaction", case),
        may_decide=policy.can(current_user, "decide_redaction", case),
        may_publish=policy.can(current_user, "publish_decision", case),
        may_excerpt=policy.can(current_user, "publish_excerpt", case),
        proposal_labels=PROPOSAL_STATUS_LABELS,
        entry_number=case.number if case.registered_at and not case.seals else None,
    ), status


@bp.get("/cases/<int:case_id>/publication")
@login_required
def page(case_id: int) -> ResponseReturnValue:
    return publication_page(load_case(case_id), 200)


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
            url_for("publication.page", case_id=case.id),
        ),
        page=lambda status: publication_page(case, status, form),
    )


def _act(
    case: Case, form: CaseActionForm, operation: Callable[[], object], message: str
) -> ResponseReturnValue:
    """One act of redaction or publication: done, back to the page with the message; else
    the page again, with the form's errors or the refusal."""
    return run_form_action(
        form,
        operation,
        done=lambda _r: redirect_with(message, url_for("publication.page", case_id=case.id)),
        page=lambda status: publication_page(case, status, sent=form),
    )


def _loaded(case_id: int, action: str, model: type[C], row_id: int) -> tuple[Case, C]:
    """The case, locked for the act, and the row of it the act is on (a decision, a
    proposal): 404 when the row is not the case's."""
    case = load_case(case_id, action, lock=True)
    return case, of_case_or_404(model, row_id, case.id)


@bp.post("/cases/<int:case_id>/publication/<int:ruling_id>/proposals")
@login_required
def propose(case_id: int, ruling_id: int) -> ResponseReturnValue:
    case, ruling = _loaded(case_id, "propose_redaction", Ruling, ruling_id)
    form = ProposeForm(prefix=f"propose-{ruling.id}")
    return _act(
        case,
        form,
        lambda: redaction.propose(
            case,
            ruling,
            user=current_user,
            side=policy.side_of(current_user, case),
            passage=form.passage.data or "",
            reason=form.reason.data or "",
            expected_version=form.version.data,
        ),
        gettext("Your proposal was sent to the tribunal."),
    )


@bp.post("/cases/<int:case_id>/publication/<int:ruling_id>/no-more")
@login_required
def no_more(case_id: int, ruling_id: int) -> ResponseReturnValue:
    case, ruling = _loaded(case_id, "no_more_redactions", Ruling, ruling_id)
    form = NoMoreForm(prefix=f"done-{ruling.id}")
    return _act(
        case,
        form,
        lambda: redaction.no_more(
            case,
            ruling,
            user=current_user,
            side=policy.side_of(current_user, case),
            expected_version=form.version.data,
        ),
        gettext("Your side proposes no more passages."),
    )


@bp.post("/cases/<int:case_id>/publication/proposals/<int:proposal_id>/comment")
@login_required
def comment(case_id: int, proposal_id: int) -> ResponseReturnValue:
    case, proposal = _loaded(case_id, "comment_redaction", RedactionProposal, proposal_id)
    form = CommentForm(prefix=f"comment-{proposal.id}")
    return _act(
        case,
        form,
        lambda: redaction.comment(
            case,
            proposal,
            user=current_user,
            side=policy.side_of(current_user, case),
            text=form.reason.data or "",
            expected_version=form.version.data,
        ),
        gettext("Your comment was sent to the tribunal."),
    )


@bp.post("/cases/<int:case_id>/publication/proposals/<int:proposal_id>/decision")
@login_required
def decide(case_id: int, proposal_id: int) -> ResponseReturnValue:
    case, proposal = _loaded(case_id, "decide_redaction", RedactionProposal, proposal_id)
    form = DecideForm(prefix=f"decide-{proposal.id}")
    return _act(
        case,
        form,
        lambda: redaction.decide(
            case,
            proposal,
            chair=current_user,
            withhold=form.decision.data == "withhold",
            reason=form.reason.data or None,
            expected_version=form.version.data,
        ),
        gettext("The proposal is decided."),
    )


@bp.post("/cases/<int:case_id>/publication/<int:ruling_id>/publish")
@login_required
def publish(case_id: int, ruling_id: int) -> ResponseReturnValue:
    case, ruling = _loaded(case_id, "publish_decision", Ruling, ruling_id)
    form = PublishForm(prefix=f"publish-{ruling.id}")
    return _act(
        case,
        form,
        lambda: publishing.publish_in_full(
            case, ruling, user=current_user, expected_version=form.version.data
        ),
        gettext("The decision is published in the register."),
    )


@bp.post("/cases/<int:case_id>/publication/<int:ruling_id>/excerpt")
@login_required
def excerpt(case_id: int, ruling_id: int) -> ResponseReturnValue:
    case, ruling = _loaded(case_id, "publish_excerpt", Ruling, ruling_id)
    form = ExcerptForm(prefix=f"excerpt-{ruling.id}")
    return _act(
        case,
        form,
        lambda: publishing.publish_excerpt(
            case,
            ruling,
            chair=current_user,
            excerpt=form.reason.data or "",
            expected_version=form.version.data,
        ),
        gettext("The excerpt is published in the register."),
    )
