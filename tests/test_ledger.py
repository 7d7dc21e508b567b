"""The ledger of the case account (issue 16): double-entry, exact, append-only.

What `post` refuses, reversals (once, never of a reversal), the constraints the database
keeps itself, and that nothing written is ever changed or deleted. Then the property the
whole case account rests on (hypothesis): any sequence of invoices, payments (partial and
over-), substitutions, waivers, fees, refunds and reversals leaves every transaction summing
to zero and every balance equal to the sum of its postings and to what the sequence says.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispute_portal.accounts import ledger
from dispute_portal.accounts.models import (
    Holder,
    LedgerAccount,
    LedgerRewritten,
    LedgerTransaction,
    Posting,
    TransactionKind,
)
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Currency
from dispute_portal.parties.models import Side
from dispute_portal.workflow.states import CaseState

KZT, USD = Currency.KZT, Currency.USD
D = Decimal


@pytest.fixture
def books(factory, session):
    """A registered case, its clerk, and the accounts of the case and the Centre in KZT."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.flush()
    return case, clerk, _accounts(session, case, KZT)


def _accounts(session, case, currency):
    return {
        "claimant": ledger.account(session, Holder.PARTY, currency, case=case, side=Side.CLAIMANT),
        "respondent": ledger.account(
            session, Holder.PARTY, currency, case=case, side=Side.RESPONDENT
        ),
        "advance": ledger.account(session, Holder.ADVANCE, currency, case=case),
        "bank": ledger.account(session, Holder.BANK, currency),
        "income": ledger.account(session, Holder.INCOME, currency),
    }


def _post(session, case, clerk, kind, lines, currency=KZT, reason="Lodging fee."):
    return ledger.post(
        session, case=case, kind=kind, currency=currency, lines=lines, reason=reason, by=clerk
    )


def test_a_transaction_moves_money_and_balances_are_sums(books, session):
    case, clerk, a = books
    filed = ledger.balances(session, case)  # the lodging fee in USD, asked and paid
    fee = D("150000.00")
    _post(
        session, case, clerk, TransactionKind.INVOICE, [(a["claimant"], fee), (a["income"], -fee)]
    )
    _post(
        session, case, clerk, TransactionKind.PAYMENT,
        [(a["bank"], D("100000.50")), (a["claimant"], D("-100000.50"))], reason="Part paid.",
    )  # fmt: skip
    assert ledger.balance(session, a["claimant"]) == D("49999.50")  # still due
    assert ledger.balance(session, a["bank"]) == D("100000.50")
    assert ledger.balances(session, case) == filed | {
        a["claimant"].key: D("49999.50"),
        a["respondent"].key: D("0.00"),
        a["advance"].key: D("0.00"),
    }
    assert a["claimant"].key == f"case:{case.id}/party:claimant/KZT"
    assert a["bank"].key == "centre/bank/KZT"
    # The same account is found again, never opened twice.
    again = ledger.account(session, Holder.PARTY, KZT, case=case, side=Side.CLAIMANT)
    assert again.id == a["claimant"].id


@pytest.mark.parametrize(
    ("lines", "refusal"),
    [
        (lambda a: [(a["claimant"], D("10.00"))], "at least two accounts"),
        (lambda a: [(a["claimant"], D("10.00")), (a["income"], D("-9.99"))], "sum to zero"),
        (lambda a: [(a["claimant"], D("10.005")), (a["income"], D("-10.005"))], "to the cent"),
        (lambda a: [(a["claimant"], D("0")), (a["income"], D("0"))], "of nothing"),
        (lambda a: [(a["claimant"], D("NaN")), (a["income"], D("-1"))], "to the cent"),
        (lambda a: [(a["claimant"], D("1e13")), (a["income"], D("-1e13"))], "beyond"),
        (lambda a: [(a["claimant"], D("10")), (a["usd_income"], D("-10"))], "one currency"),
        (lambda a: [(a["claimant"], D("10")), (a["other_case"], D("-10"))], "its own case"),
    ],
)  # fmt: skip
def test_what_would_break_the_ledger_is_refused_and_writes_nothing(
    books, factory, session, lines, refusal
):
    case, clerk, a = books
    other = factory.case(CaseState.REGISTERED, clerk=clerk)
    a = {
        **a,
        "usd_income": ledger.account(session, Holder.INCOME, USD),
        "other_case": ledger.account(session, Holder.ADVANCE, KZT, case=other),
    }
    before = (
        session.scalars(select(LedgerTransaction)).all(),
        session.scalars(select(Posting)).all(),
    )
    with pytest.raises(ledger.LedgerRefused, match=refusal):
        _post(session, case, clerk, TransactionKind.INVOICE, lines(a))
    assert session.scalars(select(LedgerTransaction)).all() == before[0]
    assert session.scalars(select(Posting)).all() == before[1]


def test_a_transaction_says_what_it_records(books, session):
    case, clerk, a = books
    with pytest.raises(ledger.LedgerRefused, match="Say what"):
        _post(
            session, case, clerk, TransactionKind.INVOICE,
            [(a["claimant"], D("1.00")), (a["income"], D("-1.00"))], reason="  ",
        )  # fmt: skip


def test_a_reversal_mirrors_a_transaction_once(books, session):
    case, clerk, a = books
    paid = _post(
        session, case, clerk, TransactionKind.PAYMENT,
        [(a["bank"], D("500.00")), (a["respondent"], D("-500.00"))], reason="Wrong side.",
    )  # fmt: skip
    undone = ledger.reverse(
        session, paid, reason="Paid by the claimant, not the respondent.", by=clerk
    )
    assert undone.kind is TransactionKind.REVERSAL and undone.reverses_id == paid.id
    assert [(p.account_id, p.amount) for p in undone.postings] == [
        (a["bank"].id, D("-500.00")),
        (a["respondent"].id, D("500.00")),
    ]
    assert ledger.balance(session, a["respondent"]) == 0 == ledger.balance(session, a["bank"])
    with pytest.raises(ledger.LedgerRefused, match="already been reversed"):
        ledger.reverse(session, paid, reason="Again.", by=clerk)
    with pytest.raises(ledger.LedgerRefused, match="not reversed"):
        ledger.reverse(session, undone, reason="Undo the undo.", by=clerk)
    with pytest.raises(ledger.LedgerRefused, match="Say what"):
        ledger.reverse(session, _post(
            session, case, clerk, TransactionKind.INVOICE,
            [(a["claimant"], D("1.00")), (a["income"], D("-1.00"))],
        ), reason="", by=clerk)  # fmt: skip


def _change(tx, session):
    tx.postings[0].amount = D("8.00")


def _delete(tx, session):
    session.delete(tx.postings[0])


@pytest.mark.parametrize("rewrite", [_change, _delete], ids=["changed", "deleted"])
def test_what_was_written_is_never_changed_or_deleted(books, session, rewrite):
    case, clerk, a = books
    lines = [(a["claimant"], D("7.00")), (a["income"], D("-7.00"))]
    rewrite(_post(session, case, clerk, TransactionKind.INVOICE, lines), session)
    with pytest.raises(LedgerRewritten):
        session.flush()
    session.rollback()


@pytest.mark.parametrize(
    "columns",
    [
        {"holder": Holder.PARTY, "side": None},  # a party's account names its side
        {"holder": Holder.BANK, "side": None},  # the Centre's accounts belong to no case
        {"holder": Holder.ADVANCE, "side": Side.CLAIMANT},  # only a party's has a side
    ],
)
def test_the_database_keeps_the_accounts_shape(books, session, columns):
    case, _clerk, _a = books
    nested = session.begin_nested()
    session.add(
        LedgerAccount(key=f"bad/{columns['holder']}", case_id=case.id, currency=KZT, **columns)
    )
    with pytest.raises(IntegrityError):
        session.flush()
    nested.rollback()


# The property: any sequence of the flows keeps the ledger true. ---------------------------

AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("50000000"), places=2)
SIDES = st.sampled_from(["claimant", "respondent"])
OPERATIONS = st.one_of(
    st.tuples(st.just("invoice_fee"), SIDES, AMOUNTS),  # the lodging fee: the Centre's
    st.tuples(st.just("invoice_advance"), SIDES, AMOUNTS),  # an advance: held for the case
    st.tuples(st.just("payment"), SIDES, AMOUNTS),  # partial, whole or over-payment
    st.tuples(st.just("substitution"), SIDES, AMOUNTS),  # the other side pays in its place
    st.tuples(st.just("waiver"), SIDES, AMOUNTS),
    st.tuples(st.just("fees"), st.just(""), AMOUNTS),  # a neutral's fees charged to the advance
    st.tuples(st.just("refund"), SIDES, AMOUNTS),
    st.tuples(st.just("reversal"), st.integers(min_value=0, max_value=40), st.just(D(0))),
)
OTHER = {"claimant": "respondent", "respondent": "claimant"}


def _lines(operation, a):
    """The postings each flow makes (a debit positive, a credit negative)."""
    kind, side, amount = operation
    if kind == "fees":  # a neutral's approved fees, charged to the advance
        return TransactionKind.FEES, [(a["advance"], amount), (a["neutral"], -amount)]
    party = a[side]
    return {
        "invoice_fee": (TransactionKind.INVOICE, [(party, amount), (a["income"], -amount)]),
        "invoice_advance": (TransactionKind.INVOICE, [(party, amount), (a["advance"], -amount)]),
        "payment": (TransactionKind.PAYMENT, [(a["bank"], amount), (party, -amount)]),
        "substitution": (
            TransactionKind.SUBSTITUTION,
            [(a[OTHER[side]], amount), (party, -amount)],
        ),
        "waiver": (TransactionKind.WAIVER, [(a["income"], amount), (party, -amount)]),
        "refund": (TransactionKind.REFUND, [(party, amount), (a["bank"], -amount)]),
    }[kind]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    currency=st.sampled_from([KZT, USD]),
    operations=st.lists(OPERATIONS, min_size=1, max_size=30),
)
def test_any_sequence_of_the_flows_keeps_the_ledger_true(factory, session, currency, operations):
    nested = session.begin_nested()
    try:
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.REGISTERED, clerk=clerk)
        neutral = factory.user(Role.ARBITRATOR)
        session.flush()
        a = _accounts(session, case, currency)
        # The lodging fee the filing asked for, and its payment, came before.
        filed = set(session.scalars(select(LedgerTransaction.id)))
        a["neutral"] = ledger.account(
            session, Holder.NEUTRAL, currency, case=case, user_id=neutral.id
        )
        # The test's own account of the sequence, from what each flow asks (never from what
        # the ledger wrote): the changes of each transaction, by account key.
        # (from the balances the filing left: its lodging fee, paid, went to the bank)
        expected = {account.key: ledger.balance(session, account) for account in a.values()}
        asked: dict[int, list[tuple[str, Decimal]]] = {}
        posted: list[LedgerTransaction] = []
        for operation in operations:
            if operation[0] == "reversal":
                open_ = [t for t in posted if t.kind is not TransactionKind.REVERSAL]
                reversed_ids = {t.reverses_id for t in posted}
                open_ = [t for t in open_ if t.id not in reversed_ids]
                if not open_:
                    continue
                original = open_[operation[1] % len(open_)]
                tx = ledger.reverse(session, original, reason="Mistake.", by=clerk)
                changes = [(key, -amount) for key, amount in asked[original.id]]
            else:
                kind, lines = _lines(operation, a)
                tx = ledger.post(
                    session, case=case, kind=kind, currency=currency, lines=lines,
                    reason=operation[0], by=clerk,
                )  # fmt: skip
                changes = [(account.key, amount) for account, amount in lines]
            asked[tx.id] = changes
            posted.append(tx)
            for key, amount in changes:
                expected[key] += amount
            # What was written is what was asked, line by line.
            assert [(p.account.key, p.amount) for p in tx.postings] == changes
        session.expire_all()
        stored = session.scalars(
            select(LedgerTransaction).where(
                LedgerTransaction.case_id == case.id, LedgerTransaction.id.not_in(filed)
            )
        ).all()
        assert len(stored) == len(posted)
        for tx in stored:
            assert sum(p.amount for p in tx.postings) == 0, tx.id
            assert {p.account.currency for p in tx.postings} == {currency}
        case_balances = ledger.balances(session, case)
        for account in a.values():
            total = ledger.balance(session, account)
            rows = session.scalars(select(Posting.amount).where(Posting.account_id == account.id))
            assert total == sum(rows, D("0.00")) == expected[account.key], account.key
            if account.case_id is not None:
                assert case_balances[account.key] == total
        # Money is neither made nor lost: all the accounts together hold nothing.
        assert sum(expected.values(), D("0.00")) == 0
    finally:
        nested.rollback()
