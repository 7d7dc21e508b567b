"""The one way a form action runs (core.actions.run_form_action): nothing sent → the page;
an invalid form → 400 with its errors; a refusal → the same page with the reason on the form
and nothing applied (409, or 400 beside the field a refusal of the input names); done → the
view's redirect, after the operation flushed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import get_flashed_messages
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField
from wtforms.validators import InputRequired

from dispute_portal.auth.models import Role, User
from dispute_portal.core.actions import Refused, redirect_with, run_form_action
from dispute_portal.core.forms import BaseForm
from dispute_portal.db import db
from dispute_portal.errors import StaleCase
from dispute_portal.texts import Refusal

EMAIL = "form.action@example.com"


class NameForm(BaseForm):
    name = StringField("Name", validators=[InputRequired()])
    email = StringField("Email")


class EmailTaken(Refusal):
    def __init__(self) -> None:
        super().__init__("Taken: %(email)s", email=EMAIL)
        self.field = "email"


def _page(form: NameForm, seen: list[int]) -> Callable[[int], ResponseReturnValue]:
    def page(status: int) -> ResponseReturnValue:
        seen.append(status)
        return "the form's page", status

    return page


def _add_user() -> User:
    user = User(email=EMAIL, name="Added", password_hash="-", role=Role.INVESTOR)
    db.session.add(user)
    return user


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User).filter_by(email=EMAIL))


def _run(
    app,
    method: str,
    data: dict[str, str],
    operation: Callable[[], object],
    refused_on: str | None = None,
    **hooks: Callable[..., ResponseReturnValue | None],
):
    """Run the helper in a request, as a view does; returns (answer, form, statuses seen,
    what was flashed, how many users the operation left)."""
    with app.test_request_context("/somewhere", method=method, data=data):
        form = NameForm(meta={"csrf": False})
        seen: list[int] = []
        answer = run_form_action(
            form,
            operation,
            done=lambda user: redirect_with(f"Added {user.name}.", "/next"),
            page=_page(form, seen),
            refused_on=refused_on,
            **hooks,
        )
        flashed = get_flashed_messages(with_categories=True)
        return answer, form, seen, flashed, _users()


@pytest.mark.usefixtures("connection")
def test_nothing_sent_is_the_page(app):
    ran = []
    answer, _form, seen, _flashed, _ = _run(app, "GET", {}, lambda: ran.append(1))
    assert answer == ("the form's page", 200) and seen == [200] and not ran


@pytest.mark.usefixtures("connection")
def test_an_invalid_form_is_400_and_runs_nothing(app):
    ran = []
    answer, form, seen, flashed, _ = _run(app, "POST", {"name": ""}, lambda: ran.append(1))
    assert seen == [400] and answer[1] == 400
    assert not ran and not flashed
    assert form.name.errors  # the page shows why, beside the field


@pytest.mark.usefixtures("connection")
def test_done_flushes_says_so_and_goes_to_the_next_step(app):
    answer, form, seen, flashed, users = _run(app, "POST", {"name": "Dana"}, _add_user)
    assert seen == [] and not form.errors
    assert answer.status_code == 302 and answer.location == "/next"
    assert flashed == [("success", "Added Added.")]
    assert users == 1  # flushed: the request wrapper commits it


@pytest.mark.usefixtures("connection")
def test_a_refusal_is_409_with_the_reason_on_the_form_and_nothing_applied(app):
    def refused() -> None:
        _add_user()
        db.session.flush()
        raise Refusal("Not now: %(why)s.", why="the case is closed")

    answer, form, seen, flashed, users = _run(app, "POST", {"name": "Dana"}, refused)
    assert seen == [409] and answer[1] == 409
    assert form.form_errors == ["Not now: the case is closed."]
    assert not flashed  # said once, on the form, not again in a flash
    assert users == 0  # what the operation did before refusing was rolled back
    assert form.name.data == "Dana"  # what was typed comes back


@pytest.mark.usefixtures("connection")
def test_a_refusal_naming_a_field_is_shown_beside_it_as_invalid_input(app):
    def refused() -> None:
        raise EmailTaken

    answer, form, seen, _flashed, _ = _run(app, "POST", {"name": "Dana"}, refused)
    assert seen == [400]
    assert form.email.errors == [f"Taken: {EMAIL}"] and not form.form_errors


@pytest.mark.usefixtures("connection")
def test_a_view_may_name_the_field_a_refusal_belongs_to(app):
    def refused() -> None:
        raise Refusal("Not a PDF.")

    _answer, form, seen, _flashed, _ = _run(app, "POST", {"name": "x"}, refused, "name")
    assert seen == [400] and form.name.errors == ["Not a PDF."] and not form.form_errors


@pytest.mark.usefixtures("connection")
def test_a_case_changed_meanwhile_is_never_put_on_a_field(app):
    def refused() -> None:
        raise StaleCase

    _answer, form, seen, _flashed, _ = _run(app, "POST", {"name": "x"}, refused, "name")
    assert seen == [409] and form.form_errors == [StaleCase().message] and not form.name.errors


@pytest.mark.usefixtures("connection")
def test_a_row_changed_meanwhile_is_the_stale_case_refusal(app):
    def raced() -> None:
        _add_user()
        raise StaleDataError("UPDATE statement on table 'cases' expected to update 1 row")

    answer, form, seen, _flashed, users = _run(app, "POST", {"name": "Dana"}, raced)
    assert seen == [409] and users == 0
    assert form.form_errors == [StaleCase().message]


@pytest.mark.usefixtures("connection")
def test_a_check_may_answer_before_the_operation_runs(app):
    ran = []
    paused = ("paused", 429)
    answer, _form, seen, _flashed, _ = _run(
        app, "POST", {"name": "Dana"}, lambda: ran.append(1), check=lambda: paused
    )
    assert answer == paused and seen == [] and not ran
    # A check with nothing to say lets the operation run.
    answer, _form, _seen, _flashed, users = _run(
        app, "POST", {"name": "Dana"}, _add_user, check=lambda: None
    )
    assert answer.status_code == 302 and users == 1


@pytest.mark.usefixtures("connection")
def test_a_refused_hook_sees_the_rolled_back_refusal_and_may_answer(app):
    heard = []

    def refused() -> None:
        _add_user()
        raise EmailTaken

    def hear(refusal: Refused) -> None:
        heard.append((refusal.error, refusal.exc.field, _users()))

    _answer, form, seen, _flashed, _ = _run(app, "POST", {"name": "x"}, refused, refused=hear)
    # It runs after the rollback and after the reason went on the form; the page follows.
    assert heard == [(f"Taken: {EMAIL}", "email", 0)] and seen == [400]
    assert form.email.errors == [f"Taken: {EMAIL}"]
    gone = ("gone", 404)
    answer, _form, seen, _flashed, _ = _run(
        app, "POST", {"name": "x"}, refused, refused=lambda _refusal: gone
    )
    assert answer == gone and seen == []


def test_the_error_summary_shows_a_refusal_without_a_field_link(app):
    with app.test_request_context("/"):
        form = NameForm(meta={"csrf": False})
        form.form_errors.append("The case is closed.")
        template = app.jinja_env.from_string(
            '{% from "macros/forms.html" import errors_summary %}{{ errors_summary(form) }}'
        )
        html = template.render(form=form)
    assert "Not possible now" in html and "<li>The case is closed.</li>" in html
    assert "href" not in html
