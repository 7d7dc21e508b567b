"""Rule sets are data and versioned: a new version governs new cases, never running ones."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import RuleSet
from dispute_portal.registry import operations as registry
from dispute_portal.workflow.states import CaseState

MONDAY = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)  # 1 June 2026, 10:00 in Almaty


# The version the migrations install last (2: the incidents of proceedings): what the
# admin's form starts from, and what a case registered today runs under.
CURRENT = 3


def form_of(session, **changes):
    current = session.scalar(select(RuleSet).where(RuleSet.version == CURRENT)).rules
    data = {"name": "Rules of the Centre, 2027"}
    for key, rule in current["deadlines"].items():
        data[f"{key}__amount"] = str(rule["amount"])
        data[f"{key}__unit"] = rule["unit"]
    for key in (
        "mediation_extension_days",
        "mediation_extensions_allowed",
        "mediation_inactivity_days",
        "remind_days_before",
        "inactivity_days",
        "non_payment_discontinuance_days",
    ):
        data[key] = str(current[key])
    # The versions installed predate these settings: the form offers their defaults.
    data |= {"respondent_join_days": "14", "challenge_days": "21", "redaction_days": "60"}
    data["excerpts_without_consent"] = "1"
    data["mediation_first"] = "1" if current["mediation_first"] else "0"
    data["expedited_limit_usd"] = current["expedited_limit_usd"]
    return data | changes


def test_admin_publishes_a_version_that_governs_new_cases_only(factory, login_as, session):
    running = factory.case(CaseState.SUBMITTED)
    with frozen_time(MONDAY):
        factory.settle_lodging_fee(running, factory.user(Role.CLERK))
        registry.register_case(session, running, clerk=factory.user(Role.CLERK))
    before = {d.key: d.due_on for d in running.deadlines}
    browser, _ = login_as("admin")
    assert browser.get("/admin/rules/").status_code == 200
    response = browser.post(
        "/admin/rules/",
        form_of(
            session,
            response__amount="45",
            respondent_join_days="10",
            redaction_days="30",
            excerpts_without_consent="0",
        ),
    )
    assert response.status_code == 302
    assert session.scalar(select(func.max(RuleSet.version))) == CURRENT + 1
    published = session.get(RuleSet, CURRENT + 1).rules
    assert (published["respondent_join_days"], published["redaction_days"]) == (10, 30)
    assert published["challenge_days"] == 21 and published["excerpts_without_consent"] is False

    later = factory.case(CaseState.SUBMITTED)
    with frozen_time(MONDAY):
        factory.settle_lodging_fee(later, factory.user(Role.CLERK))
        registry.register_case(session, later, clerk=factory.user(Role.CLERK))
    assert later.rule_set_version == CURRENT + 1
    # 45 calendar days from 1 June 2026 is 16 July 2026 (a Thursday).
    assert {d.key: d.due_on for d in later.deadlines}["response"] == dt.date(2026, 7, 16)
    session.refresh(running)
    assert running.rule_set_version == CURRENT
    assert before["response"] == dt.date(2026, 7, 1)  # 30 days, under version 3
    assert {d.key: d.due_on for d in running.deadlines} == before


def test_absurd_rules_are_refused_whole(login_as, session):
    browser, _ = login_as("admin")
    for bad in (
        {"award__amount": "0"},
        {"award__unit": "fortnights"},
        {"mediation_inactivity_days": "-3"},
        {"respondent_join_days": "0"},
        {"non_payment_discontinuance_days": "0"},
        {"redaction_days": "0"},
        {"challenge_days": "366"},
        {"excerpts_without_consent": "sometimes"},
        {"name": ""},
    ):
        response = browser.post("/admin/rules/", form_of(session, **bad))
        assert response.status_code == 400, bad
    assert session.scalar(select(func.max(RuleSet.version))) == CURRENT


def test_only_the_admin_sees_the_rule_sets(login_as, session):
    for role in ("clerk", "mediator", "investor"):
        browser, _ = login_as(role)
        assert browser.get("/admin/rules/").status_code == 403
        assert browser.post("/admin/rules/", form_of(session)).status_code == 403
    assert session.scalar(select(func.max(RuleSet.version))) == CURRENT
