"""The double-entry ledger: open an account, post a transaction, reverse one, read balances.

The flows of the case account (invoices, payments, substitutions, waivers, fees, refunds)
each post through `post`, which refuses what would break the ledger's rules: fewer than two
postings, an amount that is zero, not exact to the cent or beyond reason, an account in
another currency, postings that do not sum to zero. Balances are sums, read when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import utcnow
from ..parties.models import Side
from ..texts import N_, Refusal
from .models import (
    CASE_HOLDERS,
    CENT,
    MAX_AMOUNT,
    Holder,
    LedgerAccount,
    LedgerTransaction,
    Posting,
    TransactionKind,
)


class LedgerRefused(Refusal):
    pass


def account_key(
    case: Case | None, holder: Holder, currency: Currency, *, side: Side | None, user_id: int | None
) -> str:
    """The account's unique name: `case:12/party:claimant/KZT`, `centre/bank/USD`."""
    owner = f"case:{case.id}" if case is not None else "centre"
    detail = f":{side.value}" if side is not None else f":{user_id}" if user_id else ""
    return f"{owner}/{holder.value}{detail}/{currency.value}"


def account(
    session: Session,
    holder: Holder,
    currency: Currency,
    *,
    case: Case | None = None,
    side: Side | None = None,
    user_id: int | None = None,
) -> LedgerAccount:
    """The account (opened on first use): a case's (a side's, the advance, a neutral's) or
    the Centre's (bank, fees)."""
    if (holder in CASE_HOLDERS) != (case is not None):
        raise ValueError(
            f"{holder} accounts belong to {'a case' if case is None else 'the Centre'}"
        )
    key = account_key(case, holder, currency, side=side, user_id=user_id)
    found = session.scalar(select(LedgerAccount).where(LedgerAccount.key == key))
    if found is None:
        found = LedgerAccount(
            key=key,
            case_id=case.id if case is not None else None,
            holder=holder,
            side=side,
            user_id=user_id,
            currency=currency,
        )
        session.add(found)
        session.flush()
    return found


def _exact(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise LedgerRefused(N_("An amount is exact to the cent (two decimals)."))
    if amount == 0:
        raise LedgerRefused(N_("A posting of nothing records nothing."))
    if abs(amount) > MAX_AMOUNT:
        raise LedgerRefused(N_("The amount is beyond what the Centre handles."))
    return amount.quantize(CENT)


def post(
    session: Session,
    *,
    case: Case | None,
    kind: TransactionKind,
    currency: Currency,
    lines: Sequence[tuple[LedgerAccount, Decimal]],
    reason: str,
    by: User | None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """One transaction: every line an account of `currency` and an exact amount (a debit
    positive, a credit negative), the lines summing to zero."""
    if len(lines) < 2:
        raise LedgerRefused(N_("A transaction moves money between at least two accounts."))
    if not reason.strip():
        raise LedgerRefused(N_("Say what the transaction records."))
    amounts = [_exact(amount) for _account, amount in lines]
    if any(a.currency is not currency for a, _amount in lines):
        raise LedgerRefused(N_("An account holds one currency: post in its currency."))
    case_id = case.id if case is not None else None
    if any(a.case_id not in (None, case_id) for a, _amount in lines):
        raise LedgerRefused(N_("A transaction moves the money of its own case only."))
    if sum(amounts, Decimal(0)) != 0:
        raise LedgerRefused(N_("The postings of a transaction must sum to zero."))
    transaction = LedgerTransaction(
        case_id=case_id,
        kind=kind,
        currency=currency,
        reason=reason.strip(),
        reverses_id=reverses.id if reverses is not None else None,
        made_by_id=by.id if by is not None else None,
        made_at=utcnow(),
        postings=[
            Posting(account=a, amount=amount)
            for (a, _given), amount in zip(lines, amounts, strict=True)
        ],
    )
    session.add(transaction)
    session.flush()
    return transaction


def reverse(
    session: Session, transaction: LedgerTransaction, *, reason: str, by: User | None
) -> LedgerTransaction:
    """Undo a transaction by its mirror image (every posting negated), with the reasons.
    A transaction is reversed once; a reversal is not reversed (post the original again)."""
    if transaction.kind is TransactionKind.REVERSAL:
        raise LedgerRefused(N_("A reversal is not reversed: record the transaction again."))
    done = select(LedgerTransaction.id).where(LedgerTransaction.reverses_id == transaction.id)
    if session.scalar(done) is not None:
        raise LedgerRefused(N_("This transaction has already been reversed."))
    case = session.get(Case, transaction.case_id) if transaction.case_id else None
    return post(
        session,
        case=case,
        kind=TransactionKind.REVERSAL,
        currency=transaction.currency,
        lines=[(p.account, -p.amount) for p in transaction.postings],
        reason=reason,
        by=by,
        reverses=transaction,
    )


# Balances are added up here, in Decimal, from the postings as stored: SQLite keeps NUMERIC as
# a floating-point number (each amount reads back exact to the cent, but SQL's SUM over them
# would add floats), and PostgreSQL gives the same answer either way.


def balance(session: Session, account: LedgerAccount) -> Decimal:
    """The sum of the account's postings (debits positive): what it holds now."""
    amounts = session.scalars(select(Posting.amount).where(Posting.account_id == account.id))
    return sum(amounts, Decimal("0.00")).quantize(CENT)


def balances(session: Session, case: Case) -> dict[str, Decimal]:
    """Every account of the case by its key, with its balance (one query)."""
    rows = session.execute(
        select(LedgerAccount.key, Posting.amount)
        .outerjoin(Posting, Posting.account_id == LedgerAccount.id)
        .where(LedgerAccount.case_id == case.id)
    )
    totals: dict[str, Decimal] = {}
    for key, amount in rows:
        totals[key] = totals.get(key, Decimal("0.00")) + (amount or Decimal("0.00"))
    return {key: total.quantize(CENT) for key, total in totals.items()}
