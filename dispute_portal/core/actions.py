"""One way to run a form action, for every view: validate → perform → answer.

A view loads what it acts on (404), checks access (403/404), builds its form and a `page`
function that renders the form's page with a given status, then hands both to
`run_form_action` with the operation to run and where to go when it is done:

- nothing sent (a GET): the page, 200;
- the form is invalid (a field, or its CSRF token): 400, the page again with the form's
  errors and what was typed;
- the operation refuses (a `Refusal`, or the row changed meanwhile): whatever it did is rolled
  back, and the answer is the same page again with the reason on the form and what was typed
  still in it: 409 when the act itself is refused (the reason at the top of the form), 400
  when the refusal is about one field's input (a password too weak, a file that is not a
  PDF: the reason beside that field, as a validator's would be);
- done: `done(value)`, a redirect to where the next step is; the request wrapper commits.

Two hooks serve the account pages: `check` runs between validation and the operation and may
answer instead (a paused login limit: 429); `refused` runs after a refusal was rolled back and
put on the form, and may record it (a wrong current password counts as a failed login) or
answer instead (a reset link spent meanwhile: 404).

Why a refusal is a re-render and not a redirect with a flash: a redirect throws away what was
typed (a reasoned decision, an award's text, a list of arbitrators), so the person has to type
it again to correct one thing. Why 409 for the act: the form was well made, and what refuses
it is the present state of the case or account, which is what 409 (Conflict) says; a client
or a test can tell "fix your input" (400) from "the state does not allow it now" (409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ..db import db
from ..errors import StaleCase
from ..texts import Refusal
from .i18n import translate

T = TypeVar("T")

# The page of a form, rendered with the status given (200, 400 or 409).
Page = Callable[[int], ResponseReturnValue]


@dataclass(frozen=True)
class Refused:
    """An operation's refusal, rolled back: the refusal and its message in the request's
    language."""

    error: str
    exc: Refusal


def perform(operation: Callable[[], T]) -> T | Refused:
    """Run an operation. A refusal rolls back everything it did and says why (a form's
    view through run_form_action; the API's writes, which answer it as a problem)."""
    try:
        value = operation()
        db.session.flush()
    except Refusal as exc:
        db.session.rollback()
        refusal: Refusal = exc
    except StaleDataError:
        db.session.rollback()
        refusal = StaleCase()
    else:
        return value
    return Refused(translate(refusal.message, refusal.params), refusal)


def run_form_action(
    form: FlaskForm,
    operation: Callable[[], T],
    *,
    done: Callable[[T], ResponseReturnValue],
    page: Page,
    refused_on: str | None = None,
    check: Callable[[], ResponseReturnValue | None] | None = None,
    refused: Callable[[Refused], ResponseReturnValue | None] | None = None,
) -> ResponseReturnValue:
    """Answer a form's request the one way (see the module's docstring). `refused_on` names
    the field a refusal belongs to when the refusal itself names none (an upload's file)."""
    if not form.is_submitted():
        return page(200)
    if not form.validate():
        return page(400)
    if check is not None and (answer := check()) is not None:
        return answer
    outcome = perform(operation)
    if isinstance(outcome, Refused):
        on_a_field = show_refusal(form, outcome, refused_on)
        if refused is not None and (answer := refused(outcome)) is not None:
            return answer
        return page(400 if on_a_field else 409)
    return done(outcome)


def show_refusal(form: FlaskForm, outcome: Refused, refused_on: str | None = None) -> bool:
    """Put the reason of a refusal on the form: on the field the refusal names (an account's
    e-mail address, a password) or the view names, else on the form as a whole (shown above
    its fields). True when it went on a field. A case that changed meanwhile is never about
    a field: it is the whole form that was filled in on an older case."""
    message = outcome.error
    field_name = None
    if not isinstance(outcome.exc, StaleCase):
        field_name = getattr(outcome.exc, "field", None) or refused_on
    if isinstance(field_name, str) and field_name in form:
        field = form[field_name]
        field.errors = [*field.errors, message]
        return True
    form.form_errors.append(message)
    return False


def redirect_with(message: str | None, url: str) -> Response:
    """The answer of a form action that was done: say so (on the next page), go there."""
    if message:
        flash(message, "success")
    return redirect(url)
