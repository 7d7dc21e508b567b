"""The API's public calls, open to any program without a token, limited per address:
verifying a ruling by its code or by its file (what an e-government portal asks), and the
public register of cases with its published decisions (the same records as the open data)."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

from ...cases.subject import LegalBasis, Sector
from ...core.typed import gettext
from ...core.web import takes_uploads
from ...db import db
from ...publication import register as reg
from ...publication.models import Outcome, Stage
from ...publication.opendata import record
from ...rulings import operations as rulings
from ...rulings.kinds import KINDS
from ...rulings.models import Ruling, display_code
from ...rulings.verification import Verdict, verdict
from . import schemas as s
from .blueprint import Blueprint
from .caller import count_public
from .common import address, links
from .problems import fail

bp = Blueprint(
    "api_public",
    __name__,
    url_prefix="/api/v1",
    description="Public: ruling verification and the register of cases (no token needed).",
)
bp.before_request(count_public)
PUBLIC: list[dict[str, list[str]]] = []  # no security requirement: anyone may call


@bp.route("/verify")
@bp.doc(security=PUBLIC)
@bp.arguments(s.VerifyArgs, location="query", as_kwargs=True)
@bp.response(200, s.VerifyOut)
def verify_code(code: str) -> Any:
    """Is the ruling with this verification code an authentic ruling of the centre?"""
    return _verdict(verdict(db.session(), rulings.find_by_code(db.session(), code)), "code")


@bp.route("/verify", methods=["POST"])
@takes_uploads(1)
@bp.doc(security=PUBLIC)
@bp.arguments(s.VerifyFile, location="files", as_kwargs=True)
@bp.response(200, s.VerifyOut)
def verify_file(file: FileStorage) -> Any:
    """Is this PDF, byte for byte, an authentic ruling of the centre?"""
    data = file.stream.read(request.max_content_length or 50 * 2**20)
    return _verdict(verdict(db.session(), rulings.find_by_pdf(db.session(), data)), "file")


def _verdict(found: Verdict, how: str) -> dict[str, Any]:
    ruling = found.ruling
    return {
        "authentic": ruling is not None,
        "how": how,
        "ruling": None if ruling is None else _vouched(ruling, found),
    }


def _vouched(ruling: Ruling, found: Verdict) -> dict[str, Any]:
    reference = None if found.sealed else ruling.values.get("reference")
    return {
        "kind": ruling.kind,
        "title": gettext(KINDS[ruling.kind].title),
        "verification_code": display_code(ruling.verification_code),
        "sha256": ruling.sha256,
        "issued_at": ruling.issued_at,
        "case": reference if isinstance(reference, str) else None,
        "corrected_by": [display_code(c.verification_code) for c in found.corrections],
    }


@bp.route("/register")
@bp.doc(security=PUBLIC)
@bp.arguments(s.RegisterArgs, location="query", as_kwargs=True)
@bp.response(200, s.RegisterEntryOut(many=True), headers={"Link": {"schema": {"type": "string"}}})
def register(limit: int, after: int | None = None, before: int | None = None, **asked: Any) -> Any:
    """The public register: every registered case that is not sealed whole, newest first."""
    filters = reg.Filters(
        year=asked.get("year"),
        sector=Sector(asked["sector"]) if "sector" in asked else None,
        basis=LegalBasis(asked["basis"]) if "basis" in asked else None,
        stage=Stage(asked["stage"]) if "stage" in asked else None,
        outcome=Outcome(asked["outcome"]) if "outcome" in asked else None,
        q=(asked.get("q") or "").strip() or None,
    )
    page = reg.listing(db.session(), filters, after=after, before=before, per_page=limit)
    entries = [row[0] for row in page.rows]
    published = reg.publications_of(db.session(), [e.case_id for e in entries])
    rows = [_record(e, published.get(e.case_id, [])) for e in entries]
    return rows, links(page, "api_public.register", limit, **filters.params)


@bp.route("/register/<number>")
@bp.doc(security=PUBLIC)
@bp.response(200, s.RegisterEntryOut)
def register_entry(number: str) -> Any:
    """One entry of the register, by the case's number."""
    found = reg.entry(db.session(), number)
    if found is None:
        fail(404)
    return _record(found, reg.publications(db.session(), found.case_id))


def _record(entry: Any, published: list[reg.Published]) -> dict[str, Any]:
    return record(
        entry,
        address("register.entry", number=entry.number),
        published,
        partial(_decision_url, entry.number),
    )


def _decision_url(number: str, code: str) -> str:
    return address("register.published_decision", number=number, code=code)
