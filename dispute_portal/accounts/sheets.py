"""A case's account as a statement shows it, in each of its currencies: what each side was
asked, paid, was forgiven and still owes; what was spent on what (the Centre's lodging and
administrative fees, each neutral's approved fees and expenses); what the advance still
holds; and what the Centre owes each side back. Read from the ledger and its rows; the
statements' PDFs (closing.py) show it as text in their language (`sheets_extra`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from sqlalchemy import select

from ..cases.models import Case, Currency
from ..core.money import format_money
from ..db import session_of
from ..deadlines.queries import today
from ..parties.models import SIDE_LABELS, Side
from ..rulings.render import catalogue
from ..texts import N_
from . import ledger
from .models import Holder, InvoicePurpose, LedgerAccount, LedgerTransaction, Posting
from .models import TransactionKind as Kind
from .outgoings import FeeNote, NoteStatus, Refund
from .queries import ZERO, advance_held, case_account


@dataclass(frozen=True)
class Sheet:
    currency: Currency
    invoiced: dict[Side, Decimal]
    paid: dict[Side, Decimal]  # received from the side (a substitution: from the payer)
    waived: dict[Side, Decimal]  # waived, or written off at the end
    due: dict[Side, Decimal]
    lodging: Decimal  # the lodging fees the Centre earned
    administrative: Decimal  # the administrative fee charged to the advance
    neutrals: list[tuple[str, Decimal]]  # each neutral's approved fees and expenses
    held: Decimal  # the advance received and not spent nor refunded
    credit: dict[Side, Decimal]  # what the Centre owes the side back
    refunded: dict[Side, Decimal]  # refunds paid

    @property
    def spent(self) -> Decimal:
        return self.lodging + self.administrative + sum((a for _n, a in self.neutrals), ZERO)


def _by_side() -> dict[Side, Decimal]:
    return {side: ZERO for side in Side}


def _administrative(case: Case) -> dict[Currency, Decimal]:
    """The administrative fees charged to the case's advance (FEES postings to the Centre's
    fees), by currency."""
    rows = session_of(case).execute(
        select(LedgerTransaction.currency, Posting.amount)
        .join(Posting, Posting.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
        .where(
            LedgerTransaction.case_id == case.id,
            LedgerTransaction.kind == Kind.FEES,
            LedgerAccount.holder == Holder.INCOME,
        )
    )
    charged: dict[Currency, Decimal] = defaultdict(lambda: ZERO)
    for currency, amount in rows:
        charged[currency] -= amount
    return charged


def sheets(case: Case) -> list[Sheet]:
    """The account in each currency it holds money in."""
    session = session_of(case)
    account = case_account(session, case)
    balances = ledger.balances(session, case)
    notes = list(
        session.scalars(
            select(FeeNote)
            .where(FeeNote.case_id == case.id, FeeNote.status == NoteStatus.APPROVED)
            .order_by(FeeNote.id)
        )
    )
    refunds = list(session.scalars(select(Refund).where(Refund.case_id == case.id)))
    administrative = _administrative(case)
    currencies = {s.invoice.currency for s in account.standings} | {n.currency for n in notes}
    out = []
    for currency in sorted(currencies, key=lambda c: c.value):
        invoiced, paid, waived, due = _by_side(), _by_side(), _by_side(), _by_side()
        lodging = ZERO
        for s in account.standings:
            if s.invoice.currency is currency:
                invoiced[s.invoice.side] += s.invoice.amount
                waived[s.invoice.side] += s.waived
                due[s.invoice.side] += s.due
                if s.invoice.purpose is InvoicePurpose.LODGING:
                    lodging += s.applied
        for p in account.payments:
            if p.currency is currency:
                paid[p.side] += p.amount
        neutrals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for note in notes:
            if note.currency is currency:
                neutrals[note.neutral.name] += note.total
        credit, refunded = _by_side(), _by_side()
        for side in Side:
            key = ledger.account_key(case, Holder.PARTY, currency, side=side, user_id=None)
            credit[side] = max(ZERO, -balances.get(key, ZERO))
            refunded[side] = sum(
                (
                    r.amount
                    for r in refunds
                    if r.side is side and r.currency is currency and r.paid_on
                ),
                ZERO,
            )
        out.append(
            Sheet(
                currency, invoiced, paid, waived, due, lodging, administrative[currency],
                sorted(neutrals.items()), advance_held(session, case, currency), credit, refunded,
            )
        )  # fmt: skip
    return out


def sheets_extra(found: list[Sheet], language: str) -> dict[str, Any]:
    """The statement's values (the case's `sheets`), as text in its language."""
    t = catalogue(language)

    def money(amount: Decimal, currency: Currency) -> str:
        return format_money(amount, currency, language)

    def row(label: str, by_side: dict[Side, Decimal], currency: Currency) -> list[str]:
        total = by_side[Side.CLAIMANT] + by_side[Side.RESPONDENT]
        return [
            t.gettext(label),
            *(money(by_side[side], currency) for side in Side),
            money(total, currency),
        ]

    out = []
    for sheet in found:
        c = sheet.currency
        spent = [[t.gettext(N_("Lodging fee")), money(sheet.lodging, c)]]
        spent.append(
            [t.gettext(N_("The Centre's administrative fee")), money(sheet.administrative, c)]
        )
        spent += [
            [t.gettext(N_("Fees and expenses of %(name)s")) % {"name": name}, money(amount, c)]
            for name, amount in sheet.neutrals
        ]
        out.append(
            {
                "currency": c.value,
                "rows": [
                    row(N_("Invoiced"), sheet.invoiced, c),
                    row(N_("Paid to the Centre"), sheet.paid, c),
                    row(N_("Waived or written off"), sheet.waived, c),
                    row(N_("Still due"), sheet.due, c),
                    row(N_("Owed back by the Centre"), sheet.credit, c),
                    row(N_("Refunded"), sheet.refunded, c),
                ],
                "spent": spent,
                "spent_total": money(sheet.spent, c),
                "held": money(sheet.held, c),
            }
        )
    return {
        "as_of": format_date(today(), "d MMMM y", locale=language),
        "sides": [t.gettext(SIDE_LABELS[side]) for side in Side],
        "sheets": out,
    }
