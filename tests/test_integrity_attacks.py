"""An insider with write access to the database and the rulings folder, but not the signing
key: each attack below passed the chain checks before the transparency log, and is now
caught by `integrity verify` against a checkpoint taken before it, kept outside."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update

from dispute_portal.audit.models import ChainHead, SecurityEvent
from dispute_portal.audit.operations import log_security, verify_all
from dispute_portal.auth.models import Role
from dispute_portal.db import db
from dispute_portal.integrity.checkpoints import sign_checkpoint, signer_from
from dispute_portal.integrity.models import LogLeaf, LogNode
from dispute_portal.integrity.verify import verify
from dispute_portal.rulings.models import Ruling, display_code
from dispute_portal.workflow.models import CaseEvent, record
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, database_of_its_own, savepoint
from .factories import Factory
from .insider import bypass_triggers, delete_case, rebuild_log, rewrite_trail

db_url, app = database_of_its_own("attacks")  # `integrity verify` checks the whole database


@pytest.fixture
def world(app, factory, session, tmp_path):
    """Two awarded cases, a few logins, and a checkpoint kept in a file outside."""
    cases = [factory.case(CaseState.AWARDED) for _ in range(2)]
    for n in range(3):
        log_security(session, "login", email=f"someone{n}@example.com")
    session.commit()
    made, _ = sign_checkpoint(session, signer_from(app.config))
    session.commit()
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(made.note)
    return cases, kept


def integrity(app, session, kept: Path) -> tuple[int, str]:
    session.commit()
    result = app.test_cli_runner().invoke(args=["integrity", "verify", "--checkpoint", str(kept)])
    return result.exit_code, result.output


def caught_after(app, session, kept: Path, case_id: int, edit) -> str:
    """Rewrite the case's trail with `edit` and hash it again: the chain checks pass, and
    `integrity verify` fails; what it says."""
    rewrite_trail(session, case_id, edit)
    session.commit()
    assert verify_all(session) == []  # the chains alone are fooled
    status, output = integrity(app, session, kept)
    assert status == 1
    return output


def cli(app, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def award(session, case) -> Ruling:
    return session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "award")
    ).one()


def test_an_untouched_database_passes(app, session, world):
    _, kept = world
    status, output = integrity(app, session, kept)
    assert status == 0, output


# A ruling forged completely ------------------------------------------------------------------


def forge(app, session, ruling: Ruling) -> bytes:
    """Replace the ruling's file with other bytes, and its row's hash, size and file name."""
    forged = b"%PDF-1.7\n% a different award, rendered by the portal's own renderer\n%%EOF\n"
    digest = hashlib.sha256(forged).hexdigest()
    directory = Path(app.config["RULINGS_DIR"])
    (directory / f"{digest}.pdf").write_bytes(forged)
    (directory / ruling.stored_name).unlink()
    bypass_triggers(session)
    session.execute(
        update(Ruling)
        .where(Ruling.id == ruling.id)
        .values(sha256=digest, size=len(forged), stored_name=f"{digest}.pdf")
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.expire_all()
    return forged


def test_a_forged_ruling_is_named_and_refused_everywhere(app, session, world, login_as, tmp_path):
    (case, _), kept = world
    ruling = award(session, case)
    code = display_code(ruling.verification_code)
    forged = forge(app, session, ruling)

    status, output = integrity(app, session, kept)
    assert status == 1
    assert f"ruling {code}: row hash differs from its issue event: tampered" in output
    # rulings audit says tampered, never "renderer drift".
    status, output = cli(app, "rulings", "audit", "--workers", "1")
    assert status == 1
    lines = [line for line in output.splitlines() if code in line]
    assert lines and all("tampered" in line and "drift" not in line for line in lines)
    # rulings verify, /verify by file and by code, and the clerk's download refuse it.
    (tmp_path / "forged.pdf").write_bytes(forged)
    status, output = cli(app, "rulings", "verify", str(tmp_path / "forged.pdf"))
    assert status == 1 and "NOT AUTHENTIC" in output
    anonymous = browser_for(app)
    page = anonymous.get(f"/verify?code={ruling.verification_code}").get_data(as_text=True)
    assert "Not authentic" in page and "has been altered" in page
    page = anonymous.post(
        "/verify", {"code": "", "file": (io.BytesIO(forged), "award.pdf")}
    ).get_data(as_text=True)
    assert "Not authentic" in page and "Authentic<" not in page
    clerk, _ = login_as(Role.CLERK)
    assert clerk.get(f"/cases/{case.id}/rulings/{ruling.id}").status_code == 500


def test_a_forged_ruling_with_its_issue_event_rewritten_is_still_caught(app, session, world):
    (case, _), kept = world
    ruling = award(session, case)
    code = display_code(ruling.verification_code)
    forge(app, session, ruling)
    digest = session.get(Ruling, ruling.id).sha256

    def rewrite(events):
        for event in events:
            if event["action"] == "issue_ruling" and event["data"]["code"] == code:
                event["data"] = event["data"] | {"sha256": digest}
        return events

    output = caught_after(app, session, kept, case.id, rewrite)
    assert f"ruling {code}: the row differs from the transparency log: tampered" in output
    assert f"case {case.number}: events altered since they were logged" in output


# A case's trail rewritten and its chain hashed again ------------------------------------------


def test_an_edited_event_with_the_chain_recomputed(app, session, world):
    (case, _), kept = world

    def edit(events):
        events[1]["note"] = "Rewritten by an insider"
        return events

    output = caught_after(app, session, kept, case.id, edit)
    assert f"case {case.number}: events altered since they were logged: seq [2, " in output


def test_an_inserted_event(app, session, world):
    (case, _), kept = world
    output = caught_after(
        app, session, kept, case.id, lambda events: [*events[:2], dict(events[1]), *events[2:]]
    )
    assert f"case {case.number}: 1 events in the database are not in the log" in output


def test_a_deleted_event(app, session, world):
    (case, _), kept = world
    output = caught_after(app, session, kept, case.id, lambda events: [*events[:1], *events[2:]])
    assert f"case {case.number}: 1 events in the log are missing from the database" in output


def test_reordered_events(app, session, world):
    (case, _), kept = world
    output = caught_after(
        app, session, kept, case.id, lambda events: [events[0], events[2], events[1], *events[3:]]
    )
    assert f"case {case.number}: events altered since they were logged: seq [2, 3" in output


def test_a_null_head_and_the_end_of_the_trail_cut(app, session, world):
    (case, _), kept = world
    bypass_triggers(session)
    last = session.scalar(select(func.max(CaseEvent.seq)).where(CaseEvent.case_id == case.id))
    session.execute(
        delete(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.seq >= last - 1)
    )
    session.execute(text("UPDATE cases SET audit_head = NULL WHERE id = :id"), {"id": case.id})
    session.commit()
    assert verify_all(session) == []  # a case without a head has only its chain
    status, output = integrity(app, session, kept)
    assert status == 1
    assert f"case {case.number}: 2 events in the log are missing from the database" in output


def test_a_deleted_case(app, session, world):
    (case, other), kept = world
    number = case.number
    events = session.scalar(select(func.count()).where(CaseEvent.case_id == case.id))
    codes = [
        display_code(code)
        for code in session.scalars(
            select(Ruling.verification_code).where(Ruling.case_id == case.id)
        )
    ]
    bypass_triggers(session)
    delete_case(session, case.id)  # with its account, which would hold it back
    session.commit()
    assert verify_all(session) == []  # its events went with it
    status, output = integrity(app, session, kept)
    assert status == 1
    assert f"case {number}: {events} events in the log are missing from the database" in output
    for code in codes:
        assert f"ruling {code}: in the log but missing from the database" in output
    assert other.number not in output


def test_the_security_log_cut_and_its_head_fixed(app, session, world):
    _, kept = world
    bypass_triggers(session)
    last = session.scalar(select(func.max(SecurityEvent.seq)))
    kept_end = session.scalars(select(SecurityEvent).where(SecurityEvent.seq == last - 2)).one()
    session.execute(delete(SecurityEvent).where(SecurityEvent.seq > last - 2))
    session.execute(
        update(ChainHead)
        .where(ChainHead.name == "security")
        .values(seq=kept_end.seq, hash=kept_end.hash)
    )
    session.commit()
    assert verify_all(session) == []
    status, output = integrity(app, session, kept)
    assert status == 1
    assert f"security log: 2 entries missing from the database (first: seq {last - 1})" in output


# The log itself rewritten: only the checkpoint kept outside can tell ------------------------


def test_a_log_rebuilt_over_a_rewritten_trail_breaks_the_checkpoint(app, session, world):
    (case, _), kept = world

    def edit(events):
        events[0]["note"] = "Rewritten, and the log with it"
        return events

    rewrite_trail(session, case.id, edit)
    rebuild_log(session)  # leaves, subtrees, head, and the checkpoints in the database
    status, output = cli(app, "integrity", "verify")
    assert status == 0, output  # with no checkpoint from outside, nothing is left to see
    status, output = integrity(app, session, kept)
    assert status == 1
    assert "the log is not consistent with it: the first" in output


def test_leaves_cut_off_the_log(app, session, world):
    _, kept = world
    bypass_triggers(session)
    size = session.scalar(select(func.count()).select_from(LogLeaf))
    session.execute(delete(LogLeaf).where(LogLeaf.idx == size - 1))
    session.commit()
    status, output = integrity(app, session, kept)
    assert status == 1
    assert f"but the log holds {size - 1}: leaves were removed" in output


def test_a_stored_subtree_altered(app, session, world):
    _, kept = world
    bypass_triggers(session)
    session.execute(
        update(LogNode).where(LogNode.level == 1, LogNode.idx == 0).values(hash="0" * 64)
    )
    session.commit()
    status, output = integrity(app, session, kept)
    assert status == 1
    assert "1 stored subtrees differ from what its leaves make" in output


def test_a_checkpoint_signed_by_another_key_is_refused(app, session, world, tmp_path):
    _, kept = world
    lines = kept.read_text().splitlines(keepends=True)  # the size changed, the signature kept
    lines[1] = str(int(lines[1]) + 1) + "\n"
    (tmp_path / "forged.txt").write_text("".join(lines))
    status, output = integrity(app, session, tmp_path / "forged.txt")
    assert status == 1 and "not a valid signed checkpoint" in output


# Any appends, then a checkpoint, then any tampering: caught every time, and never a false alarm


TAMPERING = [
    None,
    "edit_event",
    "rechain_trail",
    "delete_event",
    "delete_security",
    "edit_leaf",
    "swap_leaves",
    "cut_log",
    "edit_node",
    "rebuild_log",
    "delete_case",
]


def tamper(session, how: str, case_id: int) -> None:
    bypass_triggers(session)
    last_event = select(func.max(CaseEvent.id)).where(CaseEvent.case_id == case_id)
    size = session.scalar(select(func.count()).select_from(LogLeaf)) or 0
    if how == "edit_event":
        session.execute(
            update(CaseEvent).where(CaseEvent.id == last_event.scalar_subquery()).values(note="x")
        )
    elif how == "rechain_trail":
        rewrite_trail(session, case_id, lambda events: [*events[:-1], events[-1] | {"note": "x"}])
    elif how == "delete_event":
        session.execute(delete(CaseEvent).where(CaseEvent.id == last_event.scalar_subquery()))
    elif how == "delete_security":
        session.execute(
            delete(SecurityEvent).where(
                SecurityEvent.seq == select(func.max(SecurityEvent.seq)).scalar_subquery()
            )
        )
    elif how == "edit_leaf":
        session.execute(update(LogLeaf).where(LogLeaf.idx == size // 2).values(label="other"))
    elif how == "swap_leaves":
        first, second = session.execute(
            select(LogLeaf.idx, LogLeaf.leaf_hash).where(LogLeaf.idx.in_([0, size - 1]))
        ).all()
        for idx, value in ((first.idx, second.leaf_hash), (second.idx, first.leaf_hash)):
            session.execute(update(LogLeaf).where(LogLeaf.idx == idx).values(leaf_hash=value))
    elif how == "cut_log":
        session.execute(delete(LogLeaf).where(LogLeaf.idx == size - 1))
    elif how == "edit_node":
        session.execute(update(LogNode).where(LogNode.level == 1).values(hash="1" * 64))
    elif how == "rebuild_log":
        session.execute(
            update(CaseEvent).where(CaseEvent.id == last_event.scalar_subquery()).values(note="x")
        )
        rebuild_log(session)
    elif how == "delete_case":
        delete_case(session, case_id)
    session.commit()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    appends=st.lists(st.sampled_from(["event", "login"]), max_size=12),
    later=st.lists(st.sampled_from(["event", "login"]), max_size=4),
    how=st.sampled_from(TAMPERING),
)
def test_tampering_is_always_caught_and_honest_growth_never(app, connection, appends, later, how):
    with savepoint(connection):
        session = db.sessionmaker(info={"config": app.config})
        try:
            factory_case = _case(app, session)
            _append(session, factory_case, ["event", "login", *appends])  # both kinds to tamper
            made, _ = sign_checkpoint(session, signer_from(app.config))
            session.commit()
            note = made.note
            _append(session, factory_case, later)  # the log goes on growing honestly
            if how is not None:
                tamper(session, how, factory_case.id)
            report = verify(
                session,
                signer_from(app.config).verifier,
                [("outside", note)],
                app.config["RULINGS_DIR"],
            )
            if how is None:
                assert report.findings == []
            else:
                assert report.findings, how
        finally:
            session.close()


def _case(app, session):
    case = Factory(session, app.config).case(CaseState.REGISTERED)
    session.commit()
    return case


def _append(session, case, kinds) -> None:
    for n, kind in enumerate(kinds):
        if kind == "event":
            record(None, case, "download", data={"n": n})
        else:
            log_security(session, "login", email=f"user{n}@example.com")
        session.commit()
