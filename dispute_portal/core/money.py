"""An amount of money as the Centre writes it, in a language: Babel's currency format, but
for the tenge, written `1 234 567,89 ₸` in Russian and Kazakh and `KZT 1,234,567.89` in
English (Babel gives `150 000,00 KZT` and `KZT150,000.00`). The pages, the rulings' PDFs and
the awards' values all write money through `format_money`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal

NBSP = "\u00a0"
TENGE = "KZT"


def format_money(amount: Decimal, currency: Any, language: str) -> str:
    """`amount` in `currency` (a Currency or its code) for a reader of `language`."""
    code = str(getattr(currency, "value", currency) or "")
    if code != TENGE:
        return str(format_currency(amount, code, locale=language))
    number = str(format_decimal(amount, format="#,##0.00", locale=language))
    if language.split("_")[0] in ("ru", "kk"):
        return f"{number}{NBSP}₸"
    return f"{TENGE}{NBSP}{number}"
