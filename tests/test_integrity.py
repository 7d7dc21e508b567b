"""The transparency log: its Merkle tree against RFC 9162, signed notes against the Go
reference, leaves written with their records, checkpoints, witnesses and `integrity verify`
on an intact database. The attacks it catches are in test_integrity_attacks.py."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from dispute_portal.audit.operations import log_security
from dispute_portal.integrity import merkle
from dispute_portal.integrity.checkpoints import sign_checkpoint, signer_from
from dispute_portal.integrity.models import LogCheckpoint, LogLeaf
from dispute_portal.integrity.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    open_note,
    read_checkpoint,
)
from dispute_portal.integrity.proofs import log_size, tree_root
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.models import CaseEvent, record
from dispute_portal.workflow.states import CaseState

from .conftest import database_of_its_own
from .insider import bypass_triggers

# The Merkle tree ------------------------------------------------------------------------------


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 section 2.1.1, written straight from its definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(
        b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])
    ).digest()


def built(n: int) -> tuple[merkle.Frontier, merkle.NodeReader]:
    """A tree of n leaves built as the log builds it, with the subtrees it stores."""
    tree, nodes = merkle.Frontier(), {}
    for i in range(n):
        leaf = merkle.leaf_hash(i.to_bytes(4, "big"))
        nodes[(0, i)] = leaf
        for level, index, h in tree.append(leaf):
            nodes[(level, index)] = h
    return tree, lambda level, index: nodes[(level, index)]


def test_the_root_is_rfc_9162s_for_every_size_up_to_70():
    for n in range(71):
        tree, read = built(n)
        expected = reference_root([i.to_bytes(4, "big") for i in range(n)])
        assert tree.root() == merkle.root(read, n) == expected


def test_rfc_6962_known_answer():
    # The empty tree, and a one-leaf tree over the empty string (RFC 6962's test vectors).
    assert merkle.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert merkle.leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_every_inclusion_proof_holds_and_a_wrong_one_does_not(case):
    size, index = case
    tree, read = built(size)
    proof = merkle.inclusion_proof(read, index, size)
    leaf = read(0, index)
    assert merkle.verify_inclusion(leaf, index, size, proof, tree.root())
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, proof, tree.root())
    if size > 1:
        assert not merkle.verify_inclusion(leaf, (index + 1) % size, size, proof, tree.root())


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_consistency_proof_holds_and_a_forked_tree_fails(case):
    old, size = case
    tree, read = built(size)
    proof = merkle.consistency_proof(read, old, size)
    assert merkle.verify_consistency(old, size, merkle.root(read, old), tree.root(), proof)
    if 0 < old < size:
        forked = merkle.root(read, old - 1) if old > 1 else merkle.leaf_hash(b"x")
        assert not merkle.verify_consistency(old, size, forked, tree.root(), proof)
        assert not merkle.verify_consistency(old, size, merkle.root(read, old), forked, proof)


# Signed notes and checkpoints -------------------------------------------------------------------

# The example of Go's golang.org/x/mod/sumdb/note documentation (Ed25519 is deterministic).
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_SIGNATURE = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvq"
    "fqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_notes_are_byte_for_byte_those_of_the_go_reference():
    signer = Signer.decode(GO_SIGNER)
    assert signer.verifier.encode() == GO_VERIFIER
    assert signer.encode() == GO_SIGNER
    note = signer.sign(GO_TEXT)
    assert note == GO_TEXT + "\n" + GO_SIGNATURE
    assert open_note(note, Verifier.decode(GO_VERIFIER)) == GO_TEXT


def test_a_note_changed_or_signed_by_another_key_is_refused():
    note = Signer.decode(GO_SIGNER).sign(GO_TEXT)
    verifier = Verifier.decode(GO_VERIFIER)
    with pytest.raises(NoteError, match="does not match"):
        open_note(note.replace("problem,", "problem;"), verifier)
    other = Signer.generate("PeterNeumann")
    with pytest.raises(NoteError, match="not signed by"):
        open_note(other.sign(GO_TEXT), verifier)
    with pytest.raises(NoteError):
        Verifier.decode(GO_VERIFIER.replace("c74f20a3", "c74f20a4"))


def test_a_checkpoint_round_trips_and_names_its_log():
    signer = Signer.generate("example.org/log")
    root = hashlib.sha256(b"root").digest()
    note = signer.sign(Checkpoint("example.org/log", 42, root).text())
    assert note.startswith("example.org/log\n42\n")
    assert read_checkpoint(note, signer.verifier) == Checkpoint("example.org/log", 42, root)
    alien = Signer.generate("example.org/other")
    with pytest.raises(NoteError, match="not of"):
        read_checkpoint(alien.sign(Checkpoint("example.org/log", 1, root).text()), alien.verifier)


# The log in the database (a database of this module's own: `integrity verify` checks all) ---


db_url, app = database_of_its_own("integrity")


def leaves(session) -> list[tuple[str, int | None, int]]:
    return [
        tuple(row)
        for row in session.execute(
            select(LogLeaf.kind, LogLeaf.case_id, LogLeaf.ref).order_by(LogLeaf.idx)
        )
    ]


def test_each_record_becomes_a_leaf_when_its_transaction_commits(factory, session):
    case = factory.case(CaseState.AWARDED)
    assert log_size(session) == 0  # nothing is logged before the commit
    session.commit()
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    rulings = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).all()
    assert any(r.kind == "award" for r in rulings)
    logged = leaves(session)
    assert [leaf for leaf in logged if leaf[0] == "event"] == [
        ("event", case.id, e.seq) for e in sorted(events, key=lambda e: e.id)
    ]
    assert [leaf for leaf in logged if leaf[0] == "ruling"] == [
        ("ruling", case.id, r.id) for r in sorted(rulings, key=lambda r: r.id)
    ]
    assert log_size(session) == len(logged)


def test_a_released_savepoint_appends_nothing_until_the_commit(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    before = log_size(session)
    with session.begin_nested():
        event = record(None, case, "download", data={"x": 1})
    assert log_size(session) == before
    session.commit()
    assert leaves(session)[before:] == [("event", case.id, event.seq)]


def test_a_rolled_back_record_leaves_no_leaf(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    before = log_size(session)
    record(None, case, "download", data={"x": 1})
    session.rollback()  # the whole transaction
    assert log_size(session) == before
    savepoint = session.begin_nested()
    log_security(session, "login_failed", email="dropped@example.com")
    savepoint.rollback()  # a savepoint within a transaction that commits
    kept = log_security(session, "logout", email="kept@example.com")
    session.commit()
    assert leaves(session)[before:] == [("security", None, kept.seq)]
    assert log_size(session) == before + 1


def test_the_log_head_moves_with_each_append_and_matches_the_tree(factory, session):
    factory.case(CaseState.REGISTERED)
    session.commit()
    n = log_size(session)
    assert n == session.scalar(select(func.count()).select_from(LogLeaf))
    stored = [
        bytes.fromhex(h) for h in session.scalars(select(LogLeaf.leaf_hash).order_by(LogLeaf.idx))
    ]
    tree = merkle.Frontier()
    for leaf in stored:
        tree.append(leaf)
    assert tree_root(session, n) == tree.root()


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def test_checkpoint_signs_the_tree_and_hands_it_to_every_witness(app, factory, session, tmp_path):
    factory.case(CaseState.REGISTERED)
    session.commit()
    app.config.update(
        INTEGRITY_WITNESS_DIR=str(tmp_path / "witness"),
        INTEGRITY_WITNESS_EMAIL="auditor@example.org, archive@example.org",
    )
    try:
        status, output = cli(app, "integrity", "checkpoint")
        assert status == 0, output
        assert "New checkpoint" in output
        size = log_size(session)
        files = sorted((tmp_path / "witness").glob("*.checkpoint"))
        assert [f.name for f in files] == [f"{size:012d}.checkpoint"]
        note = files[0].read_text()
        verifier = signer_from(app.config).verifier
        checkpoint = read_checkpoint(note, verifier)
        assert checkpoint.size == size and checkpoint.root == tree_root(session, size)
        mails = session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.contains("checkpoint"))
        ).all()
        assert sorted(m.to_email for m in mails) == ["archive@example.org", "auditor@example.org"]
        assert all(note in m.body for m in mails)
        # Nothing new: the same checkpoint, no second file.
        status, output = cli(app, "integrity", "checkpoint")
        assert status == 0 and "No new leaves" in output
        assert len(list((tmp_path / "witness").glob("*.checkpoint"))) == 1
        status, output = cli(app, "integrity", "verify", "--checkpoint", str(files[0]))
        assert status == 0, output
        assert output.startswith("OK:") and "consistent with 3 checkpoints" in output
    finally:
        app.config.update(INTEGRITY_WITNESS_DIR=None, INTEGRITY_WITNESS_EMAIL=None)


def test_checkpoints_extend_each_other(app, factory, session):
    factory.case(CaseState.REGISTERED)
    session.commit()
    signer = signer_from(app.config)
    first, new = sign_checkpoint(session, signer)
    assert new
    factory.case(CaseState.MEDIATION)
    session.commit()
    second, new = sign_checkpoint(session, signer)
    assert new and second.size > first.size
    assert session.scalar(select(func.count()).select_from(LogCheckpoint)) == 2
    status, output = cli(app, "integrity", "verify")
    assert status == 0, output


def test_checkpoint_without_a_key_says_how_to_make_one(app):
    saved = app.config["INTEGRITY_KEY"], app.config["INTEGRITY_KEY_FILE"]
    app.config.update(INTEGRITY_KEY=None, INTEGRITY_KEY_FILE=None)
    try:
        status, output = cli(app, "integrity", "checkpoint")
    finally:
        app.config["INTEGRITY_KEY"], app.config["INTEGRITY_KEY_FILE"] = saved
    assert status != 0 and "integrity keygen" in output


def test_keygen_writes_a_private_key_file_once(app, tmp_path):
    path = tmp_path / "keys" / "log.key"
    status, output = cli(
        app, "integrity", "keygen", "--name", "disputes.example.kz/log", "--out", str(path)
    )
    assert status == 0, output
    signer = Signer.decode(path.read_text())
    assert signer.name == "disputes.example.kz/log"
    assert signer.verifier.encode() in output and "PRIVATE" not in output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    status, output = cli(app, "integrity", "keygen", "--out", str(path))
    assert status != 0 and "not overwritten" in output
    assert Signer.decode(path.read_text()).encode() == signer.encode()
    status, _ = cli(app, "integrity", "keygen", "--out", str(path), "--if-missing")
    assert status == 0


# PostgreSQL refuses to change what is appended ---------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE case_events SET note = 'x'",
        "DELETE FROM case_events",
        "UPDATE security_events SET ip = '10.0.0.1'",
        "DELETE FROM security_events",
        "UPDATE log_leaves SET label = 'x'",
        "DELETE FROM log_leaves",
        "UPDATE log_nodes SET hash = 'x'",
        "DELETE FROM log_nodes",
        "DELETE FROM log_checkpoints",
        "UPDATE rulings SET sha256 = 'x'",
        "DELETE FROM rulings",
        # A case goes with its events (ON DELETE CASCADE), which refuse. A draft: a filed
        # claim's invoice refuses too (a foreign key), and which of the two PostgreSQL runs
        # first follows its triggers' names, which hold their OIDs: any, in a new database.
        "DELETE FROM cases WHERE state = 'draft'",
    ],
)
def test_the_append_only_tables_refuse_update_and_delete(app, factory, session, statement):
    factory.case(CaseState.AWARDED)
    draft = factory.case(CaseState.DRAFT)
    assert draft.events  # what the cascade reaches
    log_security(session, "login", email="someone@example.com")
    session.commit()
    sign_checkpoint(session, signer_from(app.config))
    session.commit()
    with pytest.raises(DBAPIError, match="append-only|never changes"), session.begin_nested():
        session.execute(text(statement))


@pytest.mark.postgres_only
def test_a_ruling_may_still_be_printed_and_served_once(factory, session):
    case = factory.case(CaseState.AWARDED)
    session.commit()
    ruling_id = session.scalars(select(Ruling.id).where(Ruling.case_id == case.id)).first()
    session.execute(
        text("UPDATE rulings SET printed_at = now(), served_on = current_date WHERE id = :id"),
        {"id": ruling_id},
    )
    with pytest.raises(DBAPIError, match="never changes"), session.begin_nested():
        session.execute(
            text("UPDATE rulings SET served_on = current_date - 1 WHERE id = :id"),
            {"id": ruling_id},
        )


def test_an_insider_can_switch_the_triggers_off_for_the_tests(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    bypass_triggers(session)
    session.execute(text("UPDATE case_events SET note = 'x' WHERE case_id = :id"), {"id": case.id})
    assert session.scalar(
        select(func.count()).where(CaseEvent.case_id == case.id, CaseEvent.note == "x")
    )
