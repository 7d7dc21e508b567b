"""The procedural time limits, as data.

A rule set is versioned: each case records the version it was registered under, so a new
version never moves the deadlines of a running case. Version 1 is drawn from the major
institutional rules (ICSID, UNCITRAL, SIAC, the ICC expedited procedure); it is written into
the database by the migration that created the table, and never edited: a change is a new
version (see `flask --app wsgi deadlines rules`).
"""

from __future__ import annotations

from typing import Any

from ..texts import N_

# Windows a party may use, not duties: one that passes unused is not overdue (nobody failed
# to act) and stops running (operations.lapse_windows, the scheduler's daily run). An
# objection of manifest lack of legal merit is made within its window or not at all.
LAPSING = frozenset({"merit_objection"})

# key -> what the deadline is for (labels shown on dashboards and in reminders)
DEADLINE_LABELS = {
    "response": N_("Respondent's response"),
    "mediator_appointment": N_("Appointment of the mediator"),
    "mediation_conclusion": N_("Conclusion of mediation"),
    "tribunal_constitution": N_("Constitution of the tribunal"),
    "first_session": N_("First session of the tribunal"),
    "award": N_("The award"),
    "correction_request": N_("Requests for correction or interpretation"),
    "correction_decision": N_("Decision on the request for correction"),
    # Version 2: the incidents of real proceedings (ICSID Arbitration Rules 2022).
    "party_nomination": N_("Nomination of the parties' arbitrators"),
    "presiding_nomination": N_("Choice of the presiding arbitrator"),
    "challenge_explanation": N_("Comments on a proposal for disqualification"),
    "challenge_decision": N_("Decision on a proposal for disqualification"),
    "vacancy": N_("Filling of a vacant seat"),
    "merit_objection": N_("Objection of manifest lack of legal merit"),
    "merit_decision": N_("Decision on manifest lack of legal merit"),
    "bifurcation_decision": N_("Decision on a request for bifurcation"),
    "jurisdiction_decision": N_("Decision on jurisdiction"),
    "provisional_observations": N_("Observations on provisional measures"),
    "provisional_decision": N_("Decision on provisional measures"),
    "discontinuance_objection": N_("Objection to discontinuance"),
    "inactivity_notice": N_("A step after a notice of inactivity"),
    "non_disputing_observations": N_("Observations on a non-disputing party's application"),
    "declaration_reconfirmation": N_("Confirmation of the neutrals' declarations"),
    # Version 3: the case account (ICSID Administrative and Financial Regulations 15, 16).
    "advance_payment": N_("Payment of the advance on costs"),
    "advance_substitution": N_("Payment of the advance in substitution"),
    # Set by the tribunal's procedural order, not by the rule set: each its own date.
    "memorial": N_("Memorial"),
    "counter_memorial": N_("Counter-memorial"),
    "reply": N_("Reply"),
    "rejoinder": N_("Rejoinder"),
    "costs_statement": N_("Statements of costs"),
    "default_grace": N_("Grace period for the defaulting party"),
}

# Deadlines whose date the tribunal sets in an order (the written phase, the costs
# statements, a grace period): the rule set holds no length for them.
SET_BY_ORDER = (
    "memorial",
    "counter_memorial",
    "reply",
    "rejoinder",
    "costs_statement",
    "default_grace",
)

# How each unit of a time limit reads ("6 months").
UNIT_LABELS = {
    "calendar_days": N_("calendar days"),
    "business_days": N_("business days"),
    "months": N_("months"),
}

RULES_V1: dict[str, Any] = {
    "deadlines": {
        # key: how long, in which days; "starts" says from what (documentation only)
        "response": {"amount": 30, "unit": "calendar_days", "starts": "registration"},
        "mediator_appointment": {"amount": 10, "unit": "business_days", "starts": "registration"},
        "mediation_conclusion": {
            "amount": 60,
            "unit": "calendar_days",
            "starts": "the mediator's acceptance",
        },
        "tribunal_constitution": {
            "amount": 45,
            "unit": "calendar_days",
            "starts": "referral to arbitration",
        },
        "first_session": {"amount": 60, "unit": "calendar_days", "starts": "constitution"},
        "award": {"amount": 240, "unit": "calendar_days", "starts": "the last submission"},
        "award_expedited": {"amount": 6, "unit": "months", "starts": "constitution"},
        "correction_request": {"amount": 30, "unit": "calendar_days", "starts": "the award"},
        "correction_decision": {"amount": 30, "unit": "calendar_days", "starts": "the request"},
    },
    # Mediation may be extended once, by 30 days, when both parties agree.
    "mediation_extension_days": 30,
    "mediation_extensions_allowed": 1,
    # A mediation in which nothing happens for this long is terminated.
    "mediation_inactivity_days": 120,
    # The expedited track: amount claimed up to USD 5 million or its equivalent, at these
    # fixed rates (USD per unit), so that the track of a case never depends on the day's rate.
    "expedited_limit_usd": "5000000",
    "usd_per_unit": {"USD": "1", "EUR": "1.08", "KZT": "0.002", "CNY": "0.14"},
    # Reminders go out this many days before a deadline, and once when it has passed.
    "remind_days_before": 5,
}

# Version 2 adds the time limits of the incidents of real proceedings, drawn from the ICSID
# Arbitration Rules 2022 (the rule each follows is named beside it).
RULES_V2_DEADLINES: dict[str, Any] = {
    # Each side nominates its arbitrator (or the parties agree on a sole arbitrator).
    "party_nomination": {"amount": 30, "unit": "calendar_days", "starts": "the referral"},
    # The co-arbitrators (or the parties) choose the presiding arbitrator.
    "presiding_nomination": {
        "amount": 30,
        "unit": "calendar_days",
        "starts": "the second co-arbitrator's acceptance",
    },
    # The challenged person's comments and the other side's observations (rule 22).
    "challenge_explanation": {"amount": 10, "unit": "calendar_days", "starts": "the proposal"},
    # The decision, by the others or by the Centre (rule 23: 30 days).
    "challenge_decision": {
        "amount": 30,
        "unit": "calendar_days",
        "starts": "the last comments on the proposal",
    },
    "vacancy": {"amount": 45, "unit": "calendar_days", "starts": "the vacancy"},
    # Rule 41: within 45 days of constitution; decided within 60 days of the last submission.
    "merit_objection": {"amount": 45, "unit": "calendar_days", "starts": "constitution"},
    "merit_decision": {
        "amount": 60,
        "unit": "calendar_days",
        "starts": "the last submission on it",
    },
    # Rule 44: bifurcation decided within 30 days, jurisdiction within 180 days.
    "bifurcation_decision": {
        "amount": 30,
        "unit": "calendar_days",
        "starts": "the last submission on the request",
    },
    "jurisdiction_decision": {
        "amount": 180,
        "unit": "calendar_days",
        "starts": "the last submission on jurisdiction",
    },
    # Rule 47: observations, then an order within 30 days of the last submission.
    "provisional_observations": {"amount": 14, "unit": "calendar_days", "starts": "the request"},
    "provisional_decision": {
        "amount": 30,
        "unit": "calendar_days",
        "starts": "the last submission on the request",
    },
    # Rule 56: the other party may object to a discontinuance within the time set.
    "discontinuance_objection": {"amount": 30, "unit": "calendar_days", "starts": "the request"},
    # Rule 57: after the notice of inactivity, 30 days to take a step.
    "inactivity_notice": {"amount": 30, "unit": "calendar_days", "starts": "the notice"},
    # Rule 67: the parties' observations on a non-disputing party's application.
    "non_disputing_observations": {
        "amount": 21,
        "unit": "calendar_days",
        "starts": "the application",
    },
    # After a funding disclosure, each neutral confirms (or updates) its declaration.
    "declaration_reconfirmation": {
        "amount": 10,
        "unit": "business_days",
        "starts": "the disclosure",
    },
}
RULES_V2: dict[str, Any] = RULES_V1 | {
    "deadlines": RULES_V1["deadlines"] | RULES_V2_DEADLINES,
    # Rule 57: the parties take no step for this many days, and the tribunal (or the
    # Centre) gives notice that the proceeding will be discontinued.
    "inactivity_days": 150,
    # A registered case goes to mediation first unless the parties agreed otherwise; a rule
    # set may make arbitration the default.
    "mediation_first": True,
}

# Version 3 adds the case account's time limits, drawn from the ICSID Administrative and
# Financial Regulations (2022): an advance is payable within 30 days of the request (15(3));
# when it is not, either side may pay the rest within 15 days of the notice of default
# (16(2)); a proceeding suspended for non-payment for more than 90 consecutive days may be
# discontinued (16(2)(c)).
RULES_V3_DEADLINES: dict[str, Any] = {
    "advance_payment": {"amount": 30, "unit": "calendar_days", "starts": "the request"},
    "advance_substitution": {
        "amount": 15,
        "unit": "calendar_days",
        "starts": "the notice of default",
    },
}
RULES_V3: dict[str, Any] = RULES_V2 | {
    "deadlines": RULES_V2["deadlines"] | RULES_V3_DEADLINES,
    "non_payment_discontinuance_days": 90,
}

# The registry is reminded once when the respondent has not joined a case this many days
# after its registration. Rule sets published before the setting existed (version 1) hold
# no value: they get this one. Fourteen days leave the registry half of the respondent's
# 30 days to respond to chase the invitation (a new link, service by other means).
RESPONDENT_JOIN_DAYS = 14
# A party proposes the disqualification of a neutral within this many days of learning the
# facts on which it is based (ICSID Arbitration Rules 2022, rule 22(1)(a): 21 days).
CHALLENGE_DAYS = 21
# Each side proposes the passages of a decision to withhold from its publication within this
# many days of the decision (ICSID Arbitration Rules 2022, rule 62(3)(b): 60 days).
REDACTION_DAYS = 60
SETTING_DEFAULTS: dict[str, Any] = {
    "redaction_days": REDACTION_DAYS,
    # Without both sides' consent the tribunal publishes an excerpt of its reasoning (ICSID
    # Arbitration Rules 2022, rule 62(4)); a centre may choose to publish nothing instead.
    "excerpts_without_consent": True,
    "respondent_join_days": RESPONDENT_JOIN_DAYS,
    "challenge_days": CHALLENGE_DAYS,
    "inactivity_days": RULES_V2["inactivity_days"],
    "mediation_first": RULES_V2["mediation_first"],
    "non_payment_discontinuance_days": RULES_V3["non_payment_discontinuance_days"],
}


def with_defaults(rules: dict[str, Any]) -> dict[str, Any]:
    """A rule set with the time limits it predates filled in from versions 2 and 3: an
    older version keeps every limit it has (a new version never moves a running case's
    deadlines), and a new kind of deadline runs by the current rule."""
    newer = RULES_V2_DEADLINES | RULES_V3_DEADLINES
    missing = {k: v for k, v in newer.items() if k not in rules["deadlines"]}
    if not missing:
        return rules
    return rules | {"deadlines": rules["deadlines"] | missing}


def setting(rules: dict[str, Any], key: str) -> Any:
    """A setting of a rule set, or its default when the version predates the setting."""
    return rules[key] if key in rules else SETTING_DEFAULTS[key]
