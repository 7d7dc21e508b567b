"""Rate limits: failed logins per account and per address, the public pages that check a
secret, and the limiter's storage (memory for the demo, Redis shared between workers).

The limiter is off in TestingConfig (its counters would leak from test to test: every test
client is 127.0.0.1); the `limited` fixture switches it on with empty counters, and the
`clock` fixture pins the portal's clock (`frozen_time`), which is also the limiter's.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth import limits
from dispute_portal.auth.limits import Limiter, parse_rules
from dispute_portal.db import frozen_time

from .conftest import Browser, ProductionForTests
from .factories import Factory

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # on a 1-minute, 15-minute, hour boundary
WRONG = "not the password at all"


def _browser(app, ip: str = "127.0.0.1") -> Browser:
    b = Browser(app)
    b.client.environ_base["REMOTE_ADDR"] = ip
    return b


def _attempt(browser: Browser, email: str, password: str = WRONG):
    return browser.post("/login", {"email": email, "password": password})


def _log_out(browser: Browser) -> None:
    browser._token = None  # the login began a new session, with a new CSRF token
    assert browser.post("/logout").status_code == 302
    browser._token = None


def _events(session, action: str) -> list[SecurityEvent]:
    return list(
        session.scalars(
            select(SecurityEvent).where(SecurityEvent.action == action).order_by(SecurityEvent.seq)
        )
    )


# Per account -----------------------------------------------------------------------------------


def test_failures_pause_then_lock_the_account_with_429_and_retry_after(
    app, factory, session, limited, clock
):
    user = factory.user("clerk")
    session.commit()
    browser = _browser(app)
    for _ in range(3):
        response = _attempt(browser, user.email)
        assert response.status_code == 200
        assert "Wrong email address or password." in response.get_data(as_text=True)
    # Slowed: after 3 failures within a minute, a pause of a minute.
    paused = _attempt(browser, user.email)
    assert paused.status_code == 429
    assert paused.headers["Retry-After"] == "61"
    page = paused.get_data(as_text=True)
    assert "Too many wrong passwords" in page and "Try again in 2 minutes." in page
    clock.advance(minutes=2)
    assert _attempt(browser, user.email).status_code == 200  # 4th failure
    assert _attempt(browser, user.email).status_code == 200  # 5th failure
    # Refused: 5 failures in 15 minutes lock the account until the window has passed.
    locked = _attempt(browser, user.email, Factory.PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == str(15 * 60 - 2 * 60 + 1)
    assert browser.get("/registry/intake").status_code == 302  # not logged in
    clock.advance(minutes=14)  # 16 minutes after the first failures
    assert _attempt(browser, user.email, Factory.PASSWORD).status_code == 302


def test_the_account_is_counted_under_any_spelling_and_from_any_address(
    app, factory, session, limited, clock
):
    user = factory.user("investor", email="saule@example.com")
    session.commit()
    for ip, spelling in [
        ("10.0.0.1", "saule@example.com"),
        ("10.0.0.2", "SAULE@Example.com"),
        ("10.0.0.3", "  saule@example.COM "),
    ]:
        assert _attempt(_browser(app, ip), spelling).status_code == 200
    assert _attempt(_browser(app, "10.0.0.4"), user.email, Factory.PASSWORD).status_code == 429


def test_unknown_addresses_are_limited_alike_so_the_answer_reveals_nothing(app, limited, clock):
    browser = _browser(app)
    answers = [_attempt(browser, "nobody@example.com").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_successful_logins_are_not_counted_and_clear_the_accounts_failures(
    app, factory, session, limited, clock
):
    user = factory.user("investor")
    session.commit()
    browser = _browser(app)
    for _ in range(5):  # more successes than the limit allows failures
        assert _attempt(browser, user.email, Factory.PASSWORD).status_code == 302
        _log_out(browser)
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email, Factory.PASSWORD).status_code == 302
    _log_out(browser)
    # The two failures before the login are forgotten: two more still get an answer.
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email).status_code == 429


# Per address -----------------------------------------------------------------------------------


def test_one_address_trying_many_accounts_is_refused(app, factory, session, limited, clock):
    user = factory.user("clerk")
    session.commit()
    attacker = _browser(app, "203.0.113.9")
    for n in range(20):  # two failures per account: no account limit is reached
        assert _attempt(attacker, f"victim{n // 2}@example.com").status_code == 200
    refused = _attempt(attacker, user.email, Factory.PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 15 * 60 + 1
    # The account itself is not locked: its owner, elsewhere, logs in.
    assert _attempt(_browser(app, "198.51.100.7"), user.email, Factory.PASSWORD).status_code == 302


def test_a_login_from_the_address_does_not_reset_its_count(app, factory, session, limited, clock):
    own = factory.user("investor")
    session.commit()
    attacker = _browser(app, "203.0.113.9")
    for n in range(19):
        _attempt(attacker, f"victim{n // 2}@example.com")
    assert _attempt(attacker, own.email, Factory.PASSWORD).status_code == 302
    _log_out(attacker)
    assert _attempt(attacker, "victim99@example.com").status_code == 200  # the 20th failure
    assert _attempt(attacker, "victim98@example.com").status_code == 429


# Audit -----------------------------------------------------------------------------------------


def test_failures_and_refusals_are_audited_once_a_minute(app, factory, session, limited, clock):
    user = factory.user("clerk")
    session.commit()
    browser = _browser(app, "192.0.2.44")
    for _ in range(3):
        _attempt(browser, user.email)
    assert [e.email for e in _events(session, "login_failed")] == [user.email] * 3
    for _ in range(3):
        assert _attempt(browser, user.email).status_code == 429
    throttled = _events(session, "login_throttled")
    assert len(throttled) == 1  # a flood of refusals is one record a minute
    assert throttled[0].email == user.email and throttled[0].ip == "192.0.2.44"
    assert throttled[0].data == {"limit": "account", "retry_after": 61}
    assert len(_events(session, "login_failed")) == 3  # refused attempts are not tried
    clock.advance(minutes=2)
    _attempt(browser, user.email)
    _attempt(browser, user.email)
    assert len(_events(session, "login_failed")) == 5
    assert _attempt(browser, user.email).status_code == 429  # another minute: recorded
    clock.advance(seconds=30)
    assert _attempt(browser, user.email).status_code == 429  # the same minute: not again
    throttled = _events(session, "login_throttled")
    assert len(throttled) == 2 and throttled[1].data["retry_after"] == 781


# The current password on the account page is a login attempt too --------------------------


def test_wrong_current_passwords_count_against_the_account(app, login_as, session, limited, clock):
    browser, user = login_as("investor")
    new = "a brand new passphrase 77"
    for _ in range(3):
        response = browser.post("/account", {"current": WRONG, "password": new, "confirm": new})
        assert response.status_code == 400
        assert "The current password is not correct." in response.get_data(as_text=True)
    refused = browser.post(
        "/account", {"current": Factory.PASSWORD, "password": new, "confirm": new}
    )
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "61"
    session.expire_all()
    assert len(_events(session, "password_change_failed")) == 3
    assert not _events(session, "password_changed")
    # ... and the login page is paused for that account as well.
    assert _attempt(_browser(app), user.email, Factory.PASSWORD).status_code == 429


# Public pages that check a secret --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/verify?code=ABCD-EFGH-JKMN"),
        ("post", "/verify"),
        ("get", "/join/not-a-real-token"),
        ("post", "/join/not-a-real-token"),
        ("get", "/password/reset/not-a-real-token"),
        ("post", "/password/reset/not-a-real-token"),
    ],
)
def test_public_secret_pages_are_limited_per_address(app, limited, clock, monkeypatch, method, url):
    monkeypatch.setitem(app.config, "RATELIMIT_PUBLIC_ADDRESS", "5 per minute")
    guesser = _browser(app, "203.0.113.50")
    data = {"code": "ABCD-EFGH-JKMN"} if "verify" in url else {}

    def send(b):
        return b.get(url) if method == "get" else b.post(url, data)

    answers = [send(guesser).status_code for _ in range(5)]
    assert 429 not in answers
    refused = send(guesser)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "61"
    assert "Too many requests came from your address." in refused.get_data(as_text=True)
    assert send(_browser(app, "198.51.100.8")).status_code != 429  # another address
    clock.advance(minutes=2)
    assert send(guesser).status_code != 429


def test_the_empty_verify_form_is_not_counted(app, limited, clock, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_PUBLIC_ADDRESS", "2 per minute")
    browser = _browser(app)
    assert all(browser.get("/verify").status_code == 200 for _ in range(5))
    assert browser.get("/verify?code=ABCD-EFGH-JKMN").status_code == 200


def test_the_default_public_limit(app, limited, clock):
    browser = _browser(app)
    answers = [browser.get("/join/not-a-real-token").status_code for _ in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429


# The storage -----------------------------------------------------------------------------------


def test_rules_are_read_from_the_settings():
    rules = parse_rules("3 per minute; 5 per 15 minutes")
    assert [(r.amount, r.seconds) for r in rules] == [(3, 60), (5, 900)]


def test_the_sliding_window_lets_attempts_back_gradually():
    limiter = Limiter("memory://")
    rules = parse_rules("5 per 15 minutes")
    start = T0.timestamp()
    for _ in range(5):
        limiter.hit("s", "who", rules, start)
    assert limiter.retry_after("s", "who", rules, start + 899) == 2
    assert limiter.retry_after("s", "who", rules, start + 901) == 0
    limiter.hit("s", "who", rules, start + 901)
    # 5 in the last window weigh less as it slides away: one more fits a fifth later.
    # The 5 of the last window weigh less as it slides away: one more fits when they weigh
    # 4, a fifth of the way into this window (180 s after it began).
    assert limiter.retry_after("s", "who", rules, start + 902) == 180 - 2 + 1


def _redis_url(app) -> str | None:
    import redis

    url = app.config["REDIS_URL"]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return None
    return url


def test_redis_counters_are_shared_between_workers(app):
    url = _redis_url(app)
    if url is None:
        pytest.skip("no Redis at REDIS_URL")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    worker_a, worker_b = Limiter(url, prefix=prefix), Limiter(url, prefix=prefix)
    rules = parse_rules("3 per minute")
    now = T0.timestamp()
    try:
        for _ in range(3):
            worker_a.hit("login-account", "x", rules, now)
        assert worker_b.retry_after("login-account", "x", rules, now) == 61
    finally:
        worker_a.reset()
    # Memory counters, by contrast, are one process's own.
    mem_a, mem_b = Limiter("memory://"), Limiter("memory://")
    for _ in range(3):
        mem_a.hit("login-account", "x", rules, now)
    assert mem_b.retry_after("login-account", "x", rules, now) == 0


def test_production_shares_the_counters_in_redis_and_keeps_the_limits_on(db_url):
    from dispute_portal import create_app
    from dispute_portal.config import Config

    assert Config.RATELIMIT_STORAGE_URI == "memory://"

    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = "https://portal.example"

    prod = create_app(Prod)
    assert prod.config["RATELIMIT_STORAGE_URI"] == prod.config["REDIS_URL"]
    assert type(prod.extensions["auth_limiter"].storage).__name__ == "RedisStorage"

    class Unlimited(Prod):
        RATELIMIT_ENABLED = False

    with pytest.raises(SystemExit, match="rate limits"):
        create_app(Unlimited)


def test_an_unreachable_storage_lets_logins_through_and_says_so(
    app, factory, session, limited, monkeypatch, caplog
):
    user = factory.user("investor")
    session.commit()
    monkeypatch.setitem(app.extensions, "auth_limiter", Limiter("redis://127.0.0.1:9/0"))
    browser = _browser(app)
    assert _attempt(browser, user.email).status_code == 200
    assert _attempt(browser, user.email, Factory.PASSWORD).status_code == 302
    assert "rate limit storage failed" in caplog.text


# Counted before the check, atomically ----------------------------------------------------------


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_parallel_wrong_passwords_check_exactly_the_limit(app, limited, monkeypatch, storage):
    """20 wrong passwords at once for one account: exactly 3 (the limit) are checked. Each
    attempt is counted before its password is checked, so none can slip in between another's
    check and its count (the storage's own atomic increment decides)."""
    if storage == "redis":
        url = _redis_url(app)
        assert url is not None, "Redis must run on 127.0.0.1:6379 for this test"
        limiter = Limiter(url, prefix=f"portal-test-{uuid.uuid4().hex}")
        monkeypatch.setitem(app.extensions, "auth_limiter", limiter)
    else:
        limiter = limited
    start = threading.Barrier(20)
    checked: list[int] = []

    def attempt(n: int) -> None:
        with app.test_request_context(environ_base={"REMOTE_ADDR": f"10.1.0.{n}"}):
            start.wait()
            if limits.count_login_attempt("racer@example.com") is None:
                checked.append(n)  # the password would be checked (and found wrong) here
                time.sleep(0.02)  # as long as an Argon2 check, so the others overlap it

    try:
        with frozen_time(T0):
            threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        if storage == "redis":
            limiter.reset()
    assert len(checked) == 3
