"""Neutrals' screens: assigning them (clerk), answering (neutral), caseload, conflicts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_login import current_user
from sqlalchemy import select

from .. import policy
from ..auth.models import Role, User
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import Page, redirect_with, run_form_action
from ..core.typed import gettext, login_required
from ..core.web import number, page_arg
from ..db import db
from ..measures.queries import pending_for
from ..pagecache.page import cached_page
from ..texts import N_, Refusal
from ..workflow.states import CaseState
from ..workflow.transitions import transition
from . import caseloads, queries
from . import operations as ops
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
from .models import Appointment, Capacity, Conflict

bp = Blueprint("neutrals", __name__)
PAGE_SIZE = 50


def _is_neutral() -> bool:
    return policy.is_staff(current_user, Role.MEDIATOR, Role.ARBITRATOR)


def _appointments(case: Case, *, tribunal: bool) -> list[Appointment]:
    return [a for a in case.appointments if a.capacity.in_tribunal == tribunal]


@bp.route("/cases/<int:case_id>/assign-mediator", methods=["GET", "POST"])
@login_required
def assign_mediator(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "propose_mediator", lock=request.method == "POST")
    candidates = ops.candidates(db.session(), case, Role.MEDIATOR)
    form = MediatorForm()
    form.mediator.choices = [(c.user.id, candidate_label(c)) for c in candidates if not c.barred]

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "neutrals/assign_mediator.html",
            case=case,
            form=form,
            barred=[c for c in candidates if c.barred],
            blocked=transition("propose_mediator").blocked(case),
            appointments=_appointments(case, tribunal=False),
        ), status

    def propose() -> User:
        mediator = db.session.get_one(User, form.mediator.data)
        ops.propose_mediator(
            db.session(),
            case,
            clerk=current_user,
            mediator=mediator,
            expected_version=form.version.data,
        )
        return mediator

    return run_form_action(
        form,
        propose,
        done=lambda mediator: redirect_with(
            gettext(
                "%(name)s was asked to accept the mediation of %(reference)s.",
                name=mediator.name,
                reference=case.reference,
            ),
            url_for("cases.show", case_id=case_id),  # the form has nothing more to do
        ),
        page=page,
    )


@bp.route("/cases/<int:case_id>/tribunal", methods=["GET", "POST"])
@login_required
def tribunal(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "propose_tribunal", lock=request.method == "POST")
    vacant = queries.seats(case)
    candidates = ops.candidates(db.session(), case, Role.ARBITRATOR)
    form = TribunalForm(candidates=[c for c in candidates if not c.barred], vacant=vacant)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "neutrals/tribunal.html",
            case=case,
            form=form,
            vacant=vacant,
            vacant_fields=form.seats_for(vacant) if vacant else [],
            barred=[c for c in candidates if c.barred],
            blocked=transition("propose_tribunal").blocked(case),
            appointments=_appointments(case, tribunal=True),
        ), status

    def propose() -> None:
        ids = [user_id for _, user_id in form.chosen]
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        ops.propose_tribunal(
            db.session(),
            case,
            clerk=current_user,
            members=[(capacity, users[user_id]) for capacity, user_id in form.chosen],
            expected_version=form.version.data,
        )

    return run_form_action(
        form,
        propose,
        done=lambda _: redirect_with(
            gettext(
                "The arbitrators were asked to accept their appointment in %(reference)s.",
                reference=case.reference,
            ),
            url_for("cases.show", case_id=case_id),  # the form has nothing more to do
        ),
        page=page,
    )


@bp.route("/cases/<int:case_id>/appointment", methods=["GET", "POST"])
@login_required
def appointment(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, lock=request.method == "POST")
    pending = ops.pending_appointment(case, current_user)
    if pending is None or not policy.can(current_user, ops.answer_action(case, pending), case):
        abort(403)
    capacity = pending.capacity
    accept_form = AcceptForm(prefix="accept")
    decline_form = DeclineForm(prefix="decline")

    def page(status: int) -> ResponseReturnValue:
        accept_form.version.data = decline_form.version.data = case.version
        accept_form.digest.data = digest(declaration_text(case, current_user, capacity))
        accept_form.locale.data = str(get_locale())
        return render_template(
            "neutrals/appointment.html",
            case=case,
            appointment=pending,
            paragraphs=declaration_paragraphs(case, current_user, capacity),
            accept_form=accept_form,
            decline_form=decline_form,
        ), status

    if request.form.get("decline-answer") == "decline":
        return run_form_action(
            decline_form,
            lambda: ops.decline(
                db.session(),
                case,
                user=current_user,
                disclosure=decline_form.disclosure.data,
                expected_version=decline_form.version.data,
            ),
            done=lambda _: redirect_with(
                gettext(
                    "You declined the appointment in %(reference)s. The registry has been told.",
                    reference=case.reference,
                ),
                url_for("neutrals.caseload"),
            ),
            page=page,
        )
    return run_form_action(
        accept_form,
        lambda: _accept(case, capacity, accept_form),
        done=lambda _: redirect_with(_accepted(case), url_for("cases.show", case_id=case.id)),
        page=page,
    )


def _accept(case: Case, capacity: Capacity, form: AcceptForm) -> None:
    # Sign the text as it was shown: in the language the page was read in, and only if it
    # is still the same text (the case's title or the neutral's name may have changed).
    locale = form.locale.data if form.locale.data in current_app.config["LANGUAGES"] else None
    with force_locale(locale or str(get_locale())):
        text = declaration_text(case, current_user, capacity)
    if digest(text) != form.digest.data:
        raise Refusal(
            N_("The declaration changed since you opened the page. Read it again and sign.")
        )
    ops.accept(
        db.session(),
        case,
        user=current_user,
        declaration=text,
        confirmed=bool(form.confirm.data),
        expected_version=form.version.data,
    )


def _accepted(case: Case) -> str:
    if case.state is CaseState.MEDIATION:
        return gettext("You accepted the appointment. The case is now in mediation.")
    if case.tribunal_constituted_at is not None:
        return gettext("You accepted the appointment. The tribunal is now constituted.")
    return gettext(
        "You accepted the appointment. The tribunal is constituted once every member has accepted."
    )


@bp.get("/caseload")
@login_required
def caseload() -> ResponseReturnValue:
    if not _is_neutral():
        abort(403)
    return cached_page(_draw_caseload)


def _draw_caseload() -> str:
    form = CaseloadFilterForm(formdata=request.args)
    form.validate()
    state = CaseState.named(form.state.data) if not form.state.errors else None
    sort = form.sort.data if form.sort.data in caseloads.CASELOAD_SORTS else "deadline"
    page = page_arg()
    counts = caseloads.caseload_counts(db.session(), current_user)
    total = counts.get(state, 0) if state is not None else sum(counts.values())
    rows = caseloads.caseload(
        db.session(), current_user, state=state, sort=sort, page=page, per_page=PAGE_SIZE
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
        # Requests for provisional measures waiting for a tribunal the user sits on: urgent
        # first (issue 15).
        measures=pending_for(db.session(), current_user),
    )


@bp.route("/conflicts", methods=["GET", "POST"])
@login_required
def conflicts() -> ResponseReturnValue:
    if not _is_neutral():
        abort(403)
    form = ConflictForm()
    remove_form = RemoveConflictForm()

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "neutrals/conflicts.html",
            form=form,
            remove_form=remove_form,
            conflicts=ops.conflicts_of(db.session(), current_user),
        ), status

    if request.method == "POST" and "conflict_id" in request.form:
        return _remove_conflict(remove_form, page)
    return run_form_action(
        form,
        lambda: ops.add_conflict(
            db.session(),
            current_user,
            party_name=form.party_name.data,
            note=(form.note.data or "").strip() or None,
        ),
        done=lambda conflict: redirect_with(
            gettext(
                "Noted: you will not be proposed on cases of %(party)s.",
                party=conflict.party_name,
            ),
            url_for("neutrals.conflicts"),
        ),
        page=page,
        refused_on="party_name",
    )


def _remove_conflict(form: RemoveConflictForm, page: Page) -> ResponseReturnValue:
    conflict_id = number(form.conflict_id.data)
    conflict = db.session.get(Conflict, conflict_id) if conflict_id else None
    if conflict is None or conflict.user_id != current_user.id:
        abort(404)
    party = conflict.party_name
    return run_form_action(
        form,
        lambda: ops.remove_conflict(db.session(), current_user, conflict.id),
        done=lambda _: redirect_with(
            gettext("The conflict with %(party)s was removed.", party=party),
            url_for("neutrals.conflicts"),
        ),
        page=page,
    )
