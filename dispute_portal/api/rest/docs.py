"""The API's documentation page: Swagger UI, from the portal's own static files, reading the
generated OpenAPI document. Without JavaScript the page still says where the document and
the guide are."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from .problems import TITLES, type_uri

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/docs")
def index() -> ResponseReturnValue:
    return render_template(
        "api/docs.html",
        spec_url=url_for("api-docs.openapi_json"),
        problems=[(type_uri(slug), title) for slug, title in TITLES.items()],
    )
