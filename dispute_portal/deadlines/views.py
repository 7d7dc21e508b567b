"""The admin's rule sets and calendars: every version, the calendar's draft list, and
publishing a new version of either."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ..auth.models import Role
from ..core.actions import redirect_with, run_form_action
from ..core.forms import FORM_EXPIRED, BaseForm
from ..core.typed import login_required
from ..db import db
from ..policy import is_staff
from . import calendars, rulesets
from .forms import CalendarDayForm, PublishCalendarForm, fill, rule_set_form, rules_from
from .models import DAY_KIND_LABELS, CalendarDraftDay
from .queries import current_rule_set

bp = Blueprint("deadlines", __name__, url_prefix="/admin/rules")
calendar_bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")


@bp.route("/", methods=["GET", "POST"])
@login_required
def rules() -> ResponseReturnValue:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    current = current_rule_set(db.session())
    form = rule_set_form(current.rules)()
    if request.method == "GET":
        fill(form, current.rules)

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "deadlines/rules.html",
            form=form,
            current=current,
            versions=rulesets.rule_sets(db.session()),
        ), status

    return run_form_action(
        form,
        lambda: rulesets.new_rule_set(
            db.session(),
            name=form.name.data,
            rules=rules_from(form, current.rules),
            by=current_user,
        ),
        done=lambda made: redirect_with(
            gettext(
                "Version %(version)s is in force for cases registered from now on.",
                version=made.version,
            ),
            url_for("deadlines.rules"),
        ),
        page=page,
    )


def _admin_only() -> None:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)


def _calendar_page(
    status: int, *, add: BaseForm | None = None, publish: BaseForm | None = None
) -> ResponseReturnValue:
    """The calendar's page; the form that was sent comes back with what was typed."""
    session = db.session()
    added, removed = calendars.draft_changes(session)
    return render_template(
        "deadlines/calendar.html",
        add=add or CalendarDayForm(formdata=None),
        publish=publish or PublishCalendarForm(formdata=None),
        versions=calendars.versions(session),
        draft=calendars.draft(session),
        added={entry.day for entry in added},
        removed=removed,
        changes=calendars.package_changes(session),
        kind_labels=DAY_KIND_LABELS,
    ), status


def _to_calendar(message: str) -> ResponseReturnValue:
    return redirect_with(message, url_for("calendar.page"))


@calendar_bp.route("/", methods=["GET", "POST"])
@login_required
def page() -> ResponseReturnValue:
    """The calendar: its versions, the draft list, and adding a day to it."""
    _admin_only()
    form = CalendarDayForm()
    return run_form_action(
        form,
        lambda: calendars.add_day(
            db.session(),
            day=form.day.data,
            kind=form.kind.data,
            reason=form.reason.data,
            by=current_user,
        ),
        done=lambda _: _to_calendar(gettext("The day is on the list of the next version.")),
        page=lambda status: _calendar_page(status, add=form),
    )


@calendar_bp.post("/days/<int:entry_id>/remove")
@login_required
def remove(entry_id: int) -> ResponseReturnValue:
    _admin_only()
    entry = db.session.get(CalendarDraftDay, entry_id)
    if entry is None:
        abort(404)
    form = BaseForm()

    def refused(status: int) -> ResponseReturnValue:
        for message in form.form_errors or [str(FORM_EXPIRED)]:
            flash(message, "error")
        return redirect(url_for("calendar.page"))

    return run_form_action(
        form,
        lambda: calendars.remove_day(db.session(), entry),
        done=lambda _: _to_calendar(gettext("The day is off the list of the next version.")),
        page=refused,
    )


@calendar_bp.post("/publish")
@login_required
def publish() -> ResponseReturnValue:
    _admin_only()
    form = PublishCalendarForm()
    return run_form_action(
        form,
        lambda: calendars.publish(db.session(), name=form.name.data, by=current_user),
        done=lambda made: _to_calendar(
            gettext(
                "Calendar version %(version)s is in force for cases registered from now on.",
                version=made.version,
            )
        ),
        page=lambda status: _calendar_page(status, publish=form),
    )
