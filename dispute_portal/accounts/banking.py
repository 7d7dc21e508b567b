"""The Centre's bank details and the payment reference an invoice carries.

- The Centre's accounts, one per currency, are IBANs checked by schwifty (country, length,
  bank code, check digits) when the app starts: a mistyped account would send the parties'
  money nowhere. The BIN (business identification number) is 12 digits whose last is a check
  digit over the first eleven.
- A payment reference is an ISO 11649 creditor reference ("RF", two check digits, then the
  invoice's digits): a bank transfer carries it in its details, the import finds it there
  and checks it, so a mistyped reference matches no invoice rather than the wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ..cases.models import Currency

RF_PREFIX = "DP"  # the Centre's references: RFkk DP yyyy nnnnnn
_RF_IN_TEXT = re.compile(r"RF(\d{2})(DP\d{10})")
BIN_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


class BankSettingsError(ValueError):
    """The Centre's bank settings are wrong: the app refuses to start."""


@dataclass(frozen=True)
class CentreBank:
    """Where the parties pay, as every invoice prints it."""

    accounts: Mapping[Currency, str]  # IBANs, compact
    bic: Mapping[Currency, str]
    bin: str
    bank_name: str

    def instructions(self, currency: Currency, reference: str) -> dict[str, str]:
        if currency not in self.accounts:
            raise BankSettingsError(f"the Centre has no account in {currency}")
        return {
            "iban": IBAN(self.accounts[currency]).formatted,
            "bic": self.bic[currency],
            "bin": self.bin,
            "bank": self.bank_name,
            "reference": group(reference),
        }


def bin_check_digit(first_eleven: str) -> int | None:
    """The check digit of a Kazakh BIN/IIN (None: the number is not valid with any)."""
    digits = [int(c) for c in first_eleven]
    for weights in BIN_WEIGHTS:
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def valid_bin(value: str) -> bool:
    return bool(re.fullmatch(r"\d{12}", value)) and bin_check_digit(value[:11]) == int(value[11])


def centre_bank(settings: Mapping[str, Any]) -> CentreBank:
    """The Centre's bank details from the settings, checked (BankSettingsError says what is
    wrong)."""
    accounts: dict[Currency, str] = {}
    bic: dict[Currency, str] = {}
    for item in str(settings.get("CENTRE_BANK_ACCOUNTS") or "").split(","):
        code, _, iban = item.partition("=")
        try:
            currency = Currency(code.strip().upper())
            checked = IBAN(iban)
        except (ValueError, SchwiftyException) as error:
            raise BankSettingsError(
                f"CENTRE_BANK_ACCOUNTS: {item.strip()!r} is not CURRENCY=IBAN ({error})"
            ) from None
        accounts[currency] = checked.compact
        bic[currency] = str(checked.bic or "")
    if Currency.KZT not in accounts:
        raise BankSettingsError("CENTRE_BANK_ACCOUNTS needs the Centre's account in KZT")
    if not valid_bin(str(settings.get("CENTRE_BIN") or "")):
        raise BankSettingsError("CENTRE_BIN is not a valid 12-digit BIN")
    return CentreBank(accounts, bic, str(settings["CENTRE_BIN"]), str(settings["CENTRE_BANK_NAME"]))


def _mod97(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text)) % 97


def creditor_reference(year: int, sequence: int) -> str:
    """The ISO 11649 reference of an invoice: RF, check digits, DP, year, sequence."""
    body = f"{RF_PREFIX}{year:04d}{sequence:06d}"
    check = 98 - _mod97(body + "RF00")
    return f"RF{check:02d}{body}"


def reference_valid(reference: str) -> bool:
    compact = reference.replace(" ", "").upper()
    return bool(re.fullmatch(r"RF\d{2}[0-9A-Z]{1,21}", compact)) and (
        _mod97(compact[4:] + compact[:4]) == 1
    )


def references_in(text: str) -> list[str]:
    """The Centre's valid references a transfer's details mention (spaces and case aside)."""
    compact = re.sub(r"\s+", "", text or "").upper()
    found = [f"RF{check}{body}" for check, body in _RF_IN_TEXT.findall(compact)]
    return [r for r in dict.fromkeys(found) if reference_valid(r)]


def group(reference: str) -> str:
    """Printed in groups of four, as ISO 11649 recommends: RF18 DP20 2600 0001."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
