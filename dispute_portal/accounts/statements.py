"""Reading the Centre's bank statements: SWIFT MT940 (with the `mt-940` parser) and ISO 20022
camt.053 (with `pycamt`, whose lxml parser resolves no entities and fetches nothing: no
XXE). What comes out is the statement's account, its currency and its credits, each with
the bank's own reference; nothing here writes.

A statement is refused whole, with a reason a person can act on, when it is not one of the
two formats, is cut short (an XML document that does not close; an MT940 without its
closing balance, or whose lines do not add up from the opening to the closing balance), is
of an account or in a currency the Centre does not keep, or has an amount that is not exact
to the cent. Debits are read (they count in the balance check) and left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import mt940
from pycamt.parser import Camt053ParseError, Camt053Parser
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ..texts import N_, Refusal
from .banking import CentreBank
from .models import CENT, StatementFormat


class StatementRefused(Refusal):
    pass


@dataclass(frozen=True)
class Credit:
    """Money the bank says came in."""

    bank_ref: str  # unique with the account: a statement imported twice adds nothing
    booked_on: dt.date
    amount: Decimal
    payer: str
    details: str  # the transfer's details, where the payment reference is


@dataclass(frozen=True)
class Statement:
    format: StatementFormat
    account: str  # the Centre's IBAN, compact
    currency: str
    credits: list[Credit]


def read_statement(data: bytes, bank: CentreBank) -> Statement:
    """The statement in `data`, checked against the Centre's accounts (StatementRefused)."""
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        statement = _camt(data)
    elif b":20:" in data[:2000]:
        statement = _mt940(data)
    else:
        raise StatementRefused(
            N_("This is not a bank statement the portal reads: upload an MT940 or a camt.053 file.")
        )
    ours = {iban: currency.value for currency, iban in bank.accounts.items()}
    if statement.account not in ours:
        raise StatementRefused(
            N_("The statement is of account %(account)s, which is not one of the Centre's."),
            account=statement.account,
        )
    if ours[statement.account] != statement.currency:
        raise StatementRefused(
            N_(
                "The statement is in %(currency)s, but the Centre's account %(account)s is "
                "kept in %(expected)s."
            ),
            currency=statement.currency,
            account=statement.account,
            expected=ours[statement.account],
        )
    return statement


def _amount(text: Any) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise StatementRefused(N_("The statement has an amount that is not a number.")) from None
    if not value.is_finite() or value != value.quantize(CENT):
        raise StatementRefused(
            N_("The statement has an amount (%(amount)s) that is not exact to the cent."),
            amount=str(text).strip(),
        )
    return value


def _iban(text: str | None) -> str:
    try:
        return IBAN(text or "").compact
    except SchwiftyException:
        raise StatementRefused(N_("The statement names no valid account (IBAN).")) from None


def _truncated() -> StatementRefused:
    return StatementRefused(
        N_("The statement is incomplete (cut short or damaged): ask the bank for it again.")
    )


# ISO 20022 camt.053 ------------------------------------------------------------------------


def _camt(data: bytes) -> Statement:
    try:
        parser = Camt053Parser(data)
    except (SyntaxError, ValueError):  # lxml's XMLSyntaxError is one
        raise _truncated() from None
    if parser.version == "unknown":
        raise StatementRefused(
            N_("This XML file is not a camt.053 statement: upload an MT940 or a camt.053 file.")
        )
    try:
        info = parser.get_statement_info()
        rows = parser.get_transactions()
    except (Camt053ParseError, ValueError):
        raise _truncated() from None
    if len(info) != 1:
        raise StatementRefused(N_("Upload one statement per file."))
    (head,) = info
    account = _iban(head.get("IBAN"))
    currencies = {row.get("Currency") for row in rows if row.get("Currency")}
    currency = str(head.get("Currency") or "")
    if not currency:
        currency = next(iter(currencies), "") if len(currencies) == 1 else ""
    if len(currencies - {currency}) > 0 or not currency:
        raise StatementRefused(N_("The statement mixes currencies: one account, one currency."))
    credits, moved = [], Decimal(0)
    for n, row in enumerate(rows):
        amount = _amount(row.get("Amount"))
        credit = row.get("CreditDebitIndicator") == "CRDT"
        moved += amount if credit else -amount
        if not credit or row.get("ReversalIndicator") == "true":
            continue
        reference = row.get("TransactionID")
        if not reference:
            raise StatementRefused(N_("A credit of the statement has no reference of the bank."))
        booked = row.get("BookingDate") or row.get("ValueDate") or ""
        credits.append(
            Credit(
                bank_ref=f"{account}/{reference}/{row.get('EndToEndId') or n}"[:120],
                booked_on=_day(booked[:10]),
                amount=amount,
                payer=str(row.get("DebtorName") or "")[:200],
                details=" ".join(
                    dict.fromkeys(
                        str(row[k])
                        for k in (
                            "RemittanceInformationFull",
                            "RemittanceInformation",
                            "AdditionalEntryInformation",
                            "EndToEndId",
                        )
                        if row.get(k)
                    )
                ),
            )  # fmt: skip
        )
    opening, closing = head.get("OpeningBalance"), head.get("ClosingBalance")
    if opening is None or closing is None or _balance(opening) + moved != _balance(closing):
        raise _truncated()
    return Statement(StatementFormat.CAMT053, account, currency, credits)


def _balance(text: str) -> Decimal:
    """A balance as pycamt gives it (a debit balance signed, through a float)."""
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        raise _truncated() from None


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise StatementRefused(N_("A line of the statement has no valid booking date.")) from None


# SWIFT MT940 ------------------------------------------------------------------------------


# An amount of a balance (:60F: :62F:) or a line (:61:) with more than two decimals.
_MT940_FINE_AMOUNT = re.compile(r"^:(?:6[02][FM]|61):[^\r\n]*?[CD]R?[A-Z]{0,3}(\d+,\d{3,})", re.M)


def _mt940(data: bytes) -> Statement:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if fine := _MT940_FINE_AMOUNT.search(text):
        raise StatementRefused(
            N_("The statement has an amount (%(amount)s) that is not exact to the cent."),
            amount=fine.group(1),
        )
    try:
        parsed = mt940.models.Transactions()
        parsed.parse(text)
    except (ValueError, KeyError, AttributeError, InvalidOperation):
        raise _truncated() from None
    head = parsed.data
    if "final_closing_balance" not in head or "final_opening_balance" not in head:
        raise _truncated()
    opening, closing = head["final_opening_balance"], head["final_closing_balance"]
    currency = str(opening.amount.currency)
    if str(closing.amount.currency) != currency:
        raise StatementRefused(N_("The statement mixes currencies: one account, one currency."))
    account = _iban(str(head.get("account_identification") or "").split("/")[0])
    balance, credits = _amount(opening.amount.amount), []
    for n, transaction in enumerate(parsed.transactions):
        line = transaction.data
        amount = _amount(line["amount"].amount)
        balance += amount  # a debit is negative
        if str(line.get("status", "")).upper() not in ("C", "RD") or amount <= 0:
            continue
        bank_reference = line.get("bank_reference") or line.get("customer_reference")
        day = line.get("date")
        if not isinstance(day, dt.date):
            raise _truncated()
        reference = (
            f"{account}/{day.isoformat()}/{bank_reference}"
            if bank_reference and bank_reference != "NONREF"
            else f"{account}/{head.get('transaction_reference')}/{head.get('statement_number')}/{n}"
        )
        details = _remittance(str(line.get("transaction_details") or "").replace("\n", ""))
        credits.append(
            Credit(
                bank_ref=reference[:120],
                booked_on=dt.date(day.year, day.month, day.day),
                amount=amount,
                payer=_payer(str(line.get("transaction_details") or "").replace("\n", "")),
                details=" ".join(
                    part
                    for part in (line.get("customer_reference"), line.get("extra_details"), details)
                    if part and part != "NONREF"
                ),
            )
        )
    if balance != _amount(closing.amount.amount):
        raise _truncated()
    return Statement(StatementFormat.MT940, account, currency, credits)


def _remittance(details: str) -> str:
    """What the payer wrote of an MT940 line's details (:86:): the "/REMI/" part when the
    bank structures them, else all of them."""
    if "/REMI/" in details:
        return details.split("/REMI/", 1)[1].split("/", 1)[0].strip()
    return details.strip()


def _payer(details: str) -> str:
    """The ordering party of an MT940 line's details (:86:), as banks structure it: the
    ?32/?33 subfields, or an "/ORDP/" or "/NAME/" part; else nothing."""
    for mark in ("/ORDP/", "/NAME/"):
        if mark in details:
            return details.split(mark, 1)[1].split("/", 1)[0].strip()[:200]
    if "?32" in details:
        return details.split("?32", 1)[1].split("?", 1)[0].strip()[:200]
    return ""
