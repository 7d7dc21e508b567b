"""The public register, for everyone without an account: the list with its filters and
search, each entry at an address made from its case number, the open data (CSV, JSON), the
Atom feed of new entries and the sitemap. Everything here reads register entries only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import partial
from typing import NamedTuple

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..core.exports import csv_response
from ..core.web import number
from ..db import db, utcnow
from ..neutrals.models import CAPACITY_LABELS
from ..pagecache.page import cached_page
from ..rulings.kinds import KINDS
from ..rulings.models import display_code
from ..rulings.operations import ruling_pdf
from . import register as reg
from .forms import RegisterFilterForm
from .models import OUTCOME_LABELS, STAGE_LABELS, RegisterEntry
from .opendata import FIELDS, csv_values, record

bp = Blueprint("register", __name__)


class FeedItem(NamedTuple):
    """A line of the feed: a new entry (publication None) or a published decision."""

    at: dt.datetime
    entry: RegisterEntry
    publication: reg.Published | None


FEED_ENTRIES = 50
SITEMAP_URLS = 10_000  # entries a sitemap file lists (the protocol allows 50,000)


def _form() -> RegisterFilterForm:
    return RegisterFilterForm(formdata=request.args, years=reg.years(db.session()))


@bp.get("/public-register")
def index() -> ResponseReturnValue:
    form = _form()
    if not form.validate():
        return _draw_index(form, None), 400
    return cached_page(lambda: _draw_index(form, form.filters()))


def _draw_index(form: RegisterFilterForm, filters: reg.Filters | None) -> str:
    page = None
    if filters is not None:
        page = reg.listing(
            db.session(),
            filters,
            after=number(request.args.get("after")),
            before=number(request.args.get("before")),
        )
    return render_template(
        "publication/register.html",
        form=form,
        filters=filters,
        page=page,
        stage_labels=STAGE_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.get("/public-register/<number>")
def entry(number: str) -> ResponseReturnValue:
    found = reg.entry(db.session(), number)
    if found is None:
        abort(404)
    return cached_page(
        lambda: render_template(
            "publication/entry.html",
            entry=found,
            capacity_labels={c.value: label for c, label in CAPACITY_LABELS.items()},
            stage_labels=STAGE_LABELS,
            outcome_labels=OUTCOME_LABELS,
            published=reg.publications(db.session(), found.case_id),
            kinds=KINDS,
            display_code=display_code,
        )
    )


@bp.get("/public-register/<number>/decisions/<code>")
def published_decision(number: str, code: str) -> ResponseReturnValue:
    """A published (redacted) decision's PDF; nothing else of the case is ever served here."""
    wellformed = reg.CASE_NUMBER.fullmatch(number) and code.isascii() and code.isalnum()
    found = reg.entry(db.session(), number) if wellformed else None
    version = reg.published_version(db.session(), found.case_id, code) if found else None
    if found is None or version is None:
        abort(404)
    return Response(
        ruling_pdf(db.session(), version),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{number}-{code}.pdf"',
            "X-Content-Type-Options": "nosniff",
        },
    )


def _records() -> Iterator[dict[str, object]]:
    form = _form()
    if not form.validate():
        abort(400)
    for row, published in reg.every_entry(db.session(), form.filters()):
        yield record(
            row,
            url_for("register.entry", number=row.number, _external=True),
            published,
            partial(_decision_url, row.number),
        )


def _decision_url(number: str, code: str) -> str:
    return url_for("register.published_decision", number=number, code=code, _external=True)


@bp.get("/public-register.csv")
def export_csv() -> ResponseReturnValue:
    """The register (or what the filters keep) as CSV, one entry a row."""
    return csv_response("register.csv", list(FIELDS), (csv_values(r) for r in _records()))


@bp.get("/public-register.json")
def export_json() -> ResponseReturnValue:
    """The register (or what the filters keep) as a JSON array of records."""
    body = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in _records()) + "\n]\n"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "inline; filename=register.json"},
    )


@bp.get("/public-register.atom")
def feed() -> ResponseReturnValue:
    """The newest entries and the newest publications, together, as an Atom feed."""
    session = db.session()
    items = [FeedItem(e.registered_at, e, None) for e in reg.latest(session, FEED_ENTRIES)]
    items += [
        FeedItem(p.published_at, e, p) for e, p in reg.latest_publications(session, FEED_ENTRIES)
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    body = render_template(
        "publication/feed.xml",
        items=items[:FEED_ENTRIES],
        now_utc=utcnow(),
        kinds=KINDS,
        display_code=display_code,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap_index() -> ResponseReturnValue:
    """The sitemap index: one sitemap per SITEMAP_URLS entries (the first with the public
    pages), so that each file stays within the protocol's limits at any size."""
    parts = max(1, -(-reg.count(db.session()) // SITEMAP_URLS))
    body = render_template("publication/sitemap_index.xml", parts=range(1, parts + 1))
    return Response(body, mimetype="application/xml")


@bp.get("/sitemap-<int:part>.xml")
def sitemap(part: int) -> ResponseReturnValue:
    session = db.session()
    if part < 1:
        abort(404)
    after: int | None = 0
    if part > 1:
        # The last entry of the part before: a look-up by position in the primary key.
        after = reg.case_id_at(session, (part - 1) * SITEMAP_URLS)
    if after is None:
        abort(404)
    body = render_template(
        "publication/sitemap.xml",
        pages=part == 1,
        entries=reg.numbers(session, after=after, limit=SITEMAP_URLS),
    )
    return Response(body, mimetype="application/xml")
