from __future__ import annotations

import hashlib
import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import login_required
from sqlalchemy import select

from ..cases.views import load_case
from ..db import db
from . import operations as ops
from .forms import VerifyForm
from .kinds import KINDS
from .models import Ruling

bp = Blueprint("rulings", __name__)


@bp.get("/cases/<int:case_id>/rulings/<int:ruling_id>")
@login_required
def download(case_id: int, ruling_id: int):
    case = load_case(case_id)  # the ruling is seen by whoever may see its case
    ruling = db.session.get(Ruling, ruling_id)
    if ruling is None or ruling.case_id != case.id:
        abort(404)
    data = ops.ruling_pdf(db.session, ruling)
    if hashlib.sha256(data).hexdigest() != ruling.sha256:
        abort(500)  # the stored file was altered: never hand out what was not issued
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=ruling.filename, max_age=0)  # fmt: skip


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    """Public: is this an authentic ruling of the centre? Says nothing confidential."""
    form = VerifyForm()
    ruling, checked, how = None, False, None
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
        ruling, checked, how = ops.find_by_code(db.session, form.code.data), True, "code"
    elif form.validate_on_submit():
        upload = form.file.data
        if upload and upload.filename:
            data = upload.stream.read(request.max_content_length or 50 * 2**20)
            ruling, checked, how = ops.find_by_pdf(db.session, data), True, "file"
        elif form.code.data:
            ruling, checked, how = ops.find_by_code(db.session, form.code.data), True, "code"
    correction = None
    if ruling is not None:
        correction = (
            db.session.execute(
                select(Ruling).where(Ruling.corrects_id == ruling.id).order_by(Ruling.issued_at)
            )
            .scalars()
            .first()
        )
    return render_template(
        "rulings_ui/verify.html", form=form, ruling=ruling, checked=checked, how=how,
        kinds=KINDS, correction=correction, display_code=ops.display_code,
    )  # fmt: skip
