"""Publishing a new version of the rule set (the admin's page): every value checked, the
previous versions left as they are (running cases keep theirs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..texts import N_
from .models import RuleSet
from .operations import DeadlineRefused
from .queries import current_rule_set

UNITS = ("calendar_days", "business_days", "months")
NUMBERS = {  # the rule set's other settings: (lowest, highest) accepted
    "mediation_extension_days": (1, 365),
    "mediation_extensions_allowed": (0, 5),
    "mediation_inactivity_days": (1, 1000),
    "remind_days_before": (0, 60),
    "respondent_join_days": (1, 365),
    "inactivity_days": (1, 3650),
    "non_payment_discontinuance_days": (1, 3650),
    "challenge_days": (1, 365),
    "redaction_days": (1, 365),
}


def new_rule_set(session: Session, *, name: str, rules: dict[str, Any], by: User) -> RuleSet:
    """Publish a new version (the previous ones stay as they are: running cases keep theirs).

    Checks every value: a rule set with a missing or absurd time limit is refused whole.
    """
    current = current_rule_set(session).rules
    if not name.strip():
        raise DeadlineRefused(N_("Give the rule set a name."))
    deadlines_in = rules.get("deadlines", {})
    if set(deadlines_in) != set(current["deadlines"]):
        raise DeadlineRefused(N_("Every time limit must be given."))
    for rule in deadlines_in.values():
        if rule.get("unit") not in UNITS:
            raise DeadlineRefused(N_("Unknown unit of time."))
        limit = 120 if rule["unit"] == "months" else 3650
        if not isinstance(rule.get("amount"), int) or not 1 <= rule["amount"] <= limit:
            raise DeadlineRefused(N_("Each time limit must be a whole number within reason."))
    for key, (low, high) in NUMBERS.items():
        if not isinstance(rules.get(key), int) or not low <= rules[key] <= high:
            raise DeadlineRefused(N_("Each setting must be a whole number within reason."))
    if not isinstance(rules.get("mediation_first"), bool):
        raise DeadlineRefused(N_("Say whether a registered case goes to mediation first."))
    if not isinstance(rules.get("excerpts_without_consent"), bool):
        raise DeadlineRefused(N_("Say what the register shows of a decision without consent."))
    try:
        limit_usd = Decimal(str(rules.get("expedited_limit_usd")))
    except ArithmeticError:
        limit_usd = Decimal(-1)
    if not limit_usd.is_finite() or limit_usd < 0:
        raise DeadlineRefused(N_("The expedited limit must be an amount in US dollars."))
    merged = dict(current) | {
        "deadlines": {k: dict(current["deadlines"][k]) | v for k, v in deadlines_in.items()},
        **{key: rules[key] for key in NUMBERS},
        "mediation_first": rules["mediation_first"],
        "excerpts_without_consent": rules["excerpts_without_consent"],
        "expedited_limit_usd": str(limit_usd),
    }
    version = (session.scalar(select(func.max(RuleSet.version))) or 0) + 1
    rule_set = RuleSet(version=version, name=name.strip(), rules=merged, created_by_id=by.id)
    session.add(rule_set)
    session.flush()
    return rule_set


def rule_sets(session: Session) -> list[RuleSet]:
    return list(session.scalars(select(RuleSet).order_by(RuleSet.version.desc())))
