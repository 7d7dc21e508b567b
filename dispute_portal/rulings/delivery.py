"""Handing out an issued ruling's PDF: checked against what was issued (its hash and its
row's proof), the download audited on the case's chain. The case's rulings (views.py) and
the case account's documents (accounts/account_views.py) both send them this way, each
after its own policy question."""

from __future__ import annotations

import hashlib
import io

from flask import Response, abort, current_app, send_file
from flask_login import current_user

from ..cases.models import Case
from ..db import db
from ..integrity import proofs
from ..workflow.models import record
from . import operations as ops
from .models import Ruling


def send_ruling(case: Case, ruling: Ruling) -> Response:
    data = ops.ruling_pdf(db.session(), ruling)
    problem = proofs.ruling_problem(db.session(), ruling)
    if hashlib.sha256(data).hexdigest() != ruling.sha256 or problem:
        # The stored file or the ruling's row was altered: never hand out what was not issued.
        current_app.logger.error("ruling %s fails its check: %s", ruling.id, problem or "file")
        abort(500)
    record(
        current_user,
        case,
        "download",
        data={"ruling_id": ruling.id, "kind": ruling.kind, "name": ruling.filename},
    )
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=ruling.filename,
        max_age=0,
    )
