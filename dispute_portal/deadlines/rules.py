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
}

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

# The registry is reminded once when the respondent has not joined a case this many days
# after its registration. Rule sets published before the setting existed (version 1) hold
# no value: they get this one. Fourteen days leave the registry half of the respondent's
# 30 days to respond to chase the invitation (a new link, service by other means).
RESPONDENT_JOIN_DAYS = 14
SETTING_DEFAULTS: dict[str, Any] = {"respondent_join_days": RESPONDENT_JOIN_DAYS}


def setting(rules: dict[str, Any], key: str) -> Any:
    """A setting of a rule set, or its default when the version predates the setting."""
    return rules[key] if key in rules else SETTING_DEFAULTS[key]
