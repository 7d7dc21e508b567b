"""Handing out a case document's file, after the policy said the reader may read it: the
download is on the case's chain, as visible as the document. The case's pages (views.py)
and the API (api/rest) both send documents this way."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, send_file
from flask_login import current_user

from ..workflow.models import record
from .models import Case, Document


def send_document(case: Case, document: Document) -> Response:
    path = Path(current_app.config["UPLOAD_DIR"]) / document.stored_name
    if not path.is_file():
        current_app.logger.error("document %s is missing its file %s", document.id, path)
        abort(404)
    # Who read what is part of the record; the event is as visible as the document (and the
    # side that filed it sees it too). The request's commit keeps it.
    record(
        current_user,
        case,
        "download",
        data={
            "document_id": document.id,
            "name": document.download_name,
            **({"side": document.side.value} if document.side is not None else {}),
        },
        visibility=document.visibility.of_events,
    )
    return send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.download_name,
        max_age=0,
    )
