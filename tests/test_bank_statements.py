"""Payments from the bank statement (issue 16): the Centre's MT940 and camt.053 statements are
read with their parsers, each credit stored once (the bank's reference is unique: a statement
imported twice adds nothing), matched to the invoice whose payment reference its details
carry (partly, or beyond: a credit), or left in the queue, where the officer matches it by
hand from the suggestions. A statement that is not sound is refused whole, with a reason,
and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, text

from dispute_portal.accounts import matching
from dispute_portal.accounts.banking import centre_bank
from dispute_portal.accounts.models import BankLine, BankStatement, Invoice, InvoiceCounter, Payment
from dispute_portal.accounts.queries import InvoiceStatus, lodging_invoice, standings
from dispute_portal.accounts.statements import StatementRefused
from dispute_portal.auth.models import Role, User
from dispute_portal.cases.models import Currency
from dispute_portal.db import db
from dispute_portal.deadlines.queries import today
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.seed.statements import Transfer, camt053, mt940
from dispute_portal.workflow.states import CaseState
from tests.factories import Factory
from tests.insider import bypass_triggers, delete_case, rebuild_log

D = Decimal
USD_ACCOUNT = "KZ54601USD0000123456"  # the demo's, which the tests' settings keep
FORMATS = {"mt940": mt940, "camt053": camt053}


@pytest.fixture
def bank(app):
    return centre_bank(app.config)


@pytest.fixture
def owed(factory, session):
    """Two claims filed in dollars whose lodging fees are not paid, and an officer."""
    cases = [factory.case(CaseState.SUBMITTED, fee_settled=False) for _ in range(2)]
    return [lodging_invoice(session, c) for c in cases], factory.user(Role.FINANCE)


def _counts(session) -> tuple[int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (BankStatement, BankLine, Payment)
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_a_statement_pays_by_reference_and_queues_the_rest_once(kind, session, bank, owed):
    (first, second), officer = owed
    on = today()
    credits = [
        # The reference as a payer types it: spaced, in lower case, among other words.
        Transfer("B-1", on, D("100.00"), "Steppe Solar", f"fee {first.reference.lower()[:8]} "
                 f"{first.reference.lower()[8:]}"),
        Transfer("B-2", on, second.amount + D("25.00"), "Steppe Solar", second.reference),
        Transfer("B-3", on, D("999.99"), "Somebody Else LLP", "invoice, please find"),
    ]  # fmt: skip
    data = FORMATS[kind](USD_ACCOUNT, "USD", credits, number="S-1", on=on)
    imported = matching.import_statement(session, data, filename="s", bank=bank, by=officer)
    assert (imported.matched, imported.unmatched) == (2, 1)
    one, two = standings(session, [first, second])
    assert one.status is InvoiceStatus.PARTLY_PAID and one.due == first.amount - D("100.00")
    assert two.status is InvoiceStatus.PAID
    extra = session.scalar(select(Payment).where(Payment.invoice_id == second.id))
    assert extra.amount - extra.applied == D("25.00")  # kept to the side's credit
    (waiting,) = matching.unmatched(session)
    assert (waiting.amount, waiting.payer) == (D("999.99"), "Somebody Else LLP")
    # The same statement again: nothing new.
    before = _counts(session)
    again = matching.import_statement(session, data, filename="s", bank=bank, by=officer)
    assert (again.matched, again.unmatched, again.statement.new_credits) == (0, 0, 0)
    assert _counts(session)[1:] == before[1:]


def test_the_officer_matches_a_queued_credit_from_the_suggestions(session, bank, owed):
    (first, _), officer = owed
    payer = first.case.claimant.name
    credit = Transfer("B-9", today(), first.amount, payer, "lodging fee for our claim")
    data = mt940(USD_ACCOUNT, "USD", [credit], number="S-2", on=today())
    matching.import_statement(session, data, filename="s", bank=bank, by=officer)
    (line,) = matching.unmatched(session)
    offered = [invoice for invoice, _ in matching.suggestions(session, line)]
    assert offered[0] == first  # the same amount due, and the payer's name
    matching.match(session, line, first, by=officer)
    assert standings(session, [first])[0].status is InvoiceStatus.PAID
    assert matching.unmatched(session) == []
    with pytest.raises(matching.MatchRefused, match="matched meanwhile"):
        matching.match(session, line, first, by=officer)


def _statement(kind: str, currency: str = "USD", amount: str = "10.00") -> bytes:
    credit = Transfer("B-1", today(), D(amount), "Payer", "RF00")
    return FORMATS[kind](USD_ACCOUNT, currency, [credit], number="S", on=today())


BAD = {
    "truncated mt940": (lambda: _statement("mt940")[:-30], "incomplete"),
    "truncated camt.053": (lambda: _statement("camt053")[:-60], "incomplete"),
    "a PDF": (lambda: b"%PDF-1.7\n1 0 obj<<>>endobj", "not a bank statement"),
    "another XML": (lambda: b'<?xml version="1.0"?><invoice/>', "not a camt.053"),
    "mt940 in another currency": (lambda: _statement("mt940", "KZT"), "kept in USD"),
    "camt.053 in another currency": (lambda: _statement("camt053", "EUR"), "kept in USD"),
    "another account": (
        lambda: _statement("mt940").replace(USD_ACCOUNT.encode(), b"KZ24722KZT0000123456"),
        "not one of the Centre's",
    ),
    "three decimals, mt940": (
        lambda: _statement("mt940").replace(b"10,00", b"10,005"),
        "not exact to the cent",
    ),
    "three decimals, camt.053": (
        lambda: _statement("camt053").replace(b"10.00<", b"10.005<"),
        "not exact to the cent",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_statement_that_is_not_sound_is_refused_and_imports_nothing(case, factory, session, bank):
    data, message = BAD[case]
    before = _counts(session)
    with pytest.raises(StatementRefused, match=message):
        matching.import_statement(
            session, data(), filename="s", bank=bank, by=factory.user(Role.FINANCE)
        )
    assert _counts(session) == before


def test_the_pages_import_and_match(factory, login_as, session, owed):
    (first, second), _ = owed
    session.commit()
    officer, _ = login_as("finance")
    credits = [
        Transfer("W-1", today(), first.amount, "Steppe", first.reference),
        Transfer("W-2", today(), second.amount, "Unknown", "no reference"),
    ]
    data = camt053(USD_ACCOUNT, "USD", credits, number="S-W", on=today())
    empty = officer.post("/finance/statements", {}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Choose the statement file" in empty.text
    bad = officer.post(
        "/finance/statements",
        {"file": (io.BytesIO(data[:-40]), "cut.xml")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "incomplete" in bad.text
    done = officer.post(
        "/finance/statements",
        {"file": (io.BytesIO(data), "halyk.xml")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    page = officer.get(done.location).text
    assert "1 credits paid invoices, 1 wait for a match" in page and "halyk.xml" in page
    queue = officer.get("/finance/unmatched").text
    assert "Unknown" in queue and second.number in queue  # suggested by the amount
    (line,) = matching.unmatched(session)
    wrong = officer.post(f"/finance/unmatched/{line.id}", {"invoice": "INV-1999-000001"})
    assert wrong.status_code == 400 and "No invoice has the number" in wrong.text
    right = officer.post(f"/finance/unmatched/{line.id}", {"invoice": second.number.lower()})
    assert right.status_code == 302
    session.expire_all()
    assert standings(session, [second])[0].status is InvoiceStatus.PAID
    csv_text = officer.get("/finance/unmatched.csv").text
    assert csv_text.splitlines()[0].startswith("bank_reference,booked_on")
    assert len(csv_text.splitlines()) == 1  # nothing waits


def test_a_credit_in_a_currency_the_invoice_is_not_in_is_not_matched(session, bank, owed):
    (first, _), officer = owed
    assert first.currency is Currency.USD
    line = BankLine(
        statement_id=matching.import_statement(
            session,
            mt940(USD_ACCOUNT, "USD", [], number="S-0", on=today()),
            filename="s",
            bank=bank,
            by=officer,
        ).statement.id,
        bank_ref="X-1",
        booked_on=today() - dt.timedelta(days=1),
        amount=first.amount,
        currency="KZT",
        payer="P",
        details="",
    )
    session.add(line)
    session.flush()
    with pytest.raises(matching.MatchRefused, match="in KZT"):
        matching.match(session, line, first, by=officer)


@pytest.mark.postgres_only
class TestTwoOfficersAtOnce:
    """Two finance officers match the same credit at the same moment, on real connections
    with committed data: one records the payment, the other is told."""

    @pytest.fixture
    def committed(self, app):
        with app.app_context():
            outbox_before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
            counters = {c.year: c.last_value for c in db.session.scalars(select(InvoiceCounter))}
            factory = Factory(db.session, app.config)
            officers = [factory.user(Role.FINANCE) for _ in range(2)]
            case = factory.case(CaseState.SUBMITTED, fee_settled=False)
            invoice = lodging_invoice(db.session(), case)
            credit = Transfer("RACE-1", today(), invoice.amount, "Steppe", "no reference")
            data = mt940(USD_ACCOUNT, "USD", [credit], number="S-R", on=today())
            imported = matching.import_statement(
                db.session(), data, filename="s", bank=centre_bank(app.config), by=officers[0]
            )
            db.session.commit()
            (line,) = matching.unmatched(db.session())
            ids = {
                "case": case.id,
                "invoice": invoice.id,
                "line": line.id,
                "statement": imported.statement.id,
                "users": [*(o.id for o in officers), case.claimant_user_id],
            }
        yield ids
        with app.app_context():
            bypass_triggers(db.session())  # the case's trail goes too: the log is made again
            db.session.execute(delete(Payment).where(Payment.case_id == ids["case"]))
            db.session.execute(delete(BankLine).where(BankLine.statement_id == ids["statement"]))
            db.session.execute(delete(BankStatement).where(BankStatement.id == ids["statement"]))
            delete_case(db.session(), ids["case"])
            db.session.execute(delete(User).where(User.id.in_(ids["users"])))
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > outbox_before))
            for counter in db.session.scalars(select(InvoiceCounter)):
                if counter.year in counters:
                    counter.last_value = counters[counter.year]
                else:
                    db.session.delete(counter)
            rebuild_log(db.session())

    def test_one_matches_and_the_other_is_told(self, app, committed):
        barrier = threading.Barrier(2)
        results: list[str] = []

        def act(officer_id: int) -> None:
            with app.app_context():
                session = db.session
                line = session.get(BankLine, committed["line"])
                invoice = session.get(Invoice, committed["invoice"])
                officer = session.get(User, officer_id)
                barrier.wait()  # both have read the credit as unmatched
                try:
                    matching.match(session(), line, invoice, by=officer)
                    session.commit()
                    results.append("matched")
                except matching.MatchRefused as refused:
                    session.rollback()
                    results.append(f"refused: {refused}")

        threads = [threading.Thread(target=act, args=(u,)) for u in committed["users"][:2]]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == [
            "matched",
            "refused: This credit was matched meanwhile, by another officer.",
        ]
        with app.app_context():
            payments = db.session.scalars(
                select(Payment).where(Payment.case_id == committed["case"])
            ).all()
            assert [p.bank_line_id for p in payments] == [committed["line"]]


@pytest.mark.postgres_only
def test_two_imports_of_one_statement_at_once_store_its_credits_once(app):
    """Two officers import the same new statement at once. The first has written its credits
    and not yet committed; the second, which read them as new, waits on the bank's reference
    (unique) and, once the first commits, is refused with a message: no error page, nothing
    imported twice."""
    credit = Transfer("RACE-IMPORT-1", today(), D("12.00"), "Someone", "no reference")
    data = mt940(USD_ACCOUNT, "USD", [credit], number="S-RI", on=today())
    with app.app_context():
        officers = [Factory(db.session, app.config).user(Role.FINANCE) for _ in range(2)]
        db.session.commit()
        ids = [o.id for o in officers]
    second: list[str] = []

    def import_as(officer_id: int) -> None:
        with app.app_context():
            try:
                matching.import_statement(
                    db.session(), data, filename="s", bank=centre_bank(app.config),
                    by=db.session.get_one(User, officer_id),
                )  # fmt: skip
                db.session.commit()
                second.append("imported")
            except StatementRefused as refused:
                db.session.rollback()
                second.append(f"refused: {refused}")

    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    try:
        with app.app_context():
            first = matching.import_statement(
                db.session(), data, filename="s", bank=centre_bank(app.config),
                by=db.session.get_one(User, ids[0]),
            )  # fmt: skip
            other = threading.Thread(target=import_as, args=(ids[1],))
            other.start()
            with db.engine.connect() as watcher:  # until the second waits on the first's rows
                for _ in range(600):
                    if watcher.execute(waiting).scalar():
                        break
                    threading.Event().wait(0.05)
                else:
                    pytest.fail("the second import never waited on the first")
            db.session.commit()
            statement = first.statement.id
        other.join(timeout=60)
        assert second == [
            "refused: Another officer imported this statement a moment ago. Its credits are "
            "in; nothing was imported twice."
        ]
        with app.app_context():
            lines = db.session.scalars(
                select(BankLine.statement_id).where(BankLine.bank_ref.contains("RACE-IMPORT-1"))
            ).all()
            assert lines == [statement]  # once, the first's
            refused_import = select(func.count()).where(BankStatement.imported_by_id == ids[1])
            assert db.session.scalar(refused_import) == 0
    finally:
        with app.app_context():
            db.session.execute(delete(BankLine).where(BankLine.bank_ref.contains("RACE-IMPORT")))
            db.session.execute(delete(BankStatement).where(BankStatement.imported_by_id.in_(ids)))
            db.session.execute(delete(User).where(User.id.in_(ids)))
            db.session.commit()


def test_a_credit_for_a_closed_case_waits_in_the_queue(factory, session, bank):
    """A closed case's account is settled: a late transfer to it is the officer's to
    return, not a payment."""
    case = factory.case(CaseState.CLOSED)
    invoice = lodging_invoice(session, case)
    officer = factory.user(Role.FINANCE)
    credit = Transfer("LATE-1", today(), D("10.00"), "Late Payer", invoice.reference)
    data = mt940(USD_ACCOUNT, "USD", [credit], number="S-L", on=today())
    imported = matching.import_statement(session, data, filename="s", bank=bank, by=officer)
    assert (imported.matched, imported.unmatched) == (0, 1)
    assert session.scalar(select(func.count()).where(Payment.bank_line_id.is_not(None))) == 0


def test_the_csv_keeps_a_payers_formula_as_text(factory, login_as, session, bank):
    officer, user = login_as("finance")
    credit = Transfer("CSV-1", today(), D("1.00"), '=HYPERLINK("http://x.example")', "x")
    data = mt940(USD_ACCOUNT, "USD", [credit], number="S-C", on=today())
    matching.import_statement(session, data, filename="s", bank=bank, by=user)
    session.commit()
    rows = officer.get("/finance/unmatched.csv").text.splitlines()
    assert rows[1].split(",")[4].startswith("\"'=HYPERLINK")
