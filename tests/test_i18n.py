"""Every text of the portal exists in English, Russian and Kazakh."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel import Locale, dates
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import g
from flask_babel import get_timezone
from markupsafe import escape

from dispute_portal.auth.models import User
from dispute_portal.core.templating import DATETIME_PATTERNS, show_datetime
from dispute_portal.registry import operations as registry
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "dispute_portal" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_catalog_template_is_up_to_date(tmp_path):
    """Re-extracting the texts from the code finds nothing the committed catalog lacks."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "_l",
            "--no-location",
            "--omit-header",
            "-o",
            str(fresh),
            str(ROOT),
        ]
    )
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(fresh) if m.id}
    committed = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _catalog(TRANSLATIONS / "messages.pot")
        if m.id
    }
    assert extracted - committed == set(), "run pybabel extract and update (see README)"


@pytest.mark.parametrize("locale", ["ru", "kk"])
def test_every_message_is_translated(locale):
    template = _catalog(TRANSLATIONS / "messages.pot")
    catalog = _catalog(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    missing, fuzzy, broken = [], [], []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = (
            [s for s in translated.string]
            if translated and isinstance(translated.string, tuple)
            else [translated.string]
            if translated
            else []
        )
        if not translated or not all(strings):
            missing.append(message.id)
            continue
        if translated.fuzzy:
            fuzzy.append(message.id)
        source = message.id if isinstance(message.id, str) else message.id[0]
        wanted = set(PLACEHOLDER.findall(source))
        if any(set(PLACEHOLDER.findall(s)) - wanted for s in strings):
            broken.append(message.id)
    assert (missing, fuzzy, broken) == ([], [], [])


@pytest.mark.parametrize(
    ("locale", "texts"),
    [
        ("en", ["Register as an investor", "Log in"]),
        ("ru", ["Зарегистрироваться как инвестор", "Войти"]),
        ("kk", ["Инвестор ретінде тіркелу", "Кіру"]),
    ],
)
def test_pages_speak_the_chosen_language(browser, locale, texts):
    browser.post("/language", {"locale": locale, "next": "/"})
    page = browser.get("/").get_data(as_text=True)
    assert f'<html lang="{locale}">' in page
    for text in texts:
        assert text in page, f"{text!r} not on the {locale} start page"


def test_refusals_from_the_workflow_are_translated(factory, login_as, session):
    """Texts marked in Flask-free modules (N_) reach the user in their language."""
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk")
    browser.post("/language", {"locale": "ru", "next": "/"})
    response = browser.post(f"/registry/cases/{case.id}/register", {"version": "999"})
    assert response.status_code == 409  # the review page again, the refusal on it
    page = response.get_data(as_text=True)
    catalog = _catalog(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po")
    stale = catalog.get(
        "This case changed since you opened it. Nothing was applied; review it again."
    ).string
    assert stale and stale in page
    assert catalog.get("Submitted").string in page  # the state label, translated


def test_case_pages_join_the_parties_and_name_the_portal_in_the_readers_language(
    factory, login_as, session
):
    """The case's title ("v." in English) and the portal's own acts (a registration notice
    issued automatically, stored as "system") read in Russian on a Russian page."""
    case = factory.case(CaseState.REGISTERED)
    session.commit()
    browser, _ = login_as("investor", session.get(User, case.claimant_user_id))
    browser.post("/language", {"locale": "ru", "next": "/"})
    catalog = _catalog(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po")
    title = catalog.get("%(claimant)s v. %(respondent)s").string % {
        "claimant": case.claimant.name,
        "respondent": case.respondent.name,
    }
    portal = catalog.get("The portal (automatic)").string
    for url in (f"/cases/{case.id}", f"/cases/{case.id}/trail", "/cases/"):
        page = browser.get(url).get_data(as_text=True)
        assert str(escape(title)) in page, url
        assert " v. " not in page, url
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "— system" not in page and f"— {portal}" in page
    trail = browser.get(f"/cases/{case.id}/trail").get_data(as_text=True)
    assert ">system<" not in trail and portal in trail


def test_rulings_join_the_parties_in_the_case_language(factory, session):
    """A Russian case's rulings name the case "X против Y", not "X v. Y"."""
    case = factory.case(CaseState.SUBMITTED)
    case.language = "ru"
    factory.settle_lodging_fee(case, factory.user("clerk"))
    registry.register_case(session, case, clerk=factory.user("clerk"))
    notice = next(r for r in rulings.case_rulings(case) if r.kind == "registration_notice")
    assert notice.values["case_title"] == f"{case.claimant.name} против {case.respondent.name}"


def test_form_library_messages_follow_each_requests_language(login_as):
    """WTForms' own messages are in the reader's language; their catalogue, kept per
    language for the process, never leaks one reader's language into another's page."""
    russian, _ = login_as("clerk")
    english, _ = login_as("clerk")
    russian.post("/language", {"locale": "ru", "next": "/"})
    for _ in range(2):
        for browser, expected, other in (
            (russian, "Неверный вариант.", "Not a valid choice."),
            (english, "Not a valid choice.", "Неверный вариант."),
        ):
            page = browser.get("/registry/docket?state=nonsense").get_data(as_text=True)
            assert expected in page and other not in page


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_timestamps_read_as_babel_writes_them(app, language):
    """The case page's timestamps are formatted without Babel's pattern machinery: the same
    text as Babel's, in each language, for every month and hour, before and after the
    Almaty time zone last changed."""
    locale = Locale.parse(language)
    with app.test_request_context():
        zone = get_timezone()
        g._reader_locale_and_zone = (locale, zone)
        for year in (1995, 2023, 2026):
            for month in range(1, 13):
                for hour in (0, 5, 18, 23):
                    value = dt.datetime(year, month, month + 9, hour, 4 * month, tzinfo=dt.UTC)
                    expected = dates.format_datetime(
                        value, DATETIME_PATTERNS["medium"], tzinfo=zone, locale=locale
                    )
                    assert show_datetime(value) == expected
                    assert show_datetime(value.replace(tzinfo=None)) == expected
