"""Login sessions: cookie flags, a new session at login, idle and absolute timeouts, and
the ends of sessions (logout, log out everywhere, password change) — plus the account page
where the password is changed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal import create_app
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import AuthSession
from dispute_portal.auth.passwords import verify_password
from dispute_portal.db import db
from dispute_portal.notices.models import OutboxMessage

from .conftest import CSRF_RE, Browser, ProductionForTests
from .factories import Factory

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
NEW = "a brand new passphrase 77"


def _sessions(session, user) -> list[AuthSession]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuthSession).where(AuthSession.user_id == user.id).order_by(AuthSession.id)
        )
    )


def _security(session, action: str) -> list[SecurityEvent]:
    return list(session.scalars(select(SecurityEvent).where(SecurityEvent.action == action)))


def _set_cookie(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, response.headers
    return headers[-1]


# Cookies ---------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(app, browser, factory, session):
    user = factory.user("investor")
    session.commit()
    response = browser.post("/login", {"email": user.email, "password": Factory.PASSWORD})
    assert response.status_code == 302
    cookie = _set_cookie(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_production_cookies_are_secure_and_host_prefixed(db_url):
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = "https://portal.example"

    prod = create_app(Prod)
    assert prod.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    assert prod.config["REMEMBER_COOKIE_SECURE"] and prod.config["REMEMBER_COOKIE_HTTPONLY"]
    try:
        response = prod.test_client().get("/login", base_url="https://portal.example")
    finally:
        db.engine_for(prod).dispose()
    cookie = _set_cookie(response, "__Host-session")
    parts = [p.strip() for p in cookie.split(";")]
    assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(parts)
    assert not any(p.lower().startswith("domain=") for p in parts)


@pytest.mark.parametrize(
    "override",
    [
        {"SESSION_COOKIE_SECURE": False},
        {"SESSION_COOKIE_DOMAIN": "example.kz"},
        {"SESSION_COOKIE_PATH": "/portal"},
    ],
)
def test_production_refuses_a_host_cookie_the_browser_would_drop(db_url, override):
    attrs = {
        "SECRET_KEY": "x" * 48,
        "DATABASE_URL": db_url,
        "PUBLIC_BASE_URL": "https://portal.example",
        **override,
    }
    prod = type("Prod", (ProductionForTests,), attrs)
    with pytest.raises(SystemExit, match="__Host-"):
        create_app(prod)


# A new session at login ------------------------------------------------------------------------


def test_login_begins_a_new_session_whatever_the_browser_brought(app, browser, factory, session):
    user = factory.user("investor")
    session.commit()
    before_token = browser.csrf()  # a form opened before the login, e.g. planted by someone
    planted = browser.client.get_cookie("session").value
    browser.login(user)
    after = browser.client.get_cookie("session").value
    assert after != planted
    # The pre-login cookie is not logged in...
    other = app.test_client()
    other.set_cookie("session", planted)
    assert other.get("/cases/").status_code == 302
    # ... and nothing of the session from before the login carries over: not its CSRF key.
    stale = browser.post("/language", {"locale": "ru", "next": "/", "csrf_token": before_token})
    assert stale.status_code == 400
    assert browser.get("/cases/").status_code == 200  # still logged in, with its own token


def test_each_login_gets_its_own_session_token(app, factory, session):
    user = factory.user("investor")
    session.commit()
    first, second = Browser(app), Browser(app)
    first.login(user)
    second.login(user)
    rows = _sessions(session, user)
    assert len(rows) == 2 and rows[0].token_hash != rows[1].token_hash
    assert first.client.get_cookie("session").value != second.client.get_cookie("session").value


# Timeouts --------------------------------------------------------------------------------------


def test_an_idle_session_expires_and_says_so(app, factory, session, clock):
    user = factory.user("investor")
    session.commit()
    browser = Browser(app)
    browser.login(user)
    cookie = browser.client.get_cookie("session").value
    clock.advance(minutes=29)
    assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=29)  # 58 minutes after login, 29 after the last request
    assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=30)
    response = browser.get("/cases/")
    assert response.status_code == 302 and response.location.startswith("/login")
    page = browser.get(response.location).get_data(as_text=True)
    assert "Your session expired. Please log in again." in page
    # Said once; the row is ended, so a copy of the cookie is no good either.
    assert "Your session expired" not in browser.get("/login").get_data(as_text=True)
    (row,) = _sessions(session, user)
    assert row.revoked_at == clock.now and row.end_reason == "expired"
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/cases/").status_code == 302


def test_the_idle_limit_is_configurable(app, factory, session, clock, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    user = factory.user("investor")
    session.commit()
    browser = Browser(app)
    browser.login(user)
    clock.advance(minutes=4)
    assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=5, seconds=1)
    assert browser.get("/cases/").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(app, factory, session, clock):
    user = factory.user("investor")
    session.commit()
    browser = Browser(app)
    browser.login(user)
    clock.advance(seconds=30)
    browser.get("/cases/")
    assert _sessions(session, user)[0].last_seen_at == T0
    clock.advance(seconds=31)
    browser.get("/cases/")
    assert _sessions(session, user)[0].last_seen_at == T0 + dt.timedelta(seconds=61)


def test_an_active_session_still_ends_at_its_absolute_limit(app, factory, session, clock):
    user = factory.user("investor")
    session.commit()
    browser = Browser(app)
    browser.login(user)
    hours = app.config["SESSION_LIFETIME_HOURS"]
    for _ in range(hours * 3 - 1):
        clock.advance(minutes=20)
        assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=20)  # exactly SESSION_LIFETIME_HOURS after the login
    response = browser.get("/cases/")
    assert response.status_code == 302
    assert "Your session expired" in browser.get(response.location).get_data(as_text=True)


# Ends of sessions ------------------------------------------------------------------------------


def _two_browsers(app, login_as, factory):
    first, user = login_as("investor")
    second = Browser(app)
    second.login(user)
    return first, second, user


def test_logout_ends_only_this_session(app, login_as, factory, session):
    first, second, user = _two_browsers(app, login_as, factory)
    assert first.post("/logout").status_code == 302
    assert first.get("/cases/").status_code == 302
    assert second.get("/cases/").status_code == 200
    assert [r.end_reason for r in _sessions(session, user)] == ["logout", None]


def test_log_out_everywhere_ends_every_session(app, login_as, factory, session):
    first, second, user = _two_browsers(app, login_as, factory)
    page = first.get("/account").get_data(as_text=True)
    assert "Log out everywhere" in page and "This session" in page
    assert "Another browser or device" in page
    response = first.post("/account/logout-everywhere")
    assert response.status_code == 302 and response.location == "/login"
    assert "logged out everywhere" in first.get("/login").get_data(as_text=True)
    assert first.get("/cases/").status_code == 302
    assert second.get("/cases/").status_code == 302
    rows = _sessions(session, user)
    assert all(r.end_reason == "logout_everywhere" for r in rows)
    assert _security(session, "logout_everywhere")[0].data == {"ended": 2}


def test_log_out_everywhere_needs_a_post_with_csrf(login_as, session):
    browser, user = login_as("investor")
    assert browser.get("/account/logout-everywhere").status_code == 405
    assert browser.post("/account/logout-everywhere", csrf=False).status_code == 400
    assert browser.get("/cases/").status_code == 200


def test_changing_the_password_ends_every_other_session(app, login_as, factory, session):
    first, second, user = _two_browsers(app, login_as, factory)
    response = first.post(
        "/account", {"current": Factory.PASSWORD, "password": NEW, "confirm": NEW}
    )
    assert response.status_code == 302 and response.location == "/account"
    assert "Every other session was logged out" in first.get("/account").get_data(as_text=True)
    assert first.get("/cases/").status_code == 200  # this session goes on
    kicked = second.get("/cases/")
    assert kicked.status_code == 302
    assert "password of this account was changed" in second.get(kicked.location).get_data(
        as_text=True
    )
    assert [r.end_reason for r in _sessions(session, user)] == [None, "password_changed"]
    session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    assert not verify_password(user.password_hash, Factory.PASSWORD)
    assert _security(session, "password_changed")[0].user_id == user.id
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email)).one()
    assert "password was changed" in mail.subject
    # The old password no longer logs in; the new one does.
    third = Browser(app)
    assert "Wrong email" in third.post(
        "/login", {"email": user.email, "password": Factory.PASSWORD}
    ).get_data(as_text=True)
    third.login(user, NEW)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"current": "not the password", "password": NEW, "confirm": NEW}, "is not correct"),
        ({"current": Factory.PASSWORD, "password": "short", "confirm": "short"}, "12 characters"),
        (
            {
                "current": Factory.PASSWORD,
                "password": "passwordpassword",
                "confirm": "passwordpassword",
            },
            "too common",
        ),
        ({"current": Factory.PASSWORD, "password": NEW, "confirm": NEW + "x"}, "passwords differ"),
        (
            {
                "current": Factory.PASSWORD,
                "password": Factory.PASSWORD,
                "confirm": Factory.PASSWORD,
            },
            "different from the current one",
        ),
    ],
)
def test_a_refused_password_change_changes_nothing(
    app, login_as, factory, session, data, field_message
):
    first, second, user = _two_browsers(app, login_as, factory)
    before = user.password_hash
    response = first.post("/account", data)
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    session.refresh(user)
    assert user.password_hash == before
    assert second.get("/cases/").status_code == 200
    assert all(r.revoked_at is None for r in _sessions(session, user))
    assert not _security(session, "password_changed")
    # No "your password was changed" e-mail (other tests' committed mail may be there).
    assert not session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == user.email)
    ).all()


def test_a_wrong_current_password_is_audited(login_as, session):
    browser, user = login_as("investor")
    browser.post("/account", {"current": "not the password", "password": NEW, "confirm": NEW})
    (event,) = _security(session, "password_change_failed")
    assert event.user_id == user.id


def test_the_password_change_needs_csrf(login_as, session):
    browser, user = login_as("investor")
    before = user.password_hash
    response = browser.post(
        "/account", {"current": Factory.PASSWORD, "password": NEW, "confirm": NEW}, csrf=False
    )
    assert response.status_code == 400
    session.refresh(user)
    assert user.password_hash == before


def test_the_account_page_needs_a_login(browser):
    response = browser.get("/account")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert browser.post("/account/logout-everywhere").status_code == 302


def test_the_account_page_lists_only_live_sessions(app, login_as, factory, session):
    first, second, user = _two_browsers(app, login_as, factory)
    second.post("/logout")
    page = first.get("/account").get_data(as_text=True)
    assert page.count("<tr>") == 2  # the header row and this session
    assert page.count("<h1>") == 1 and CSRF_RE.search(page)
