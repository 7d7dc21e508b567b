"""The challenge pages: a case's proposals for disqualification, and one page for each act
on them (propose, comment, observe, vote, decide) and for a resignation.

Each view is thin: load the case (404 if the user may not see it, 403 if the table does not
let them take the act), build the form, run it with `core.actions.run_form_action`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import login_required
from ..db import db
from ..deadlines.queries import rules_for
from ..deadlines.rules import DEADLINE_LABELS, setting
from ..rulings.kinds import KINDS
from ..workflow import roles as wf
from ..workflow.states import EVENT_LABELS
from ..workflow.transitions import transition
from . import operations as ops
from . import queries
from .forms import DecideForm, ProposeForm, TextActForm, VoteForm
from .models import OUTCOME_LABELS, VOTE_LABELS, Challenge, Outcome, Vote

bp = Blueprint("challenges", __name__, url_prefix="/cases/<int:case_id>")


def _may_see_votes(case: Case) -> bool:
    """The members' votes are their deliberation: the tribunal and the registry read them."""
    roles = policy.case_roles(current_user, case)
    return bool(roles & {wf.CLERK, wf.ARBITRATOR, wf.CHALLENGE_MEMBER})


@bp.get("/challenges")
@login_required
def index(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id)
    return render_template(
        "challenges/index.html",
        case=case,
        challenges=queries.challenges_of(case),
        votes_shown=_may_see_votes(case),
        vote_labels=VOTE_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


def _act(
    case_id: int,
    action: str,
    form: TextActForm,
    run: Callable[[Case, Any], object],
    *,
    prepare: Callable[[Case, Any], None] | None = None,
    done: str | None = None,
) -> ResponseReturnValue:
    t = transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    form.text.label.text = translate(t.reason_label)
    if prepare is not None:
        prepare(case, form)
    challenge = queries.pending_challenge(case)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "challenges/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=t.blocked(case),
            challenge=challenge,
            votes_shown=_may_see_votes(case),
            vote_labels=VOTE_LABELS,
            deadline_labels=DEADLINE_LABELS,
            ruling_title=KINDS[t.ruling].title if t.ruling else None,
            by_centre=challenge is not None and queries.decided_by_centre(case, challenge),
            agreed=challenge is not None and queries.members_agree(case, challenge),
            challenge_days=setting(rules_for(case), "challenge_days"),
        ), status

    return run_form_action(
        form,
        lambda: run(case, form),
        done=lambda _: redirect_with(
            translate(done or EVENT_LABELS[action]),
            url_for("challenges.index", case_id=case.id)
            if action != "resign"
            else url_for("cases.show", case_id=case.id),
        ),
        page=page,
    )


@bp.route("/challenges/propose", methods=["GET", "POST"])
@login_required
def propose(case_id: int) -> ResponseReturnValue:
    def prepare(case: Case, form: ProposeForm) -> None:
        form.persons.choices = [
            (a.id, f"{a.user.name} ({translate(a.capacity.label)})") for a in queries.sitting(case)
        ]

    return _act(
        case_id,
        "propose_disqualification",
        ProposeForm(),
        lambda case, form: ops.propose(
            db.session(),
            case,
            user=current_user,
            appointment_ids=list(form.persons.data or []),
            facts=form.text.data,
            learned_on=form.learned_on.data,
            expected_version=form.version.data,
        ),
        prepare=prepare,
    )


@bp.route("/challenges/comment", methods=["GET", "POST"])
@login_required
def comment(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id,
        "comment_on_challenge",
        TextActForm(),
        lambda case, form: ops.comment(
            db.session(),
            case,
            user=current_user,
            comments=form.text.data,
            expected_version=form.version.data,
        ),
    )


@bp.route("/challenges/observe", methods=["GET", "POST"])
@login_required
def observe(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id,
        "observe_on_challenge",
        TextActForm(),
        lambda case, form: ops.observe(
            db.session(),
            case,
            user=current_user,
            observations=form.text.data,
            expected_version=form.version.data,
        ),
    )


@bp.route("/challenges/vote", methods=["GET", "POST"])
@login_required
def vote(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id,
        "vote_on_challenge",
        VoteForm(),
        lambda case, form: ops.vote(
            db.session(),
            case,
            user=current_user,
            choice=Vote(form.vote.data),
            reasons=form.text.data,
            expected_version=form.version.data,
        ),
    )


@bp.route("/challenges/decide", methods=["GET", "POST"])
@login_required
def decide(case_id: int) -> ResponseReturnValue:
    def prepare(case: Case, form: DecideForm) -> None:
        challenge = queries.pending_challenge(case)
        form.by_centre = challenge is not None and queries.decided_by_centre(case, challenge)

    return _act(
        case_id,
        "decide_challenge",
        DecideForm(),
        lambda case, form: ops.decide(
            db.session(),
            case,
            user=current_user,
            outcome=Outcome(form.outcome.data) if form.by_centre else None,
            reasons=form.text.data,
            expected_version=form.version.data,
        ),
        prepare=prepare,
    )


@bp.route("/resign", methods=["GET", "POST"])
@login_required
def resign(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id,
        "resign",
        TextActForm(),
        lambda case, form: ops.resign(
            db.session(),
            case,
            user=current_user,
            reasons=form.text.data,
            expected_version=form.version.data,
        ),
    )


def challenge_named(challenge: Challenge) -> str:
    return ", ".join(a.user.name for a in queries.named(challenge))


@bp.app_template_global()
def challenge_names(challenge: Challenge) -> str:
    """The names of the persons a proposal names, for the pages."""
    return challenge_named(challenge)
