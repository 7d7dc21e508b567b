"""Two-factor authentication: enrolment, the second step of a login, recovery codes, the
rule that requires it of staff in production, and what is refused."""

from __future__ import annotations

import datetime as dt
import html
import re
from contextlib import ExitStack

import pyotp
import pytest
import segno
from sqlalchemy import func, select

from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import AuthSession
from dispute_portal.auth.operations import find_user
from dispute_portal.config import DevelopmentConfig, ProductionConfig, TestingConfig
from dispute_portal.db import frozen_time
from dispute_portal.mfa import enrolment
from dispute_portal.mfa import operations as ops
from dispute_portal.mfa.models import MfaChallenge, MfaSecret, RecoveryCode
from dispute_portal.notices.models import OutboxMessage

from .conftest import Browser
from .factories import Factory
from .insider import bypass_triggers, rebuild_log

T0 = dt.datetime(2026, 11, 26, 9, 0, 0, tzinfo=dt.UTC)
STAFF = ("clerk", "mediator", "arbitrator", "admin", "finance")
KEY_RE = re.compile(r'class="mfa-secret">.*?<code>(.*?)</code>', re.S)
CODE_RE = re.compile(r"<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>")


class Clock:
    """The server's clock (dispute_portal.db.utcnow), pinned and moved by the test."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self.now = T0
        stack.enter_context(frozen_time(T0))

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        self._stack.enter_context(frozen_time(self.now))
        return self.now


@pytest.fixture
def clock():
    with ExitStack() as stack:
        yield Clock(stack)


@pytest.fixture
def required(app, monkeypatch):
    """The production rule: staff must use a second factor."""
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ProductionConfig.MFA_REQUIRED_ROLES)


def totp(secret: str, at: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def stored_secret(app, session, user) -> str:
    row = session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id))
    return ops.decrypt_secret(app.config, row.secret)


def enable_for(factory, clock, user) -> tuple[str, list[str]]:
    """Enrol `user` through the operation, as if done a while ago; (secret, recovery codes)."""
    secret = ops.new_secret()
    link = enrolment.send_link(factory.session, user) if ops.needs_link(user) else None
    code = totp(secret, clock.now)
    codes = ops.enable(factory.session, user, secret=secret, code=code, link=link)
    factory.session.commit()
    clock.advance(minutes=10)
    return secret, codes


def open_link(browser, session, user) -> None:
    """A staff account's enrolment link, e-mailed and opened in this browser."""
    token = enrolment.send_link(session, user)
    session.commit()
    browser.get(f"/mfa/link/{token}")


def events(session, user, action: str) -> list[SecurityEvent]:
    return list(
        session.scalars(
            select(SecurityEvent)
            .where(SecurityEvent.user_id == user.id, SecurityEvent.action == action)
            .order_by(SecurityEvent.seq)
        )
    )


def sessions_of(session, user) -> int:
    session.expire_all()
    return session.scalar(select(func.count(AuthSession.id)).where(AuthSession.user_id == user.id))


class MfaBrowser(Browser):
    def post(self, url: str, data: dict | None = None, **kw):
        response = super().post(url, data, **kw)
        if url in ("/mfa/verify", "/mfa/enrol"):
            self._token = None  # the session may have started: a fresh one, a fresh token
        return response


def password_step(app, user, next_url: str = "") -> tuple[Browser, object]:
    browser = MfaBrowser(app)
    data = {"email": user.email, "password": Factory.PASSWORD}
    if next_url:
        data["next"] = next_url
    return browser, browser.post("/login", data)


def text(response) -> str:
    return response.get_data(as_text=True)


# Enrolment -------------------------------------------------------------------------------------


def test_enrolment_shows_a_server_made_qr_code_and_the_key_then_recovery_codes_once(
    app, login_as, session, clock
):
    browser, user = login_as("investor")
    assert "Status: off" in text(browser.get("/mfa/"))

    page = text(browser.get("/mfa/enrol"))
    secret = html.unescape(KEY_RE.search(page).group(1))
    secret = re.sub(r"<[^>]+>|\s", "", secret)
    assert len(secret) == 32
    # The QR code is inline SVG made on the server from the otpauth:// address of this key.
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Dispute Portal")
    expected = segno.make(uri, error="m").svg_inline(scale=4, border=4, omitsize=True)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert '<svg role="img"' in page and path in page
    assert "<script" not in page and "http" not in page.split("<main", 1)[1].split("<footer")[0]
    # A reload shows the same key: the code already scanned stays valid.
    assert secret in re.sub(r"<[^>]+>|\s", "", text(browser.get("/mfa/enrol")))

    wrong = browser.post("/mfa/enrol", {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in text(wrong)
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None

    done = browser.post("/mfa/enrol", {"code": totp(secret, clock.now)})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = CODE_RE.findall(text(done))
    assert len(codes) == len(set(codes)) == 10

    row = session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id))
    assert secret not in row.secret  # encrypted at rest
    assert stored_secret(app, session, user) == secret
    hashes = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
    hashes = list(hashes)
    assert len(hashes) == 10
    assert not {c.replace("-", "") for c in codes} & {h.upper() for h in hashes}
    assert len(events(session, user, "mfa_enabled")) == 1

    # Shown once: neither the settings page nor the enrolment page repeats them.
    settings = text(browser.get("/mfa/"))
    assert "Status: on" in settings and "10 unused recovery codes left" in settings
    assert not any(code in settings for code in codes)
    again = browser.get("/mfa/enrol")
    assert again.status_code == 302 and again.location == "/mfa/"


def test_a_different_browser_gets_a_different_key(app, login_as, session, factory):
    browser, user = login_as("investor")
    other = Browser(app)
    other.login(user)
    first = KEY_RE.search(text(browser.get("/mfa/enrol"))).group(1)
    second = KEY_RE.search(text(other.get("/mfa/enrol"))).group(1)
    assert first != second


def test_the_confirming_code_cannot_be_used_again_to_log_in(app, login_as, session, clock):
    browser, user = login_as("investor")
    page = text(browser.get("/mfa/enrol"))
    secret = re.sub(r"<[^>]+>|\s", "", KEY_RE.search(page).group(1))
    code = totp(secret, clock.now)
    assert browser.post("/mfa/enrol", {"code": code}).status_code == 200

    other, _ = password_step(app, user)
    refused = other.post("/mfa/verify", {"code": code})
    assert refused.status_code == 200 and "not right" in text(refused)


# Logging in with a second factor ---------------------------------------------------------------


def test_login_asks_for_the_code_and_starts_the_session_only_after_it(app, factory, session, clock):
    user = factory.user("investor")
    secret, _codes = enable_for(factory, clock, user)

    browser, response = password_step(app, user, next_url="/notifications")
    assert response.status_code == 302 and response.location == "/mfa/verify"
    # The password alone opened nothing.
    assert sessions_of(session, user) == 0
    for protected in ("/cases/", "/mfa/", "/notifications"):
        page = browser.get(protected)
        assert page.status_code == 302 and page.location.startswith("/login")
    assert events(session, user, "login") == []
    verify = browser.get("/mfa/verify")
    assert verify.status_code == 200 and 'autocomplete="one-time-code"' in text(verify)

    done = browser.post("/mfa/verify", {"code": totp(secret, clock.advance(seconds=20))})
    assert done.status_code == 302 and done.location == "/notifications"
    assert sessions_of(session, user) == 1
    assert browser.get("/cases/").status_code == 200
    ok = events(session, user, "mfa_ok")
    assert len(ok) == 1 and ok[0].data == {"method": "totp"}
    assert len(events(session, user, "login")) == 1
    assert session.scalar(select(func.count(MfaChallenge.id))) == 0


def test_codes_of_the_neighbouring_time_steps_count_but_older_ones_do_not(
    app, factory, session, clock
):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    stale = browser.post(
        "/mfa/verify", {"code": totp(secret, clock.now - dt.timedelta(seconds=65))}
    )
    assert "not right" in text(stale)
    late = browser.post("/mfa/verify", {"code": totp(secret, clock.now - dt.timedelta(seconds=30))})
    assert late.status_code == 302 and late.location == "/cases/"


def test_a_code_cannot_be_replayed(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    code = totp(secret, clock.now)

    first, _ = password_step(app, user)
    assert first.post("/mfa/verify", {"code": code}).status_code == 302

    # Someone who saw the code and knows the password tries it at once, in the same step.
    second, _ = password_step(app, user)
    replay = second.post("/mfa/verify", {"code": code})
    assert replay.status_code == 200 and "already used" in text(replay)
    assert sessions_of(session, user) == 1
    assert len(events(session, user, "mfa_failed")) == 1
    # The next step's code works.
    fresh = second.post("/mfa/verify", {"code": totp(secret, clock.advance(seconds=30))})
    assert fresh.status_code == 302 and sessions_of(session, user) == 2


def test_a_recovery_code_works_once(app, factory, session, clock):
    user = factory.user("investor")
    _secret, codes = enable_for(factory, clock, user)

    browser, _ = password_step(app, user)
    typed = "  " + codes[3].lower().replace("-", " ") + " "  # as someone types it off paper
    done = browser.post("/mfa/verify", {"code": typed})
    assert done.status_code == 302 and done.location == "/cases/"
    assert "9 left" in text(browser.get("/cases/"))
    assert len(events(session, user, "mfa_recovery_used")) == 1
    assert events(session, user, "mfa_ok")[0].data == {"method": "recovery"}
    assert ops.recovery_codes_left(session, user) == 9

    again, _ = password_step(app, user)
    refused = again.post("/mfa/verify", {"code": codes[3]})
    assert refused.status_code == 200 and "not right" in text(refused)
    assert sessions_of(session, user) == 1
    assert again.post("/mfa/verify", {"code": codes[4]}).status_code == 302


def test_recovery_codes_of_another_account_do_not_work(app, factory, session, clock):
    alice, bob = factory.user("investor"), factory.user("investor")
    _, alice_codes = enable_for(factory, clock, alice)
    enable_for(factory, clock, bob)
    browser, _ = password_step(app, bob)
    assert "not right" in text(browser.post("/mfa/verify", {"code": alice_codes[0]}))
    assert ops.recovery_codes_left(session, alice) == 10


def test_new_recovery_codes_replace_the_old_ones(app, factory, session, clock):
    user = factory.user("investor")
    secret, old = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    browser.post("/mfa/verify", {"code": totp(secret, clock.now)})

    refused = browser.post("/mfa/recovery-codes", {"renew-password": "not my password"})
    assert refused.status_code == 400 and "not right" in text(refused)
    done = browser.post("/mfa/recovery-codes", {"renew-password": Factory.PASSWORD})
    new = CODE_RE.findall(text(done))
    assert len(new) == 10 and not set(new) & set(old)
    assert done.headers["Cache-Control"] == "no-store"
    assert len(events(session, user, "mfa_recovery_renewed")) == 1

    other, _ = password_step(app, user)
    assert "not right" in text(other.post("/mfa/verify", {"code": old[0]}))
    assert other.post("/mfa/verify", {"code": new[0]}).status_code == 302


def test_the_next_address_is_kept_only_when_it_is_on_this_site(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user, next_url="//evil.example/")
    done = browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert done.location == "/cases/"


# Wrong codes, expiry ---------------------------------------------------------------------------


def test_five_wrong_codes_drop_the_pending_login(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    for attempt in range(1, 5):
        wrong = browser.post("/mfa/verify", {"code": f"{attempt:06d}"})
        assert wrong.status_code == 200 and "not right" in text(wrong)
    saved = browser.client.get_cookie(cookie_name).value  # a copy of the cookie, 4 failures in

    fifth = browser.post("/mfa/verify", {"code": "999999"})
    assert fifth.status_code == 302 and fifth.location == "/login"
    assert "Too many wrong codes" in text(browser.get("/login"))

    # The right code no longer helps, not even with the cookie copied before the fifth.
    right = totp(secret, clock.now)
    assert browser.post("/mfa/verify", {"code": right}).location == "/login"
    browser.client.set_cookie(cookie_name, saved)
    assert browser.post("/mfa/verify", {"code": right}).location == "/login"
    assert sessions_of(session, user) == 0

    failed = events(session, user, "mfa_failed")
    assert [e.data["attempt"] for e in failed] == [1, 2, 3, 4, 5]
    assert [e.data["dropped"] for e in failed] == [False] * 4 + [True]
    # Starting again with the password works.
    again, _ = password_step(app, user)
    assert again.post("/mfa/verify", {"code": right}).status_code == 302


def test_new_logins_do_not_buy_endless_guesses(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    for _round in range(2):
        browser, _ = password_step(app, user)
        for attempt in range(5):
            browser.post("/mfa/verify", {"code": f"{attempt:06d}"})
    assert len(events(session, user, "mfa_failed")) == 10

    # Ten wrong codes in 15 minutes: even the right code is not checked now.
    browser, _ = password_step(app, user)
    refused = browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert refused.status_code == 429 and "Too many wrong codes for this account" in text(refused)
    assert sessions_of(session, user) == 0

    clock.advance(minutes=15)
    browser, _ = password_step(app, user)
    done = browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert done.status_code == 302 and sessions_of(session, user) == 1


def test_a_pending_login_expires_after_five_minutes(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    clock.advance(minutes=5)
    late = browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert late.status_code == 302 and late.location == "/login"
    assert "expired" in text(browser.get("/login"))
    assert sessions_of(session, user) == 0
    assert session.scalar(select(func.count(MfaChallenge.id))) == 0


def test_a_pending_login_found_expired_by_its_page_is_deleted(app, factory, session, clock):
    """The GET of the code's page writes too (it deletes the expired login): marked @writes,
    so on SQLite its transaction may write (tests/test_sqlite_readers.py)."""
    user = factory.user("investor")
    enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    clock.advance(minutes=5)
    late = browser.get("/mfa/verify")
    assert late.status_code == 302 and late.location == "/login"
    assert session.scalar(select(func.count(MfaChallenge.id))) == 0


def test_a_pending_login_in_time_works(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    clock.advance(minutes=4, seconds=59)
    assert browser.post("/mfa/verify", {"code": totp(secret, clock.now)}).status_code == 302


def test_a_new_password_step_ends_the_earlier_pending_login(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    first, _ = password_step(app, user)
    password_step(app, user)
    stale = first.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert stale.location == "/login" and sessions_of(session, user) == 0


def test_verify_without_a_pending_login_sends_to_the_login_page(app, browser):
    assert browser.get("/mfa/verify").location == "/login"
    assert browser.post("/mfa/verify", {"code": "123456"}).location == "/login"


# Who must, who may -----------------------------------------------------------------------------


def test_production_requires_it_of_staff_and_the_demo_and_tests_do_not():
    assert set(ProductionConfig.MFA_REQUIRED_ROLES) == set(STAFF)
    assert DevelopmentConfig.MFA_REQUIRED_ROLES == () == TestingConfig.MFA_REQUIRED_ROLES


@pytest.mark.parametrize("role", STAFF)
def test_staff_log_in_with_the_password_alone_in_the_demo(app, factory, session, role):
    user = factory.user(role)
    session.commit()
    _, response = password_step(app, user)
    assert response.status_code == 302 and not response.location.startswith("/mfa")
    assert sessions_of(session, user) == 1


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_a_second_factor_enrol_before_their_session_starts(
    app, factory, session, clock, required, role
):
    user = factory.user(role)
    session.commit()
    browser, response = password_step(app, user)
    assert response.status_code == 302 and response.location == "/mfa/enrol"
    assert sessions_of(session, user) == 0
    open_link(browser, session, user)
    page = browser.get("/mfa/enrol")
    assert page.status_code == 200 and "Your role requires" in text(page)
    assert browser.get("/mfa/").location.startswith("/login")
    assert sessions_of(session, user) == 0

    secret = re.sub(r"<[^>]+>|\s", "", KEY_RE.search(text(page)).group(1))
    done = browser.post("/mfa/enrol", {"code": totp(secret, clock.now)})
    assert done.status_code == 200 and len(CODE_RE.findall(text(done))) == 10
    assert sessions_of(session, user) == 1
    assert browser.get("/mfa/").status_code == 200
    assert len(events(session, user, "mfa_enabled")) == 1
    assert len(events(session, user, "login")) == 1

    # From now on the code is asked at every login.
    clock.advance(minutes=1)
    other, response = password_step(app, user)
    assert response.location == "/mfa/verify"
    assert other.post("/mfa/verify", {"code": totp(secret, clock.now)}).status_code == 302


def test_the_enrolment_wait_expires_too(app, factory, session, clock, required):
    user = factory.user("clerk")
    session.commit()
    browser, _ = password_step(app, user)
    open_link(browser, session, user)
    page = text(browser.get("/mfa/enrol"))
    secret = re.sub(r"<[^>]+>|\s", "", KEY_RE.search(page).group(1))
    clock.advance(minutes=15)
    late = browser.post("/mfa/enrol", {"code": totp(secret, clock.now)})
    assert late.location == "/login"
    assert sessions_of(session, user) == 0
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None


def test_staff_cannot_turn_it_off_when_required(app, factory, session, clock, required):
    user = factory.user("mediator")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    assert "cannot be turned off" in text(browser.get("/mfa/"))
    refused = browser.post("/mfa/disable", {"disable-password": Factory.PASSWORD})
    assert refused.status_code == 403
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is not None


@pytest.mark.parametrize("role", ["investor", "respondent"])
def test_parties_are_not_required_but_may_turn_it_on(app, factory, session, required, role):
    user = factory.user(role)
    session.commit()
    browser, response = password_step(app, user)
    assert response.status_code == 302 and not response.location.startswith("/mfa")
    assert sessions_of(session, user) == 1
    assert "Set up two-factor authentication" in text(browser.get("/mfa/"))


def test_a_party_turns_it_off_with_a_code_or_the_password(app, factory, session, clock):
    user = factory.user("investor")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    browser.post("/mfa/verify", {"code": totp(secret, clock.now)})

    nothing = browser.post("/mfa/disable", {})
    assert nothing.status_code == 400 and "Enter a code from your app or your password" in text(
        nothing
    )
    for wrong in ({"disable-password": "not my password"}, {"disable-code": "123456"}):
        refused = browser.post("/mfa/disable", wrong)
        assert refused.status_code == 400 and "not right" in text(refused)
    # The code just used to log in is spent: it cannot turn the factor off either.
    spent = browser.post("/mfa/disable", {"disable-code": totp(secret, clock.now)})
    assert "not right" in text(spent)
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is not None

    done = browser.post("/mfa/disable", {"disable-code": totp(secret, clock.advance(seconds=30))})
    assert done.status_code == 302 and done.location == "/mfa/"
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None
    assert ops.recovery_codes_left(session, user) == 0
    assert len(events(session, user, "mfa_disabled")) == 1

    _, response = password_step(app, user)
    assert response.location == "/cases/"


def test_turning_off_with_the_password(app, factory, session, clock):
    user = factory.user("respondent")
    secret, _ = enable_for(factory, clock, user)
    browser, _ = password_step(app, user)
    browser.post("/mfa/verify", {"code": totp(secret, clock.now)})
    done = browser.post("/mfa/disable", {"disable-password": Factory.PASSWORD})
    assert done.status_code == 302
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None


def test_settings_need_a_login(browser):
    for url in ("/mfa/", "/mfa/disable", "/mfa/recovery-codes"):
        response = browser.post(url, {}) if url != "/mfa/" else browser.get(url)
        assert response.status_code == 302 and response.location.startswith("/login")
    assert browser.get("/mfa/enrol").location == "/login"


# Sessions that did not come through the second factor ------------------------------------------


def test_a_session_started_without_the_second_factor_is_ended(app, browser, session, clock):
    # A session started on the password alone; the factor is then turned on behind its back
    # (as another login path would leave things): the next request ends that session.
    user = Factory(session, app.config).user("investor", email="amina@example.com")
    session.commit()
    browser.login(user)
    assert browser.get("/cases/").status_code == 200
    user = find_user(session, "amina@example.com")
    secret = ops.new_secret()
    ops.enable(session, user, secret=secret, code=totp(secret, clock.now))
    session.commit()

    ended = browser.get("/cases/")
    assert ended.status_code == 302 and ended.location == "/login"
    assert browser.get("/cases/").location.startswith("/login")
    session.expire_all()
    auth = session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    assert auth and all(a.revoked_at is not None for a in auth)


def test_a_staff_session_older_than_the_rule_must_enrol(app, factory, session, monkeypatch):
    user = factory.user("admin")
    session.commit()
    browser, _ = password_step(app, user)
    assert browser.get("/admin/users").status_code == 200
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ProductionConfig.MFA_REQUIRED_ROLES)
    page = browser.get("/admin/users")
    assert page.status_code == 302 and page.location == "/mfa/enrol"
    assert browser.get("/mfa/enrol").status_code == 403  # through the e-mailed link only
    open_link(browser, session, user)
    assert browser.get("/mfa/enrol").status_code == 200


# Two requests at the same moment (PostgreSQL: real concurrent connections) ----------------------


@pytest.mark.postgres_only
def test_one_code_sent_twice_at_the_same_moment_lets_in_once(app):
    import threading

    from dispute_portal.auth.models import User
    from dispute_portal.db import db, utcnow

    with app.app_context():
        user = Factory(db.session, app.config).user("investor")
        secret = ops.new_secret()
        # Enrolled with the previous step's code, so the current one is still unused.
        ops.enable(
            db.session, user, secret=secret, code=totp(secret, utcnow() - dt.timedelta(seconds=30))
        )
        db.session.commit()
        user_id = user.id
    code = totp(secret, utcnow())
    ready = threading.Barrier(2)
    results: list[bool] = []

    def attempt() -> None:
        with app.app_context():
            someone = db.session.get(User, user_id)
            ready.wait()
            results.append(ops.check_totp(db.session, someone, code))
            db.session.commit()

    try:
        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == [False, True]
    finally:
        with app.app_context():
            bypass_triggers(db.session())  # its security events lose their user (SET NULL)
            db.session.delete(db.session.get(User, user_id))
            rebuild_log(db.session())


def test_turning_it_on_ends_the_other_sessions_that_had_no_second_factor(
    app, login_as, session, clock
):
    browser, user = login_as("investor")
    other = Browser(app)
    other.login(user)
    page = text(browser.get("/mfa/enrol"))
    secret = re.sub(r"<[^>]+>|\s", "", KEY_RE.search(page).group(1))
    assert browser.post("/mfa/enrol", {"code": totp(secret, clock.now)}).status_code == 200

    assert browser.get("/cases/").status_code == 200  # where it was turned on: goes on
    ended = other.get("/cases/")
    assert ended.status_code == 302 and ended.location == "/login"
    assert other.get("/cases/").location.startswith("/login")


# Staff enrol through a link sent to their address ----------------------------------------------

LINK_RE = re.compile(r"http://[^/\s]+(/mfa/link/[A-Za-z0-9_-]+)")


def enrol_link(session, user) -> str:
    """The path of the newest enrolment link e-mailed to the user."""
    session.expire_all()
    mails = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == user.email)
        .order_by(OutboxMessage.id.desc())
    )
    return next(m for m in (LINK_RE.search(mail.body) for mail in mails) if m).group(1)


@pytest.mark.parametrize("required_now", [True, False])
def test_the_first_password_alone_cannot_bind_an_authenticator_to_a_staff_account(
    app, factory, session, monkeypatch, required_now
):
    if required_now:
        monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ProductionConfig.MFA_REQUIRED_ROLES)
    user = factory.user("clerk")
    session.commit()
    browser, response = password_step(app, user)
    browser._token = None  # the session may have started: a fresh one, a fresh token
    if not required_now:
        assert response.status_code == 302
    page = browser.get("/mfa/enrol")
    assert page.status_code == 403
    assert KEY_RE.search(text(page)) is None and "<svg" not in text(page)
    assert "link" in text(page)
    refused = browser.post("/mfa/enrol", {"code": "123456"})
    assert refused.status_code == 403
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None


def test_a_new_staff_account_enrols_through_the_link_mailed_to_it(
    app, login_as, session, clock, monkeypatch
):
    admin_browser, _admin = login_as("admin")
    created = admin_browser.post(
        "/admin/users",
        {
            "name": "Nurlan Clerk",
            "email": "nurlan@example.com",
            "role": "clerk",
            "password": "first password handed over 9",
        },
    )
    assert created.status_code in (302, 200)
    user = find_user(session, "nurlan@example.com")
    link = enrol_link(session, user)
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ProductionConfig.MFA_REQUIRED_ROLES)

    browser = MfaBrowser(app)
    page = browser.get(link)
    assert page.status_code == 200 and "Set up two-factor authentication" in text(page)
    assert page.headers["Cache-Control"] == "no-store"
    response = browser.post(
        "/login", {"email": user.email, "password": "first password handed over 9"}
    )
    assert response.location == "/mfa/enrol"
    page = browser.get("/mfa/enrol")
    assert page.status_code == 200
    secret = re.sub(r"<[^>]+>|\s", "", KEY_RE.search(text(page)).group(1))
    done = browser.post("/mfa/enrol", {"code": totp(secret, clock.now)})
    assert done.status_code == 200 and len(CODE_RE.findall(text(done))) == 10
    # The link is spent.
    assert MfaBrowser(app).get(link).status_code == 404


def test_staff_can_have_a_new_link_sent_to_their_own_address(app, factory, session, clock):
    user = factory.user("mediator")
    session.commit()
    browser, _ = password_step(app, user)
    browser._token = None  # the session started: a fresh one, a fresh token
    assert browser.post("/mfa/send-link").location == "/mfa/enrol"
    browser.get(enrol_link(session, user))
    page = browser.get("/mfa/enrol")
    assert page.status_code == 200 and KEY_RE.search(text(page))


def test_an_admin_resets_a_users_two_factor_and_they_enrol_again_through_a_new_link(
    app, login_as, factory, session, clock
):
    user = factory.user("arbitrator")
    session.commit()
    enable_for(factory, clock, user)
    signed_in = Browser(app)
    signed_in.login(user)  # the password alone (the demo's rule) is enough to show a session
    admin_browser, admin = login_as("admin")
    reset = admin_browser.post(f"/mfa/users/{user.id}/reset")
    assert reset.status_code == 302 and reset.location == "/admin/users"
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is None
    assert not session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    (event,) = events(session, user, "mfa_reset")
    assert event.data == {"by": admin.id}
    assert signed_in.get("/mfa/").location.startswith("/login")  # every session ended
    # They log in with the password, and enrol only through the new link.
    browser, _ = password_step(app, user)
    assert browser.get("/mfa/enrol").status_code == 403
    browser.get(enrol_link(session, user))
    assert browser.get("/mfa/enrol").status_code == 200


@pytest.mark.parametrize("role", ["clerk", "investor", "mediator"])
def test_only_an_admin_resets_two_factor(app, login_as, factory, session, clock, role):
    user = factory.user("arbitrator")
    session.commit()
    enable_for(factory, clock, user)
    browser, _ = login_as(role)
    assert browser.post(f"/mfa/users/{user.id}/reset").status_code == 403
    assert session.scalar(select(MfaSecret).where(MfaSecret.user_id == user.id)) is not None
