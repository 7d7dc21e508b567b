"""One way to run a form action, for every view: validate → perform → answer.

A view loads what it acts on (404), checks access (403/404), builds its form and a `page`
function that renders the form's page with a given status, then hands both to
`run_form_action` with the operation to run and where to go when it is done:

- nothing sent (a GET): the page, 200;
- the form is invalid (a field, or its CSRF token): 400, the page again with the form's
  errors and what was typed;
- the operation refuses (a `Refusal`, or the row changed meanwhile): whatever it did is rolled
  back, and the answer is 409 with the same page again, the reason on the form (beside the
  field the refusal names, else at the top of the form) and what was typed still in it;
- done: `done(value)`, a redirect to where the next step is; the request wrapper commits.

Why a refusal is a 409 re-render and not a redirect with a flash, nor a 400: a redirect throws
away what was typed (a reasoned decision, an award's text, a list of arbitrators), so the
person has to type it again to correct one thing; and the form was well made: what refuses it
is the present state of the case or account, which is what 409 (Conflict) says, so a client
or a test can tell "fix your input" (400) from "the state does not allow it" (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

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
) -> ResponseReturnValue:
    """Answer a form's request the one way (see the module's docstring)."""
    if not form.is_submitted():
        return page(200)
    if not form.validate():
        return page(400)
    outcome = perform(operation, flash_error=False)
    if not outcome.ok:
        show_refusal(form, outcome)
        return page(409)
    return done(outcome.value)


def show_refusal(form: FlaskForm, outcome: Outcome) -> None:
    """Put the reason of a refusal on the form: on the field the refusal names (an account's
    e-mail address, a password), else on the form as a whole (shown above its fields)."""
    field_name = getattr(outcome.exc, "field", None)
    message = outcome.error or ""
    if isinstance(field_name, str) and field_name in form:
        field = form[field_name]
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def redirect_with(message: str | None, url: str) -> Response:
    """The answer of a form action that was done: say so (on the next page), go there."""
    if message:
        flash(message, "success")
    return redirect(url)
