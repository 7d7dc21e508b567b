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

Why a refusal is a re-render and not a redirect with a flash: a redirect throws away what was
typed (a reasoned decision, an award's text, a list of arbitrators), so the person has to type
it again to correct one thing. Why 409 for the act: the form was well made, and what refuses
it is the present state of the case or account, which is what 409 (Conflict) says; a client
or a test can tell "fix your input" (400) from "the state does not allow it now" (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..errors import StaleCase
from .web import Outcome, perform

T = TypeVar("T")

# The page of a form, rendered with the status given (200, 400 or 409).
Page = Callable[[int], ResponseReturnValue]


def run_form_action(
    form: FlaskForm,
    operation: Callable[[], T],
    *,
    done: Callable[[T], ResponseReturnValue],
    page: Page,
    refused_on: str | None = None,
) -> ResponseReturnValue:
    """Answer a form's request the one way (see the module's docstring). `refused_on` names
    the field a refusal belongs to when the refusal itself names none (an upload's file)."""
    if not form.is_submitted():
        return page(200)
    if not form.validate():
        return page(400)
    outcome = perform(operation, flash_error=False)
    if not outcome.ok:
        on_a_field = show_refusal(form, outcome, refused_on)
        return page(400 if on_a_field else 409)
    return done(outcome.value)


def show_refusal(form: FlaskForm, outcome: Outcome, refused_on: str | None = None) -> bool:
    """Put the reason of a refusal on the form: on the field the refusal names (an account's
    e-mail address, a password) or the view names, else on the form as a whole (shown above
    its fields). True when it went on a field. A case that changed meanwhile is never about
    a field: it is the whole form that was filled in on an older case."""
    message = outcome.error or ""
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
