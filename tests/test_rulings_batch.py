"""Rendering rulings on every core, and the audit of the archive of issued rulings."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import UndefinedError
from sqlalchemy import update

from dispute_portal.rulings import batch
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.kinds import KINDS
from dispute_portal.rulings.models import Ruling
from dispute_portal.rulings.render import render_html, render_pdf
from dispute_portal.rulings.signing import make_demo_cert
from dispute_portal.workflow.states import CaseState

from .insider import bypass_triggers

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make


def _issued(factory) -> Ruling:
    """The filing receipt of a new submitted case."""
    return rulings.case_rulings(factory.case(CaseState.SUBMITTED))[0]


def _set_values(session, ruling: Ruling, values: dict) -> None:
    # Behind the ORM's back (it refuses to change an issued ruling): to the audit, values
    # that no longer render to the issued bytes are what a changed renderer looks like.
    # On PostgreSQL a trigger refuses it too: switched off, as only the tables' owner could.
    bypass_triggers(session)
    table = Ruling.__table__
    session.execute(update(table).where(table.c.id == ruling.id).values(values=values))


def test_render_many_gives_the_bytes_of_one_by_one_in_order(factory, session):
    values = _issued(factory).values
    items = [
        (KINDS["filing_receipt"].template("en"), values, "en"),
        (KINDS["inadmissibility_decision"].template("ru"), values | {"reasons": "Не спор."}, "ru"),
        (KINDS["return_notice"].template("kk"), values | {"reasons": "Шартты беріңіз."}, "kk"),
    ]
    one_by_one = [render_pdf(render_html(*item)) for item in items]
    assert len(set(one_by_one)) == len(items)  # all different, so a wrong order shows
    assert batch.render_many(items, workers=2) == one_by_one
    assert batch.render_many([], workers=2) == []


def test_render_many_hands_over_to_fresh_workers_and_keeps_order(factory, monkeypatch):
    values = _issued(factory).values
    items = [
        (KINDS["filing_receipt"].template("en"), values | {"reference": f"F-2026-{i:06d}"}, "en")
        for i in range(3)
    ]
    pools = []

    class CountedPool(batch.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(batch, "RECYCLE", 1)  # each worker renders one: items 0-1, then 2
    assert batch.render_many(items, workers=2) == [render_pdf(render_html(*i)) for i in items]
    assert len(pools) == 2


def test_render_many_raises_what_a_worker_raised(factory):
    broken = (KINDS["filing_receipt"].template("en"), {}, "en")
    with pytest.raises(UndefinedError):
        batch.render_many([broken, broken], workers=2)


def test_audit_finds_nothing_wrong_with_untouched_rulings(factory, session, app):
    case = factory.case(CaseState.REGISTERED)  # a filing receipt and a registration notice
    assert len(rulings.case_rulings(case)) == 2
    assert batch.audit_rulings(session, app.config["RULINGS_DIR"], workers=2) == []


def test_audit_reports_a_tampered_file_and_a_missing_file(factory, session, app):
    tampered, deleted, _untouched = (_issued(factory) for _ in range(3))
    directory = Path(app.config["RULINGS_DIR"])
    data = bytearray((directory / tampered.stored_name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (directory / tampered.stored_name).write_bytes(bytes(data))
    (directory / deleted.stored_name).unlink()
    # Their values still render to the recorded hash: no drift, the files can be rebuilt.
    assert batch.audit_rulings(session, directory, workers=2) == [
        (tampered, batch.ALTERED),
        (deleted, batch.MISSING),
    ]


def test_audit_reports_renderer_drift_and_values_that_no_longer_render(factory, session, app):
    drifted, broken, _untouched = (_issued(factory) for _ in range(3))
    _set_values(session, drifted, drifted.values | {"issued_date": "1 January 2030"})
    _set_values(session, broken, {k: v for k, v in broken.values.items() if k != "reference"})
    problems = batch.audit_rulings(session, app.config["RULINGS_DIR"], workers=2)
    assert [(ruling, reason.split(":")[0]) for ruling, reason in problems] == [
        (drifted, batch.DRIFT),
        (broken, batch.FAILED),
    ]
    assert "UndefinedError" in problems[1][1] and "reference" in problems[1][1]


@pytest.fixture
def signing(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNING_CERT", str(make_demo_cert(tmp_path / "demo.p12")))


def test_audit_compares_a_signed_ruling_up_to_its_signature(signing, factory, session, app):
    signed, drifted = (_issued(factory) for _ in range(2))
    assert signed.signed and drifted.signed  # a signature is never the same twice
    _set_values(session, drifted, drifted.values | {"issued_date": "1 January 2030"})
    assert batch.audit_rulings(session, app.config["RULINGS_DIR"], workers=1) == [
        (drifted, batch.DRIFT)
    ]
