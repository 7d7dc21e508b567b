"""Neutrals' screens: assigning them (clerk), answering (neutral), caseload, conflicts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import policy
from ..auth.models import Role, User
from ..cases.loading import load_case
from ..core.web import number, page_arg, perform
from ..db import db
from ..workflow.states import CaseState
from ..workflow.transitions import transition
from . import operations as ops
from . import queries
from .forms import (
    AcceptForm,
    CaseloadFilterForm,
    ConflictForm,
    DeclineForm,
    MediatorForm,
    RemoveConflictForm,
    TribunalForm,
    candidate_label,
    declaration_paragraphs,
    declaration_text,
    digest,
)
from .models import Capacity, Conflict

bp = Blueprint("neutrals", __name__)
PAGE_SIZE = 50


def _is_neutral() -> bool:
    return policy.is_staff(current_user, Role.MEDIATOR, Role.ARBITRATOR)


def _appointments(case, *, tribunal: bool) -> list:
    return [a for a in case.appointments if a.capacity.in_tribunal == tribunal]


@bp.route("/cases/<int:case_id>/assign-mediator", methods=["GET", "POST"])
@login_required
def assign_mediator(case_id: int):
    case = load_case(case_id, "propose_mediator", lock=request.method == "POST")
    candidates = ops.candidates(db.session, case, Role.MEDIATOR)
    form = MediatorForm()
    form.mediator.choices = [(c.user.id, candidate_label(c)) for c in candidates if not c.barred]
    if form.validate_on_submit():
        mediator = db.session.get(User, form.mediator.data)
        outcome = perform(
            ops.propose_mediator,
            db.session,
            case,
            clerk=current_user,
            mediator=mediator,
            expected_version=form.version.data,
        )
        if outcome.ok:
            flash(
                gettext(
                    "%(name)s was asked to accept the mediation of %(reference)s.",
                    name=mediator.name,
                    reference=case.reference,
                ),
                "success",
            )
        return redirect(url_for("neutrals.assign_mediator", case_id=case_id))
    if request.method == "GET":
        form.version.data = case.version
    return render_template(
        "neutrals/assign_mediator.html",
        case=case,
        form=form,
        barred=[c for c in candidates if c.barred],
        blocked=transition("propose_mediator").guard(case),
        appointments=_appointments(case, tribunal=False),
    ), 400 if request.method == "POST" else 200


@bp.route("/cases/<int:case_id>/tribunal", methods=["GET", "POST"])
@login_required
def tribunal(case_id: int):
    case = load_case(case_id, "propose_tribunal", lock=request.method == "POST")
    vacant = queries.seats(case)
    candidates = ops.candidates(db.session, case, Role.ARBITRATOR)
    form = TribunalForm(candidates=[c for c in candidates if not c.barred])
    if form.validate_on_submit() and (chosen := form.members(vacant)) is not None:
        ids = [user_id for _, user_id in chosen]
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        outcome = perform(
            ops.propose_tribunal,
            db.session,
            case,
            clerk=current_user,
            members=[(capacity, users[user_id]) for capacity, user_id in chosen],
            expected_version=form.version.data,
        )
        if outcome.ok:
            flash(
                gettext(
                    "The arbitrators were asked to accept their appointment in %(reference)s.",
                    reference=case.reference,
                ),
                "success",
            )
        return redirect(url_for("neutrals.tribunal", case_id=case_id))
    if request.method == "GET":
        form.version.data = case.version
    return render_template(
        "neutrals/tribunal.html",
        case=case,
        form=form,
        vacant=vacant,
        vacant_fields=form.seats_for(vacant) if vacant else [],
        barred=[c for c in candidates if c.barred],
        blocked=transition("propose_tribunal").guard(case),
        appointments=_appointments(case, tribunal=True),
    ), 400 if request.method == "POST" else 200


def _answer_act(appointment) -> str:
    return "accept_appointment" if appointment.capacity.in_tribunal else "accept_mediation"


@bp.route("/cases/<int:case_id>/appointment", methods=["GET", "POST"])
@login_required
def appointment(case_id: int):
    case = load_case(case_id, lock=request.method == "POST")
    pending = ops.pending_appointment(case, current_user)
    if pending is None or not policy.can(current_user, _answer_act(pending), case):
        abort(403)
    accept_form = AcceptForm(prefix="accept")
    decline_form = DeclineForm(prefix="decline")
    if request.method == "POST":
        if request.form.get("decline-answer") == "decline":
            response = _decline(case, decline_form)
        else:
            response = _accept(case, pending.capacity, accept_form)
        if response is not None:
            return response
    else:
        accept_form.version.data = decline_form.version.data = case.version
    text = declaration_text(case, current_user, pending.capacity)
    accept_form.digest.data = digest(text)
    accept_form.locale.data = str(get_locale())
    return render_template(
        "neutrals/appointment.html",
        case=case,
        appointment=pending,
        paragraphs=declaration_paragraphs(case, current_user, pending.capacity),
        accept_form=accept_form,
        decline_form=decline_form,
    ), 400 if request.method == "POST" else 200


def _accept(case, capacity: Capacity, form: AcceptForm):
    if not form.validate_on_submit():
        return None
    # Sign the text as it was shown: in the language the page was read in, and only if it
    # is still the same text (the case's title or the neutral's name may have changed).
    locale = form.locale.data if form.locale.data in current_app.config["LANGUAGES"] else None
    with force_locale(locale or str(get_locale())):
        text = declaration_text(case, current_user, capacity)
    if digest(text) != form.digest.data:
        flash(
            gettext("The declaration changed since you opened the page. Read it again and sign."),
            "error",
        )
        return redirect(url_for("neutrals.appointment", case_id=case.id))
    outcome = perform(
        ops.accept,
        db.session,
        case,
        user=current_user,
        declaration=text,
        confirmed=bool(form.confirm.data),
        expected_version=form.version.data,
    )
    if not outcome.ok:
        return redirect(url_for("neutrals.appointment", case_id=case.id))
    if case.state is CaseState.MEDIATION:
        flash(gettext("You accepted the appointment. The case is now in mediation."), "success")
    elif case.tribunal_constituted_at is not None:
        flash(gettext("You accepted the appointment. The tribunal is now constituted."), "success")
    else:
        flash(
            gettext(
                "You accepted the appointment. The tribunal is constituted once every member "
                "has accepted."
            ),
            "success",
        )
    return redirect(url_for("cases.show", case_id=case.id))


def _decline(case, form: DeclineForm):
    if not form.validate_on_submit():
        return None
    outcome = perform(
        ops.decline,
        db.session,
        case,
        user=current_user,
        disclosure=form.disclosure.data,
        expected_version=form.version.data,
    )
    if not outcome.ok:
        return redirect(url_for("neutrals.appointment", case_id=case.id))
    flash(
        gettext(
            "You declined the appointment in %(reference)s. The registry has been told.",
            reference=case.reference,
        ),
        "success",
    )
    return redirect(url_for("neutrals.caseload"))


@bp.get("/caseload")
@login_required
def caseload():
    if not _is_neutral():
        abort(403)
    form = CaseloadFilterForm(formdata=request.args)
    form.validate()
    state = CaseState.named(form.state.data) if not form.state.errors else None
    sort = form.sort.data if form.sort.data in ops.CASELOAD_SORTS else "deadline"
    page = page_arg()
    counts = ops.caseload_counts(db.session, current_user)
    total = counts.get(state, 0) if state is not None else sum(counts.values())
    rows = ops.caseload(
        db.session, current_user, state=state, sort=sort, page=page, per_page=PAGE_SIZE
    )
    return render_template(
        "neutrals/caseload.html",
        form=form,
        rows=rows,
        counts=[(s, counts[s]) for s in CaseState if s in counts],
        state=state,
        sort=sort,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
    )


@bp.route("/conflicts", methods=["GET", "POST"])
@login_required
def conflicts():
    if not _is_neutral():
        abort(403)
    form = ConflictForm()
    if request.method == "POST" and "conflict_id" in request.form:
        return _remove_conflict()
    if form.validate_on_submit():
        outcome = perform(
            ops.add_conflict,
            db.session,
            current_user,
            party_name=form.party_name.data,
            note=(form.note.data or "").strip() or None,
            flash_error=False,
        )
        if outcome.ok:
            flash(
                gettext(
                    "Noted: you will not be proposed on cases of %(party)s.",
                    party=outcome.value.party_name,
                ),
                "success",
            )
            return redirect(url_for("neutrals.conflicts"))
        form.party_name.errors.append(outcome.error)
    return render_template(
        "neutrals/conflicts.html",
        form=form,
        conflicts=ops.conflicts_of(db.session, current_user),
    ), 400 if request.method == "POST" else 200


def _remove_conflict():
    form = RemoveConflictForm()
    if not form.validate_on_submit():
        abort(400)
    conflict_id = number(form.conflict_id.data)
    conflict = db.session.get(Conflict, conflict_id) if conflict_id else None
    if conflict is None or conflict.user_id != current_user.id:
        abort(404)
    party = conflict.party_name
    if perform(ops.remove_conflict, db.session, current_user, conflict.id).ok:
        flash(gettext("The conflict with %(party)s was removed.", party=party), "success")
    return redirect(url_for("neutrals.conflicts"))
