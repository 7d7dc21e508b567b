"""The pages of party appointment, one an act of the table: the registry records that the
parties appoint (and their joint choices), a side nominates its arbitrator, the
co-arbitrators choose the presiding one, the registry appoints in default. Each page shows
the tribunal's seats: who holds each, who chose them, and by when an empty one is due."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..auth.models import Role, User
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import gettext, login_required
from ..db import db
from ..deadlines.models import Deadline
from ..deadlines.rules import DEADLINE_LABELS
from ..neutrals.forms import candidate_label
from ..neutrals.models import Appointment
from ..neutrals.operations import candidates
from ..proceedings.presenter import event_label
from ..rulings.kinds import KINDS
from ..workflow.transitions import transition
from . import operations as ops
from . import queries
from .forms import DefaultForm, NominationForm, PartyAppointmentForm
from .models import Basis, Seat, TribunalSize

bp = Blueprint("nominations", __name__, url_prefix="/cases/<int:case_id>")


@dataclass(frozen=True)
class SeatRow:
    seat: Seat
    holder: Appointment | None
    time_limit: Deadline | None
    in_default: bool


def seat_rows(case: Case) -> list[SeatRow]:
    return [
        SeatRow(
            s, queries.holder(case, s), queries.time_limit(case, s), queries.in_default(case, s)
        )
        for s in queries.seats(case)
    ]


def _page(
    case: Case,
    action: str,
    form: Any,
    run: Callable[[], object],
    *,
    blocked: str | None = None,
    pick: bool = True,
) -> ResponseReturnValue:
    """Run the act's form the one way (core.actions), on the page every act here shares."""
    t = transition(action)
    found = candidates(db.session(), case, Role.ARBITRATOR) if pick else []
    if pick:
        form.arbitrator.choices = [(c.user.id, candidate_label(c)) for c in found if not c.barred]

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "nominations/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=blocked or t.blocked(case),
            seats=seat_rows(case),
            barred=[c for c in found if c.barred],
            ruling_title=KINDS[t.ruling].title if t.ruling else None,
            deadline_labels=DEADLINE_LABELS,
        ), status

    return run_form_action(
        form,
        run,
        done=lambda _: redirect_with(
            translate(event_label(action)), url_for("cases.show", case_id=case.id)
        ),
        page=page,
    )


def _arbitrator(form: NominationForm) -> User:
    return db.session.get_one(User, form.arbitrator.data)


def _reason(form: NominationForm) -> str:
    return (form.reason.data or "").strip()


@bp.route("/party-appointment", methods=["GET", "POST"])
@login_required
def party_appointment(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "party_appointment", lock=request.method == "POST")
    form = PartyAppointmentForm()
    return _page(
        case,
        "party_appointment",
        form,
        lambda: ops.record_party_appointment(
            db.session(),
            case,
            clerk=current_user,
            size=TribunalSize(form.size.data),
            basis=Basis(form.basis.data),
            expected_version=form.version.data,
        ),
        pick=False,
    )


@bp.route("/nominate", methods=["GET", "POST"])
@login_required
def nominate(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "nominate_arbitrator", lock=request.method == "POST")
    form = NominationForm(prefix="act")
    side = ops.side_of(current_user, case)
    mine = queries.holder(case, queries.seat_for_side(side)) if side is not None else None
    blocked = None
    if mine is not None and case.constitution is not None:
        blocked = gettext(
            "Your side has already nominated its arbitrator: %(name)s.", name=mine.user.name
        )
    return _page(
        case,
        "nominate_arbitrator",
        form,
        lambda: ops.nominate(
            db.session(),
            case,
            user=current_user,
            arbitrator=_arbitrator(form),
            expected_version=form.version.data,
        ),
        blocked=blocked,
    )


@bp.route("/agree-on-arbitrator", methods=["GET", "POST"])
@login_required
def agree_on_arbitrator(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "agree_on_arbitrator", lock=request.method == "POST")
    t = transition("agree_on_arbitrator")
    form = NominationForm(prefix="act", reason_label=translate(t.reason_label), required=True)
    return _page(
        case,
        "agree_on_arbitrator",
        form,
        lambda: ops.agree_on_arbitrator(
            db.session(),
            case,
            clerk=current_user,
            arbitrator=_arbitrator(form),
            reason=_reason(form),
            expected_version=form.version.data,
        ),
    )


@bp.route("/choose-presiding", methods=["GET", "POST"])
@login_required
def choose_presiding(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "choose_presiding", lock=request.method == "POST")
    t = transition("choose_presiding")
    form = NominationForm(prefix="act", reason_label=translate(t.reason_label), required=True)
    return _page(
        case,
        "choose_presiding",
        form,
        lambda: ops.choose_presiding(
            db.session(),
            case,
            user=current_user,
            presiding=_arbitrator(form),
            reason=_reason(form),
            expected_version=form.version.data,
        ),
    )


@bp.route("/appoint-in-default", methods=["GET", "POST"])
@login_required
def appoint_in_default(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "appoint_in_default", lock=request.method == "POST")
    t = transition("appoint_in_default")
    form = DefaultForm(prefix="act", reason_label=translate(t.reason_label), required=True)
    form.offer(queries.defaults(case))
    return _page(
        case,
        "appoint_in_default",
        form,
        lambda: ops.appoint_in_default(
            db.session(),
            case,
            clerk=current_user,
            seat=Seat(form.seat.data),
            arbitrator=_arbitrator(form),
            reason=_reason(form),
            expected_version=form.version.data,
        ),
    )
