"""Full-text search over the cases a user may see, and the `search reindex` command."""

from __future__ import annotations

import click
from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.typed import login_required
from ..core.web import number
from ..db import db
from ..pagecache.page import cached_page
from . import operations as ops
from .forms import SearchForm

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("")
@login_required
def results() -> ResponseReturnValue:
    return cached_page(_draw_results)


def _draw_results() -> str:
    form = SearchForm(formdata=request.args)
    found = None
    if form.q.data and form.validate():
        found = ops.search(
            db.session(), current_user, form.q.data, after=number(request.args.get("after"))
        )
    return render_template("search/results.html", form=form, found=found)


@bp.cli.command("reindex")
def reindex() -> None:
    """Make the full-text index anew from the cases (after a bulk load, for instance)."""
    count = ops.rebuild(db.session())
    db.session.commit()
    click.echo(f"Indexed {count} cases.")
