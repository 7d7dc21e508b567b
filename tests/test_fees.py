"""The Centre's fees as data (issue 16): the schedule the migration publishes, what it
comes to for an amount in dispute (each bracket's rate on the part of the amount within it,
between a minimum and a maximum, exact to the cent), the schedules `checked` refuses, and
the public page with its calculator in three languages."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import pytest

from dispute_portal.accounts import fees
from dispute_portal.auth.models import Role
from dispute_portal.cases import operations as cases
from dispute_portal.cases.models import Currency
from dispute_portal.core.money import format_money
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import Browser, browser_for

D = Decimal
KZT, USD = Currency.KZT, Currency.USD


@pytest.fixture
def schedule(session):
    return fees.current_schedule(session).fees


def test_the_first_schedule_is_published_in_tenge_and_dollars(session, schedule):
    current = fees.current_schedule(session)
    assert current.version == 1 and fees.currencies(schedule) == [KZT, USD]
    assert fees.checked(schedule) == schedule


def test_each_bracket_charges_its_rate_on_its_part_of_the_amount(schedule):
    quote = fees.quote(schedule, D("120000000.00"), KZT)
    assert [(b.low, b.high, b.rate, b.fee) for b in quote.bands] == [
        (D("0.00"), D("50000000.00"), D("0.0200"), D("1000000.00")),
        (D("50000000.00"), D("500000000.00"), D("0.0100"), D("700000.00")),
        (D("500000000.00"), D("5000000000.00"), D("0.0050"), D("0.00")),
        (D("5000000000.00"), None, D("0.0010"), D("0.00")),
    ]
    assert (quote.lodging_fee, quote.administrative_fee, quote.total) == (
        D("150000.00"), D("1700000.00"), D("1850000.00"),
    )  # fmt: skip
    assert quote.bound is None and (quote.hourly, quote.daily) == (D("150000.00"), D("1000000.00"))


def test_the_minimum_and_the_maximum_bound_the_scale(schedule):
    small = fees.quote(schedule, D("1000000.00"), KZT)  # 2 %: 20,000, under the minimum
    assert (small.administrative_fee, small.bound) == (D("500000.00"), "minimum")
    huge = fees.quote(schedule, D("100000000000.00"), KZT)  # 123 million on the scale
    assert sum(b.fee for b in huge.bands) == D("123000000.00")
    assert (huge.administrative_fee, huge.bound) == (D("75000000.00"), "maximum")


def test_each_bracket_is_rounded_to_the_cent_half_up(schedule):
    quote = fees.quote(schedule, D("333.33"), USD)
    assert quote.bands[0].fee == D("6.67")  # 2 % of 333.33 is 6.6666
    assert quote.administrative_fee == D("1000.00") and quote.bound == "minimum"


def test_a_fixed_fee_per_year(schedule):
    yearly = copy.deepcopy(schedule)
    yearly["USD"]["administrative"] = {"mode": "per_year", "amount": "12000.00"}
    quote = fees.quote(fees.checked(yearly), D("99000000.00"), USD)
    assert quote.per_year and quote.bands == () and quote.administrative_fee == D("12000.00")
    assert quote.total == D("12300.00")


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda s: s["KZT"]["administrative"]["brackets"].reverse(), "rise one after the other"),
        (lambda s: s["KZT"]["administrative"]["brackets"][1].update(up_to=None), "rise"),
        (lambda s: s["KZT"]["administrative"]["brackets"][0].update(rate="1.5"), "fraction"),
        (lambda s: s["KZT"]["administrative"]["brackets"].clear(), "at least one bracket"),
        (lambda s: s["KZT"]["administrative"].update(minimum="99999999999.00"), "cannot exceed"),
        (lambda s: s["KZT"]["administrative"].update(mode="monthly"), "per year or on a scale"),
        (lambda s: s["KZT"].update(lodging_fee="150000.005"), "sum of money"),
        (lambda s: s["KZT"].update(lodging_fee="-1.00"), "sum of money"),
        (lambda s: s["USD"]["neutral_rates"].update(daily="a lot"), "sum of money"),
        (lambda s: s.update(XBT={}), "one or more of the Centre's currencies"),
    ],
)
def test_a_malformed_schedule_is_refused(schedule, change, refusal):
    broken = copy.deepcopy(schedule)
    change(broken)
    with pytest.raises(fees.FeesRefused, match=refusal):
        fees.checked(broken)


def test_a_quote_needs_a_currency_of_the_schedule_and_a_sane_amount(schedule):
    with pytest.raises(fees.FeesRefused, match="no fees in this currency"):
        fees.quote(schedule, D("1.00"), Currency.EUR)
    with pytest.raises(fees.FeesRefused, match="up to one trillion"):
        fees.quote(schedule, D("-1.00"), KZT)


def test_the_page_shows_the_schedule_and_calculates_without_an_account(app):
    browser = Browser(app)
    page = browser.get("/fees")
    assert page.status_code == 200
    assert "Version 1 of the schedule, in force since 1 Jan 2026." in page.text
    assert "up to KZT\xa050,000,000.00" in page.text and "over $10,000,000.00" in page.text
    assert "0.5%" in page.text and 'role="status"' not in page.text
    done = browser.get("/fees?amount=120%2C000%2C000.00&currency=KZT")
    assert done.status_code == 200 and "KZT\xa01,850,000.00" in done.text
    for query, says in (
        ("amount=&currency=KZT", "Enter the amount in dispute."),
        ("amount=1.001&currency=KZT", "Use at most two decimal places."),
        ("amount=5&currency=XBT", "Not a valid choice"),
        ("amount=2000000000000&currency=USD", "up to one trillion"),
    ):
        refused = browser.get(f"/fees?{query}")
        assert refused.status_code == 400 and says in refused.text, query
        assert 'role="status"' not in refused.text


def test_the_page_in_russian_and_kazakh(app):
    browser = Browser(app)
    for language in ("ru", "kk"):
        browser.post("/language", {"locale": language, "next": "/fees"})
        page = browser.get("/fees?amount=120000000&currency=KZT")
        text = page.text.replace("\xa0", " ")
        assert "1 850 000,00 ₸" in text and "0,5%" in text.replace(" %", "%"), language
        # The money column says a sum (it once borrowed the rule set's word for a length).
        assert ("Сумма" if language == "ru" else "Сома") + "</th>" in text


def _form(page_text):
    """The admin form's fields as the page filled them (the schedule in force)."""
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page_text))
    for name in re.findall(r'name="([A-Z]{3}__mode)"', page_text):
        fields[name] = "scale"
    return fields


def test_the_admin_publishes_a_new_version_and_the_page_shows_it(app, factory, session):
    admin = factory.user(Role.ADMIN)
    session.commit()
    browser = browser_for(app, admin)
    page = browser.get("/admin/fees")
    assert page.status_code == 200 and "Publish a new version" in page.text
    fields = _form(page.text)
    assert fields["KZT__lodging_fee"] == "150000.00" and fields["USD__b3__rate"] == "0.1"
    # A scale whose brackets do not rise is refused whole, and nothing is published.
    broken = {**fields, "name": "Schedule 2027", "KZT__b1__up_to": "1000.00"}
    refused = browser.post("/admin/fees", broken)
    assert refused.status_code == 409 and "rise one after the other" in refused.text
    assert fees.current_schedule(session).version == 1
    done = browser.post(
        "/admin/fees",
        {
            **fields,
            "name": "Schedule 2027",
            "KZT__lodging_fee": "200 000,00",
            "USD__b0__rate": "2,125",
        },
    )
    assert done.status_code == 302, done.text
    session.expire_all()
    current = fees.current_schedule(session)
    assert (current.version, current.name, current.created_by_id) == (2, "Schedule 2027", admin.id)
    assert current.fees["KZT"]["lodging_fee"] == "200000.00"
    assert current.fees["USD"]["administrative"]["brackets"][0]["rate"] == "0.02125"
    assert current.fees["USD"]["administrative"]["brackets"][-1]["up_to"] is None
    public = Browser(app).get("/fees")
    assert "Version 2 of the schedule" in public.text and "KZT\xa0200,000.00" in public.text
    # Only the admin publishes.
    clerk = browser_for(app, factory.user(Role.CLERK))
    assert clerk.get("/admin/fees").status_code == 403


def test_a_case_keeps_the_schedule_in_force_when_its_claim_was_filed(app, factory, session):
    admin = factory.user(Role.ADMIN)
    draft = factory.case(CaseState.DRAFT)
    filed = factory.case(CaseState.SUBMITTED)
    assert (draft.fee_schedule_version, filed.fee_schedule_version) == (None, 1)
    schedule = copy.deepcopy(fees.current_schedule(session).fees)
    schedule["KZT"]["lodging_fee"] = "200000.00"
    fees.publish(session, name="Schedule 2027", fees=schedule, by=admin)
    later = factory.case(CaseState.SUBMITTED)
    assert (filed.fee_schedule_version, later.fee_schedule_version) == (1, 2)
    # Returned for amendment and filed again, a claim keeps the schedule of its first filing.
    clerk = factory.user(Role.CLERK)
    engine.apply(clerk, filed, "return", reason="Add the power of attorney.")
    cases.submit_claim(filed, claimant=filed.claimant_user)
    assert filed.fee_schedule_version == 1
    session.commit()
    page = browser_for(app, filed.claimant_user).get(f"/cases/{filed.id}").text
    assert "Schedule of fees</dt><dd>Version 1</dd>" in page


@pytest.mark.parametrize(
    ("amount", "currency", "language", "written"),
    [
        (D("1234567.89"), KZT, "en", "KZT\xa01,234,567.89"),
        (D("1234567.89"), KZT, "ru", "1\xa0234\xa0567,89\xa0₸"),
        (D("1234567.89"), KZT, "kk", "1\xa0234\xa0567,89\xa0₸"),
        (D("0.50"), KZT, "en", "KZT\xa00.50"),
        (D("1234567.89"), USD, "en", "$1,234,567.89"),
        (D("1234567.89"), USD, "ru", "1\xa0234\xa0567,89\xa0$"),
    ],
)
def test_money_is_written_as_each_language_writes_it(amount, currency, language, written):
    assert format_money(amount, currency, language) == written
