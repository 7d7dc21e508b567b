"""What the API's resources share: pages with `Link` headers, a case's ETag and the
If-Match check, absolute addresses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request, url_for
from sqlalchemy import Select

from ...cases.models import Case
from ...core.keyset import Page, paginate
from ...db import db
from .problems import fail

API_PREFIX = "/api/v1"


def address(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def links(page: Page, endpoint: str, limit: int, **values: Any) -> dict[str, str]:
    """The `Link` header of a page of a list (RFC 8288): its first, next and previous pages,
    the cursors in them opaque to the client."""
    rels = [f'<{address(endpoint, limit=limit, **values)}>; rel="first"']
    if page.after is not None:
        rels.append(f'<{address(endpoint, after=page.after, limit=limit, **values)}>; rel="next"')
    if page.before is not None:
        rels.append(f'<{address(endpoint, before=page.before, limit=limit, **values)}>; rel="prev"')
    return {"Link": ", ".join(rels)}


def keyset_page(
    query: Select[Any],
    key: Sequence[Any],
    after: int | None,
    before: int | None,
    limit: int,
    *,
    descending: bool = False,
) -> Page:
    """A page of a list (rows whose first column is the entity, its id the cursor): no
    count, the `Link` header says whether there is more."""
    return paginate(
        db.session(),
        query,
        key,
        after=after,
        before=before,
        per_page=limit,
        descending=descending,
        count_up_to=0,
    )


def etag(case: Case) -> str:
    """The case's entity tag: its version, which every act of the workflow moves on."""
    return f'"case-{case.id}-v{case.version}"'


def check_if_match(case: Case) -> int | None:
    """The If-Match precondition of a write to the case: 412 if the case moved on since the
    caller read it. The version it names, for the operation's own check (None: no header,
    the write goes on the case as it is)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    current = etag(case)
    tags = [t.strip() for t in header.split(",")]  # strong comparison: W/ never matches
    if "*" in tags or current in tags:
        return case.version
    fail(
        412,
        "case-changed",
        headers={"ETag": current},
    )
