"""The Centre's fees as data: a fee schedule (versioned like the rule sets, each case keeping
the version it was filed under) and what it comes to for an amount in dispute.

A schedule holds, for each currency it is published in (KZT, and USD also possible): the
lodging fee; the administrative fee, either fixed per year of the proceedings or ad valorem
on a scale of brackets by the amount in dispute (each bracket's rate on the part of the
amount within it, as ICC and AIFC do, between a minimum and a maximum); and the neutrals'
hourly and daily rates. Amounts are decimal strings, rates fractions ("0.0200" is 2 %).
The first version is the migration's (d1f3b5c7e9a2); the admin publishes the next ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import session_of
from ..texts import N_, Refusal
from .models import CENT, MAX_AMOUNT, FeeSchedule


class FeesRefused(Refusal):
    pass


@dataclass(frozen=True)
class Band:
    """One bracket of the scale and what it adds for the amount."""

    low: Decimal
    high: Decimal | None
    rate: Decimal
    fee: Decimal


@dataclass(frozen=True)
class Quote:
    """What the schedule asks for an amount in dispute, in one currency."""

    currency: Currency
    amount: Decimal
    lodging_fee: Decimal
    administrative_fee: Decimal
    per_year: bool  # a fixed administrative fee for each year (no bands)
    bands: tuple[Band, ...]
    bound: str | None  # "minimum" or "maximum" when the scale's sum was raised or capped
    minimum: Decimal | None  # the scale's least and greatest fee (None: per year)
    maximum: Decimal | None
    hourly: Decimal
    daily: Decimal

    @property
    def total(self) -> Decimal:
        """The lodging fee and the administrative fee (a year's, when it is per year)."""
        return self.lodging_fee + self.administrative_fee


def current_schedule(session: Session) -> FeeSchedule:
    schedule = session.scalar(select(FeeSchedule).order_by(FeeSchedule.version.desc()).limit(1))
    if schedule is None:
        raise RuntimeError("no fee schedule: run the migrations (flask --app wsgi init-db)")
    return schedule


def schedule_of(case: Case) -> FeeSchedule:
    """The version of the schedule the case runs under (pinned at its first filing), or the
    one in force for a case filed before the Centre charged fees through the portal."""
    session = session_of(case)
    if case.fee_schedule_version is not None:
        pinned = session.get(FeeSchedule, case.fee_schedule_version)
        if pinned is not None:
            return pinned
    return current_schedule(session)


def currencies(fees: dict[str, Any]) -> list[Currency]:
    """The currencies the schedule is published in, in the order of Currency."""
    return [c for c in Currency if c.value in fees]


def _money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise FeesRefused(N_("Every amount of the schedule is a sum of money.")) from None
    if (
        not amount.is_finite()
        or amount < 0
        or amount > MAX_AMOUNT
        or amount != amount.quantize(CENT)
    ):
        raise FeesRefused(N_("Every amount of the schedule is a sum of money."))
    return amount


def _rate(value: Any) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        raise FeesRefused(N_("Every rate is a fraction between 0 and 1.")) from None
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise FeesRefused(N_("Every rate is a fraction between 0 and 1."))
    return rate


def bands_of(administrative: dict[str, Any]) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """The scale's brackets as (from, to, rate), each starting where the one before ended;
    only the last one is open-ended."""
    brackets = administrative.get("brackets") or []
    out: list[tuple[Decimal, Decimal | None, Decimal]] = []
    low = Decimal("0.00")
    for n, bracket in enumerate(brackets):
        high = None if bracket.get("up_to") is None else _money(bracket["up_to"])
        if (high is None) != (n == len(brackets) - 1) or (high is not None and high <= low):
            raise FeesRefused(
                N_("The brackets rise one after the other; only the last one has no end.")
            )
        out.append((low, high, _rate(bracket.get("rate"))))
        low = high if high is not None else low
    if not out:
        raise FeesRefused(N_("A scale has at least one bracket."))
    return out


def checked(fees: dict[str, Any]) -> dict[str, Any]:
    """The schedule if every part of it is well formed, else a refusal naming the rule."""
    if not currencies(fees) or set(fees) - {c.value for c in Currency}:
        raise FeesRefused(N_("A schedule is published in one or more of the Centre's currencies."))
    for part in fees.values():
        _money(part.get("lodging_fee"))
        administrative = part.get("administrative") or {}
        if administrative.get("mode") == "per_year":
            _money(administrative.get("amount"))
        elif administrative.get("mode") == "scale":
            bands_of(administrative)
            if _money(administrative.get("minimum")) > _money(administrative.get("maximum")):
                raise FeesRefused(N_("The minimum of the scale cannot exceed its maximum."))
        else:
            raise FeesRefused(N_("The administrative fee is fixed per year or on a scale."))
        rates = part.get("neutral_rates") or {}
        for unit in ("hourly", "daily"):
            _money(rates.get(unit))
    return fees


def quote(fees: dict[str, Any], amount: Decimal, currency: Currency) -> Quote:
    """The fees for `amount` in dispute, in `currency` (which the schedule must publish)."""
    if currency.value not in fees:
        raise FeesRefused(N_("The schedule has no fees in this currency."))
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise FeesRefused(N_("Enter the amount in dispute, up to one trillion."))
    part = fees[currency.value]
    administrative = part["administrative"]
    rates = part["neutral_rates"]
    bands: list[Band] = []
    bound = low_bound = high_bound = None
    if administrative["mode"] == "per_year":
        fee = _money(administrative["amount"])
    else:
        for low, high, rate in bands_of(administrative):
            within = max(Decimal(0), min(amount, high if high is not None else amount) - low)
            bands.append(Band(low, high, rate, (within * rate).quantize(CENT, ROUND_HALF_UP)))
        fee = sum((b.fee for b in bands), Decimal("0.00"))
        low_bound, high_bound = _money(administrative["minimum"]), _money(administrative["maximum"])
        if fee < low_bound:
            fee, bound = low_bound, "minimum"
        elif fee > high_bound:
            fee, bound = high_bound, "maximum"
    return Quote(
        currency=currency,
        amount=amount,
        lodging_fee=_money(part["lodging_fee"]),
        administrative_fee=fee,
        per_year=administrative["mode"] == "per_year",
        bands=tuple(bands),
        bound=bound,
        minimum=low_bound,
        maximum=high_bound,
        hourly=_money(rates["hourly"]),
        daily=_money(rates["daily"]),
    )


def publish(session: Session, *, name: str, fees: dict[str, Any], by: User) -> FeeSchedule:
    """A new version of the schedule, checked whole (the earlier ones stay as they are:
    cases filed under them keep theirs)."""
    if not name.strip():
        raise FeesRefused(N_("Give the schedule a name."))
    version = (session.scalar(select(func.max(FeeSchedule.version))) or 0) + 1
    schedule = FeeSchedule(
        version=version, name=name.strip(), fees=checked(fees), created_by_id=by.id
    )
    session.add(schedule)
    session.flush()
    return schedule


def schedules(session: Session) -> list[FeeSchedule]:
    return list(session.scalars(select(FeeSchedule).order_by(FeeSchedule.version.desc())))
