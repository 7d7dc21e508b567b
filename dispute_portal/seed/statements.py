"""Bank statement files as the Centre's bank sends them, written for the demo, the tests and
the benchmark: SWIFT MT940 (the fields :20: :25: :28C: :60F: :61: :86: :62F:, amounts with a
decimal comma) and ISO 20022 camt.053.001.02 (one statement: its account, the opening and
closing booked balances, an entry per credit with the bank's reference, the debtor and the
remittance information, structured with the creditor reference when there is one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Transfer:
    """A credit to put on a statement."""

    bank_ref: str
    booked_on: dt.date
    amount: Decimal
    payer: str
    details: str  # the payment reference, or what the payer wrote instead


def _comma(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def mt940(
    account: str, currency: str, transfers: list[Transfer], *, number: str, on: dt.date
) -> bytes:
    """An MT940 statement of `account` holding these credits, from a zero opening balance."""
    total = sum((t.amount for t in transfers), Decimal("0.00"))
    lines = [
        f":20:{number}",
        f":25:{account}",
        ":28C:00001/001",
        f":60F:C{on:%y%m%d}{currency}0,00",
    ]
    for t in transfers:
        lines.append(
            f":61:{t.booked_on:%y%m%d}{t.booked_on:%m%d}C{_comma(t.amount)}NTRFNONREF//{t.bank_ref}"
        )
        lines.append(f":86:/ORDP/{t.payer}/REMI/{t.details}")
    lines += [f":62F:C{on:%y%m%d}{currency}{_comma(total)}", "-"]
    return ("\r\n".join(lines) + "\r\n").encode()


def camt053(
    account: str, currency: str, transfers: list[Transfer], *, number: str, on: dt.date
) -> bytes:
    """A camt.053.001.02 statement of `account` holding these credits, from zero."""
    total = sum((t.amount for t in transfers), Decimal("0.00"))

    def balance(code: str, amount: Decimal) -> str:
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="{currency}">{amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>"
        )

    entries = []
    for t in transfers:
        remittance = (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{escape(t.details)}</Ref></CdtrRefInf></Strd>"
            if t.details.startswith("RF")
            else f"<Ustrd>{escape(t.details)}</Ustrd>"
        )
        entries.append(
            f'<Ntry><Amt Ccy="{currency}">{t.amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Sts>BOOK</Sts><BookgDt><Dt>{t.booked_on.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{t.booked_on.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{escape(t.bank_ref)}</AcctSvcrRef>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
            "</Domn></BkTxCd><NtryDtls><TxDtls>"
            f"<Refs><EndToEndId>{escape(t.bank_ref)}</EndToEndId></Refs>"
            f'<Amt Ccy="{currency}">{t.amount:.2f}</Amt>'
            f"<RltdPties><Dbtr><Nm>{escape(t.payer)}</Nm></Dbtr></RltdPties>"
            f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{number}</MsgId><CreDtTm>{on.isoformat()}T09:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{number}</Id><CreDtTm>{on.isoformat()}T09:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        + balance("OPBD", Decimal("0.00"))
        + balance("CLBD", total)
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>\n"
    )
    return document.encode()
