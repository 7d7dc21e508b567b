"""Rate limits on guessing: failed logins per account and per address, and the public pages
that take a secret (ruling verification codes, invitation and password reset links).

A small limiter over the `limits` package's storage (the one Flask-Limiter uses), not
Flask-Limiter itself: what is counted here is *failures* keyed by the normalised e-mail
typed into a form, known only once the view has checked the password, and the answers are
the portal's own pages (the login form with its message, a translated error page), each
refusal audited. Flask-Limiter counts requests around a view from the request alone.

Counting is a sliding window (the current fixed window plus the previous one, weighted by
how much of it still overlaps), the clock is the portal's `utcnow()` (so tests move it with
`frozen_time`), and the counters live in RATELIMIT_STORAGE_URI: "memory://" for one process
(the demo), Redis in production so every worker sees the same counts. If the storage is
unreachable the limits let requests through and the error is logged: an outage of Redis
must not lock everyone out of the portal (passwords are still checked, failures audited).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar, cast

from flask import current_app, render_template, request
from flask.sansio.app import App
from limits import parse_many
from limits.storage import Storage, storage_from_string

from ..core.typed import gettext, ngettext
from ..db import utcnow
from .operations import normalise_email

log = logging.getLogger(__name__)

EXTENSION = "auth_limiter"

D = TypeVar("D")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Rule:
    amount: int
    seconds: int


def parse_rules(text: str) -> tuple[Rule, ...]:
    """ "3 per minute; 5 per 15 minutes" -> the rules, all of which must hold."""
    return tuple(Rule(item.amount, item.get_expiry()) for item in parse_many(text))


class Limiter:
    """Counters of events per (scope, identity) in sliding windows."""

    def __init__(self, storage_uri: str, *, prefix: str = "portal") -> None:
        # Redis keys read "portal:<scope>:<rule>:<identity>:<window>".
        # The settings name synchronous storages (memory://, redis://), never async+ ones.
        self.storage = cast(Storage, storage_from_string(storage_uri, key_prefix=prefix))
        # Redis's INCR is atomic across workers; the memory storage reads its count back
        # after releasing its own lock, so this process's threads take turns here as well.
        self._lock = threading.Lock()

    @staticmethod
    def _key(scope: str, ident: str, rule: Rule, window: int) -> str:
        return f"{scope}:{rule.amount}/{rule.seconds}:{ident}:{window}"

    def _counts(self, scope: str, ident: str, rule: Rule, now: float) -> tuple[int, int, float]:
        window = int(now // rule.seconds)
        current = self.storage.get(self._key(scope, ident, rule, window))
        previous = self.storage.get(self._key(scope, ident, rule, window - 1))
        into = (now - window * rule.seconds) / rule.seconds  # share of this window gone by
        return current, previous, into

    def retry_after(self, scope: str, ident: str, rules: tuple[Rule, ...], now: float) -> int:
        """Seconds until one more event is allowed under every rule (0: allowed now)."""
        wait = 0.0
        for rule in rules:
            current, previous, into = self._counts(scope, ident, rule, now)
            if previous * (1 - into) + current < rule.amount:
                continue
            window_start = int(now // rule.seconds) * rule.seconds
            if current < rule.amount:
                # The previous window's weight shrinks until one more event fits.
                free_at = window_start + (1 - (rule.amount - current) / previous) * rule.seconds
            else:
                free_at = window_start + (2 - rule.amount / current) * rule.seconds
            wait = max(wait, free_at - now)
        return math.floor(wait) + 1 if wait > 0 else 0

    def hit(self, scope: str, ident: str, rules: tuple[Rule, ...], now: float) -> None:
        for rule in rules:
            window = int(now // rule.seconds)
            self.storage.incr(self._key(scope, ident, rule, window), 2 * rule.seconds)

    def acquire(self, scope: str, ident: str, rules: tuple[Rule, ...], now: float) -> int:
        """Count one event first, then check it against every rule: 0 when it fits (it stays
        counted), else the seconds to wait (and it is taken back, so waiting is enough).

        Counting first is what makes the limit exact under concurrency: each of N parallel
        events gets its own count from the storage's atomic increment, so no two of them
        can both see "one more fits" for the last free place."""
        counted: list[tuple[str, int]] = []
        with self._lock:
            for rule in rules:
                window = int(now // rule.seconds)
                key = self._key(scope, ident, rule, window)
                current = self.storage.incr(key, 2 * rule.seconds)
                counted.append((key, 2 * rule.seconds))
                previous = self.storage.get(self._key(scope, ident, rule, window - 1))
                into = (now - window * rule.seconds) / rule.seconds
                # The same test as retry_after's, on the count before this event.
                if previous * (1 - into) + (current - 1) >= rule.amount:
                    for counted_key, expiry in counted:
                        self.storage.incr(counted_key, expiry, amount=-1)
                    break
            else:
                return 0
        return max(1, self.retry_after(scope, ident, rules, now))

    def release(self, scope: str, ident: str, rules: tuple[Rule, ...], now: float) -> None:
        """Take back one event counted by `acquire` (it turned out not to be a failure)."""
        with self._lock:
            for rule in rules:
                key = self._key(scope, ident, rule, int(now // rule.seconds))
                if self.storage.get(key) > 0:
                    self.storage.incr(key, 2 * rule.seconds, amount=-1)

    def clear(self, scope: str, ident: str, rules: tuple[Rule, ...], now: float) -> None:
        for rule in rules:
            window = int(now // rule.seconds)
            for w in (window, window - 1):
                self.storage.clear(self._key(scope, ident, rule, w))

    def first_in(self, scope: str, ident: str, seconds: int, now: float) -> bool:
        """True once per `seconds`-long window for this identity (to log a burst once)."""
        window = int(now // seconds)
        return self.storage.incr(f"{scope}:{ident}:{window}", 2 * seconds) == 1

    def reset(self) -> None:
        """Forget every counter (tests; an operator after a false alarm)."""
        self.storage.reset()


def init_app(app: App) -> Limiter:
    limiter = Limiter(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    app.extensions[EXTENSION] = limiter
    return limiter


# The portal's limits, for the views -----------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    scope: str  # "account" or "address"
    retry_after: int  # seconds


def limiter() -> Limiter:
    return cast(Limiter, current_app.extensions[EXTENSION])


def _on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _now() -> float:
    return utcnow().timestamp()


def _rules(setting: str) -> tuple[Rule, ...]:
    return parse_rules(current_app.config[setting])


def account_key(email: str) -> str:
    """The account's counter name: the normalised address, hashed (no e-mails in Redis)."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


def address() -> str:
    return request.remote_addr or "unknown"


def _guarded(default: D) -> Callable[[Callable[P, R]], Callable[P, R | D]]:
    """Run a limiter call; if the storage fails, log it and answer `default` (fail open)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R | D]:
        def call(*args: P.args, **kwargs: P.kwargs) -> R | D:
            if not _on():
                return default
            try:
                return fn(*args, **kwargs)
            except Exception:  # the storage's errors (Redis down) have no common base class
                log.exception("rate limit storage failed; %s let through", fn.__name__)
                return default

        call.__name__ = fn.__name__
        call.__doc__ = fn.__doc__
        return call

    return wrap


def _login_limits(email: str) -> tuple[tuple[str, str, str, str], ...]:
    return (
        ("account", "login-account", account_key(email), "RATELIMIT_LOGIN_ACCOUNT"),
        ("address", "login-address", address(), "RATELIMIT_LOGIN_ADDRESS"),
    )


@_guarded(None)
def count_login_attempt(email: str) -> Throttle | None:
    """Count a login (or a check of the current password) for this address, then say
    whether its password may be checked: None, or the throttle that refuses it.

    Counted before the check, so parallel guesses cannot all pass a check made before any
    of them was counted. A refused attempt is not counted; an attempt whose password was
    right is taken back (`login_succeeded`, `release_login_attempt`)."""
    now = _now()
    taken: list[tuple[str, str, tuple[Rule, ...]]] = []
    for scope, name, ident, setting in _login_limits(email):
        rules = _rules(setting)
        wait = limiter().acquire(name, ident, rules, now)
        if wait:
            for done in taken:
                limiter().release(*done, now)
            return _login_throttle(email, now) or Throttle(scope, wait)
        taken.append((name, ident, rules))
    return None


def _login_throttle(email: str, now: float) -> Throttle | None:
    """The longest wait of the login limits now (the scope that imposes it)."""
    worst = None
    for scope, name, ident, setting in _login_limits(email):
        wait = limiter().retry_after(name, ident, _rules(setting), now)
        if wait and (worst is None or wait > worst.retry_after):
            worst = Throttle(scope, wait)
    return worst


@_guarded(None)
def release_login_attempt(email: str) -> None:
    """The password was right after all: the attempt counted for it is no failure."""
    now = _now()
    for _scope, name, ident, setting in _login_limits(email):
        limiter().release(name, ident, _rules(setting), now)


@_guarded(None)
def login_succeeded(email: str) -> None:
    """A successful login clears its account's count (never the address's: an attacker
    would log in to an account of their own to reset it; only this attempt is taken back)."""
    now = _now()
    limiter().clear("login-account", account_key(email), _rules("RATELIMIT_LOGIN_ACCOUNT"), now)
    limiter().release("login-address", address(), _rules("RATELIMIT_LOGIN_ADDRESS"), now)


@_guarded(False)
def first_throttle_this_minute(throttle: Throttle, email: str) -> bool:
    """Refusals are audited once a minute per account or address, so a flood of refused
    requests cannot flood the security log as well."""
    ident = account_key(email) if throttle.scope == "account" else address()
    return limiter().first_in(f"throttled-{throttle.scope}", ident, 60, _now())


@_guarded(0)
def take(scope: str, setting: str, ident: str | None = None) -> int:
    """Count one request against a limit; the seconds to wait when it is over (0: go on).

    Counted before it is checked (see Limiter.acquire); a refused request is taken back, so
    waiting the given time is enough."""
    return limiter().acquire(scope, ident or address(), _rules(setting), _now())


@_guarded(0)
def check(scope: str, setting: str, ident: str | None = None) -> int:
    """The seconds to wait under a limit, without counting anything."""
    return limiter().retry_after(scope, ident or address(), _rules(setting), _now())


def wait_text(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes)


def too_many(seconds: int, text: str | None = None) -> tuple[str, int, dict[str, str]]:
    """The 429 page, with Retry-After."""
    body = render_template(
        "errors/error.html",
        code=429,
        title=gettext("Too many attempts"),
        text=" ".join(
            [text or gettext("Too many requests came from your address."), wait_text(seconds)]
        ),
    )
    return body, 429, {"Retry-After": str(seconds)}


# Public pages that take a secret ---------------------------------------------------------------

# endpoint -> limiter scope; counted per address, before the view runs (the views belong
# to other packages and need not know).
PUBLIC_PAGES = {
    "rulings.verify": "verify",
    "parties.join": "join",
    "auth.reset_password": "reset-link",
    "auth.activate": "activation-link",
}


def limit_public_pages() -> tuple[str, int, dict[str, str]] | None:
    """before_app_request: a request to a public page that checks a secret is counted per
    address; over the limit it is refused with 429 before the view runs."""
    scope = PUBLIC_PAGES.get(request.endpoint or "")
    if scope is None:
        return None
    if scope == "verify" and request.method == "GET" and not request.args.get("code"):
        return None  # the empty form checks nothing
    wait = take(scope, "RATELIMIT_PUBLIC_ADDRESS")
    return too_many(wait) if wait else None
