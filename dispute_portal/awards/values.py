"""What the award, a decision on costs and a grace order show beyond their reasons: plain
text in the ruling's language (the rulings render from plain values only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from ..cases.models import Case
from ..core.money import format_money
from ..neutrals.models import CAPACITY_LABELS
from ..parties.models import Side
from ..rulings.operations import ruling_language
from ..rulings.render import catalogue
from . import queries
from .models import OPINION_LABELS, AwardDraft, CostsAllocation, CostsMode


def costs_text(costs: CostsAllocation, language: str) -> str:
    """The allocation of costs as one sentence of the ruling."""
    t = catalogue(language)
    if costs.mode is CostsMode.OWN:
        return t.gettext("Each party bears its own costs of the proceedings.")
    if costs.mode is CostsMode.RESERVED:
        return t.gettext(
            "The tribunal reserves its decision on the costs of the proceedings for a separate "
            "decision on costs."
        )
    assert costs.payer is not None and costs.amount is not None  # operations.checked_costs
    amount = format_money(costs.amount, costs.currency, language)
    by_claimant = costs.payer is Side.CLAIMANT
    if costs.mode is CostsMode.LOSER:
        text = (
            t.gettext(
                "The costs of the proceedings follow the event: the claimant bears them and "
                "pays the respondent %(amount)s for its costs."
            )
            if by_claimant
            else t.gettext(
                "The costs of the proceedings follow the event: the respondent bears them and "
                "pays the claimant %(amount)s for its costs."
            )
        )
        return text % {"amount": amount}
    assert costs.claimant_percent is not None
    params = {
        "amount": amount,
        "claimant_share": str(format_decimal(costs.claimant_percent, locale=language)),
        "respondent_share": str(
            format_decimal(Decimal(100) - costs.claimant_percent, locale=language)
        ),
    }
    text = (
        t.gettext(
            "The costs of the proceedings are borne %(claimant_share)s per cent by the claimant "
            "and %(respondent_share)s per cent by the respondent: accordingly the claimant pays "
            "the respondent %(amount)s."
        )
        if by_claimant
        else t.gettext(
            "The costs of the proceedings are borne %(claimant_share)s per cent by the claimant "
            "and %(respondent_share)s per cent by the respondent: accordingly the respondent "
            "pays the claimant %(amount)s."
        )
    )
    return text % params


def award_extra(case: Case, draft: AwardDraft) -> dict[str, Any]:
    """The award's costs, its decision on the counterclaim, who approved it and the
    members' opinions issued with it."""
    language = ruling_language(case)
    t = catalogue(language)
    names = {a.user_id: a for a in queries.members(case)}
    counterclaims = [
        {
            "amount": format_money(c.amount, c.currency, language),
            "filed_on": format_date(c.filed_at.date(), "d MMMM y", locale=language),
        }
        for c in queries.counterclaims(case)
    ]
    opinions = []
    if queries.collegial(case):
        for opinion in queries.opinions(case):
            member = names.get(opinion.author_id)
            opinions.append(
                {
                    "title": t.gettext(OPINION_LABELS[opinion.kind]),
                    "author": opinion.author.name,
                    "capacity": t.gettext(CAPACITY_LABELS[member.capacity]) if member else "",
                    "text": opinion.text,
                }
            )
    return {
        "costs": costs_text(draft.costs, language),
        "counterclaims": counterclaims,
        "counterclaim_decision": draft.counterclaim_decision or "",
        "approved_by": approved_by(case, draft),
        "opinions": opinions,
    }


def approved_by(case: Case, draft: AwardDraft | None) -> list[str]:
    """The members of a tribunal of three who approved the draft a decision is issued from
    (the ruling names them); nobody for a sole arbitrator's decision."""
    if draft is None or not queries.collegial(case):
        return []
    names = {a.user_id: a.user.name for a in queries.members(case)}
    return [names[i] for i in queries.approvers(draft, case) if i in names]


def costs_decision_extra(
    case: Case, costs: CostsAllocation, draft: AwardDraft | None = None
) -> dict[str, Any]:
    return {
        "costs": costs_text(costs, ruling_language(case)),
        "approved_by": approved_by(case, draft),
    }


def costs_order_extra(case: Case, due: dt.date) -> dict[str, Any]:
    """The procedural order on the statements of costs: the date they are due by."""
    return {"costs_due": format_date(due, "d MMMM y", locale=ruling_language(case))}


def grace_extra(case: Case, side: str, until: dt.date) -> dict[str, Any]:
    language = ruling_language(case)
    return {"side": side, "until": format_date(until, "d MMMM y", locale=language)}
