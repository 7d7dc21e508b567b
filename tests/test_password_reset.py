"""Password reset by e-mail: one answer whether the address exists or not, a single-use
link that expires (only its hash stored), every session ended, all of it audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import AuthSession, PasswordResetToken
from dispute_portal.auth.passwords import verify_password
from dispute_portal.notices.models import OutboxMessage

from .conftest import CSRF_RE, Browser
from .factories import Factory

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
NEW = "a brand new passphrase 77"
SENT = "If an account exists for this address, we have sent a link"
LINK_RE = re.compile(r"http://[^/\s]+/password/reset/([A-Za-z0-9_-]+)")


def _ask(browser: Browser, email: str):
    return browser.post("/password/forgot", {"email": email})


def _mails(session, email: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_email == email).order_by(OutboxMessage.id)
        )
    )


def _link_token(mail: OutboxMessage) -> str:
    return LINK_RE.search(mail.body).group(1)


def _security(session, action: str) -> list[SecurityEvent]:
    return list(session.scalars(select(SecurityEvent).where(SecurityEvent.action == action)))


def _reset(browser: Browser, token: str, password: str = NEW, confirm: str | None = None):
    return browser.post(
        f"/password/reset/{token}", {"password": password, "confirm": confirm or password}
    )


# Asking for a link -----------------------------------------------------------------------------


def test_the_answer_is_the_same_whether_the_address_exists_or_not(browser, factory, session):
    user = factory.user("investor")
    gone = factory.user("investor", is_active=False)
    session.commit()
    answers = []
    for email in (user.email, "nobody@example.com", gone.email, user.email.upper()):
        response = _ask(browser, email)
        page = browser.get(response.location).get_data(as_text=True)
        # The CSRF token carries the second it was signed in: the same on every page only
        # while the clock does not tick between them, so it is left out of the comparison.
        page = CSRF_RE.sub("csrf_token", page)
        answers.append((response.status_code, response.location, page))
    assert len(set(answers)) == 1
    status, location, page = answers[0]
    assert status == 302 and SENT in page
    assert len(_mails(session, user.email)) == 2
    assert not _mails(session, "nobody@example.com") and not _mails(session, gone.email)
    requested = _security(session, "password_reset_requested")
    assert [e.email for e in requested] == [
        user.email,
        "nobody@example.com",
        gone.email,
        user.email,
    ]


def test_known_and_unknown_addresses_cost_the_request_the_same_work(
    browser, factory, session, count_queries, queued_jobs
):
    """The request does the same for an account as for no account: the same SQL and one
    job of the same kind; whether a link is made (and its token hashed, its mail written)
    is the job's business, after the answer. Timing told the two apart before (12 ms)."""
    user = factory.user("investor")
    session.commit()
    _ask(browser, "warm-up@example.com")  # the security log's chain head is made once
    queued_jobs.jobs.clear()
    seen = []
    for email in (user.email, "nobody@example.com"):
        with count_queries() as queries:
            assert _ask(browser, email).status_code == 302
        sql = [re.sub(r"sa_savepoint_\d+", "sa_savepoint", s) for s in queries.statements]
        seen.append((sql, [(path, len(args)) for path, args in queued_jobs.jobs]))
        queued_jobs.jobs.clear()
    (known_sql, known_jobs), (unknown_sql, unknown_jobs) = seen
    assert known_sql == unknown_sql
    assert known_jobs == unknown_jobs and len(known_jobs) == 1
    assert not _mails(session, user.email)  # nothing made in the request
    # The worker then runs the job: the account gets its link, the unknown address nothing.
    _ask(browser, user.email)
    _ask(browser, "nobody@example.com")
    queued_jobs.run_all()
    (mail,) = _mails(session, user.email)
    assert LINK_RE.search(mail.body)
    assert not _mails(session, "nobody@example.com")


def test_the_link_is_mailed_and_only_its_hash_is_stored(browser, factory, session, app):
    user = factory.user("investor", locale="ru")
    session.commit()
    _ask(browser, user.email)
    (mail,) = _mails(session, user.email)
    token = _link_token(mail)
    assert mail.body.startswith(f"Уважаемый(-ая) {user.name},")  # the account's language
    assert app.config["PUBLIC_BASE_URL"] in mail.body and "60" in mail.body
    (row,) = session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)
    ).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([getattr(row, c.key) for c in PasswordResetToken.__table__.columns])


def test_the_email_form_is_checked(browser, session):
    before = len(session.scalars(select(OutboxMessage)).all())  # others' committed mail
    response = _ask(browser, "not an address")
    assert response.status_code == 200
    assert "Invalid email address" in response.get_data(as_text=True)
    assert len(session.scalars(select(OutboxMessage)).all()) == before


def test_the_request_needs_csrf(browser, factory, session):
    user = factory.user("investor")
    session.commit()
    assert browser.post("/password/forgot", {"email": user.email}, csrf=False).status_code == 400
    assert not _mails(session, user.email)


def test_the_login_page_offers_the_reset(browser):
    assert "/password/forgot" in browser.get("/login").get_data(as_text=True)


# Using the link --------------------------------------------------------------------------------


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, login_as, factory, session):
    logged_in, user = login_as("investor")
    thief = Browser(app)
    thief.login(user)
    anonymous = Browser(app)
    _ask(anonymous, user.email)
    token = _link_token(_mails(session, user.email)[0])
    form = anonymous.get(f"/password/reset/{token}")
    assert form.status_code == 200 and "Choose a new password" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    assert form.headers["Referrer-Policy"] == "no-referrer"
    response = _reset(anonymous, token)
    assert response.status_code == 302 and response.location == "/login"
    assert "Log in with the new password" in anonymous.get("/login").get_data(as_text=True)
    session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    # Every session of the account ended: also the one someone else may hold.
    for browser in (logged_in, thief):
        kicked = browser.get("/cases/")
        assert kicked.status_code == 302
        assert "password of this account was reset" in browser.get(kicked.location).get_data(
            as_text=True
        )
    rows = session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    assert rows and all(r.end_reason == "password_reset" for r in rows)
    assert _security(session, "password_reset")[0].user_id == user.id
    assert "password was changed" in _mails(session, user.email)[-1].subject
    # Single use: the same link again is no longer valid.
    again = anonymous.get(f"/password/reset/{token}")
    assert again.status_code == 404 and "no longer valid" in again.get_data(as_text=True)
    anonymous._token = None  # the reset emptied the browser's session
    assert _reset(anonymous, token, "yet another passphrase 88").status_code == 404
    session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    Browser(app).login(user, NEW)


def test_an_expired_link_is_no_longer_valid(browser, factory, session, clock):
    user = factory.user("investor")
    session.commit()
    _ask(browser, user.email)
    token = _link_token(_mails(session, user.email)[0])
    clock.advance(minutes=59)
    assert browser.get(f"/password/reset/{token}").status_code == 200
    clock.advance(minutes=1)
    expired = browser.get(f"/password/reset/{token}")
    unknown = browser.get("/password/reset/" + "A" * 43)
    assert expired.status_code == unknown.status_code == 404
    # One page for both (but for the address itself, which the language form carries, and
    # the CSRF token, signed with the second it was drawn in: the two may straddle one).
    page = expired.get_data(as_text=True).replace(token, "A" * 43)
    assert CSRF_RE.sub("<csrf>", page) == CSRF_RE.sub("<csrf>", unknown.get_data(as_text=True))
    assert _reset(browser, token).status_code == 404
    session.refresh(user)
    assert verify_password(user.password_hash, Factory.PASSWORD)


def test_a_new_link_makes_the_earlier_ones_useless(browser, factory, session):
    user = factory.user("investor")
    session.commit()
    _ask(browser, user.email)
    _ask(browser, user.email)
    first, second = (_link_token(m) for m in _mails(session, user.email))
    assert browser.get(f"/password/reset/{first}").status_code == 404
    assert browser.get(f"/password/reset/{second}").status_code == 200


def test_a_deactivated_account_cannot_use_its_link(browser, factory, session):
    user = factory.user("investor")
    session.commit()
    _ask(browser, user.email)
    token = _link_token(_mails(session, user.email)[0])
    user.is_active = False
    session.commit()
    assert _reset(browser, token).status_code == 404


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "12 characters"),
        ("passwordpassword", "passwordpassword", "too common"),
        (NEW, NEW + "x", "passwords differ"),
    ],
)
def test_a_refused_new_password_keeps_the_link(
    browser, factory, session, password, confirm, message
):
    user = factory.user("investor")
    session.commit()
    _ask(browser, user.email)
    token = _link_token(_mails(session, user.email)[0])
    response = _reset(browser, token, password, confirm)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    session.refresh(user)
    assert verify_password(user.password_hash, Factory.PASSWORD)
    assert browser.get(f"/password/reset/{token}").status_code == 200  # still usable
    assert not _security(session, "password_reset")


def test_the_reset_needs_csrf(browser, factory, session):
    user = factory.user("investor")
    session.commit()
    _ask(browser, user.email)
    token = _link_token(_mails(session, user.email)[0])
    response = browser.post(
        f"/password/reset/{token}", {"password": NEW, "confirm": NEW}, csrf=False
    )
    assert response.status_code == 400
    session.refresh(user)
    assert verify_password(user.password_hash, Factory.PASSWORD)


# Limits on asking ------------------------------------------------------------------------------


def test_requests_are_limited_per_address(app, factory, session, limited, clock):
    browser = Browser(app)
    browser.client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for n in range(5):
        assert _ask(browser, f"someone{n}@example.com").status_code == 302
    refused = _ask(browser, "someone9@example.com")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(15 * 60 + 1)
    other = Browser(app)
    other.client.environ_base["REMOTE_ADDR"] = "198.51.100.3"
    assert _ask(other, "someone9@example.com").status_code == 302


def test_an_account_gets_few_mails_and_the_answer_does_not_change(
    app, factory, session, limited, clock
):
    user = factory.user("investor")
    session.commit()
    for n in range(4):  # from different addresses: the account's own limit
        browser = Browser(app)
        browser.client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        response = _ask(browser, user.email)
        assert response.status_code == 302
        assert SENT in browser.get(response.location).get_data(as_text=True)
    assert len(_mails(session, user.email)) == 3
    clock.advance(hours=2)
    _ask(Browser(app), user.email)
    assert len(_mails(session, user.email)) == 4


def test_a_reset_link_also_activates_an_account_waiting_for_it(browser, factory, session):
    """The reset link proves the address as well as the activation link does; and whoever
    registered someone else's address first loses the password they chose."""
    user = factory.user("investor", email_confirmed_at=None)
    session.commit()
    _ask(browser, user.email)
    (mail,) = _mails(session, user.email)
    assert _reset(browser, _link_token(mail)).status_code == 302
    session.refresh(user)
    assert user.email_confirmed_at is not None
    assert browser.login(user, NEW).location == "/cases/"
