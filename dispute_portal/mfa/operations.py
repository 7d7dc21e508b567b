"""Enrolment, verification and removal of the second factor (no Flask here).

Keys: the TOTP secrets are stored encrypted (Fernet) and the recovery codes as HMAC-SHA256
digests, both under keys derived (core.keys) from the app's MFA_KEY, or SECRET_KEY when
that is not set. Recovery codes are random (50 bits), not chosen by people, so a slow password hash
buys nothing against guessing; the keyed hash means a copy of the database alone is not
enough to test guesses offline. Changing the key makes every enrolment unusable: set
MFA_KEY to the old SECRET_KEY before rotating SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

import pyotp
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..audit.models import SecurityEvent
from ..audit.operations import log_security
from ..auth import links
from ..auth.models import STAFF_ROLES, User
from ..auth.passwords import verify_password
from ..core import keys
from ..db import rowcount, utcnow
from ..texts import N_, Refusal
from .models import MfaChallenge, MfaEnrolLink, MfaSecret, Purpose, RecoveryCode

ISSUER = "Dispute Portal"
STEP_SECONDS = 30
# Codes of the previous and next step count too: phones' clocks drift by a few seconds.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_LENGTH = 10
# Crockford's base 32: no I, L, O or U, so a code read off paper is not misread.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FAILURE_LIMIT = 5  # wrong codes per pending login
# Wrong codes per account over all its pending logins: a new login with the (known)
# password must not buy another five guesses without end.
ACCOUNT_FAILURE_LIMIT = 10
ACCOUNT_FAILURE_WINDOW = dt.timedelta(minutes=15)
PENDING_SECONDS = 5 * 60
# Setting up an app (perhaps installing one first) takes longer than typing a code.
ENROL_PENDING_SECONDS = 15 * 60


NEEDS_LINK = N_(
    "Two-factor authentication of this account is set up through the link e-mailed to its address."
)


class MfaError(Refusal):
    def __init__(self, message: str, *, field: str = "code", **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


# Keys ------------------------------------------------------------------------------------------


def _config(session: Session) -> Mapping[str, Any]:
    return session.info.get("config") or {}


TOTP_SECRET = b"totp secret v1"


def encrypt_secret(config: Mapping[str, Any], secret: str) -> str:
    return keys.encrypt(config, TOTP_SECRET, secret)


def decrypt_secret(config: Mapping[str, Any], token: str) -> str | None:
    return keys.decrypt(config, TOTP_SECRET, token)


def _code_hash(config: Mapping[str, Any], user_id: int, code: str) -> str:
    key = keys.derived(config, b"recovery code v1")
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


# TOTP ------------------------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()  # 32 characters: 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def step_at(when: dt.datetime) -> int:
    return int(when.timestamp()) // STEP_SECONDS


def _clean_digits(code: str) -> str | None:
    code = "".join((code or "").split())
    return code if len(code) == 6 and code.isascii() and code.isdigit() else None


def matching_step(secret: str, code: str, when: dt.datetime) -> int | None:
    """The time step (around `when`) whose code this is, or None."""
    digits = _clean_digits(code)
    if digits is None:
        return None
    totp = pyotp.TOTP(secret)
    now = step_at(when)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Compare every candidate, so the time taken says nothing about which one matched.
        if hmac.compare_digest(totp.generate_otp(step), digits) and found is None:
            found = step
    return found


# State -----------------------------------------------------------------------------------------


def is_required(config: Mapping[str, Any], user: User) -> bool:
    return user.role.value in set(config.get("MFA_REQUIRED_ROLES") or ())


def needs_link(user: User) -> bool:
    """Accounts made by an admin (or an invitation) enrol only through an e-mailed link
    (mfa.enrolment): their first password may be known to someone else."""
    return user.role in STAFF_ROLES


def secret_row(session: Session, user: User, *, lock: bool = False) -> MfaSecret | None:
    query = select(MfaSecret).where(MfaSecret.user_id == user.id)
    if lock:
        # Two requests with the same code queue here: only the first finds its step unused.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def is_enabled(session: Session, user: User) -> bool:
    return secret_row(session, user) is not None


def enabled_at_login_check(session: Session, user: User) -> bool:
    """is_enabled, as read with the login session at the start of this request (the gate
    asks right after: auth.operations.find_session reads it in the same query)."""
    if user.second_factor_enabled is not None:
        return user.second_factor_enabled
    return is_enabled(session, user)


def recovery_codes_left(session: Session, user: User) -> int:
    rows = session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    return len(rows)


# Enrolment and removal -------------------------------------------------------------------------


def enable(
    session: Session, user: User, *, secret: str, code: str, link: str | None = None
) -> list[str]:
    """Confirm enrolment with a current code; returns the recovery codes (shown once).
    A staff account also needs its enrolment link (`link`, its token), which is spent."""
    if is_enabled(session, user):
        raise MfaError(N_("Two-factor authentication is already on for this account."))
    row = links.find(session, MfaEnrolLink, link or "", lock=True) if needs_link(user) else None
    if needs_link(user) and (row is None or row.user_id != user.id):
        raise MfaError(NEEDS_LINK)
    step = matching_step(secret, code, utcnow())
    if step is None:
        raise MfaError(N_("That code is not right. Enter the 6 digits your app shows now."))
    if row is not None:
        row.used_at = utcnow()
    session.add(
        MfaSecret(
            user_id=user.id,
            secret=encrypt_secret(_config(session), secret),
            enabled_at=utcnow(),
            last_step=step,  # the code that confirmed enrolment cannot also log in
        )
    )
    codes = _replace_recovery_codes(session, user)
    log_security(session, "mfa_enabled", user=user)
    return codes


def regenerate_recovery_codes(
    session: Session, user: User, *, code: str = "", password: str = ""
) -> list[str]:
    if not is_enabled(session, user):
        raise MfaError(N_("Two-factor authentication is off for this account."))
    _confirm_identity(session, user, code=code, password=password)
    codes = _replace_recovery_codes(session, user)
    log_security(session, "mfa_recovery_renewed", user=user)
    return codes


def disable(
    session: Session, user: User, *, code: str = "", password: str = "", required: bool = False
) -> None:
    if required:
        raise MfaError(N_("Your role requires two-factor authentication; it cannot be turned off."))
    if not is_enabled(session, user):
        raise MfaError(N_("Two-factor authentication is off for this account."))
    _confirm_identity(session, user, code=code, password=password)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(MfaSecret).where(MfaSecret.user_id == user.id))
    log_security(session, "mfa_disabled", user=user)


def _confirm_identity(session: Session, user: User, *, code: str, password: str) -> None:
    """A current code from the app, or the account's password."""
    if code and check_totp(session, user, code):
        return
    if password and verify_password(user.password_hash, password):
        return
    if not code and not password:
        raise MfaError(N_("Enter a code from your app or your password."))
    raise MfaError(N_("That code or password is not right."))


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODES:
        codes.add("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)))
    config = _config(session)
    now = utcnow()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_code_hash(config, user.id, c), created_at=now)
        for c in codes
    )
    session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in sorted(codes)]


# Verification ----------------------------------------------------------------------------------


def check_totp(session: Session, user: User, code: str) -> bool:
    """A current code not used before; accepting it spends its time step."""
    row = secret_row(session, user, lock=True)
    if row is None:
        return False
    secret = decrypt_secret(_config(session), row.secret)
    if secret is None:
        return False
    step = matching_step(secret, code, utcnow())
    if step is None or step <= row.last_step:
        return False
    row.last_step = step
    session.flush()
    return True


def _clean_recovery(code: str) -> str | None:
    code = "".join(ch for ch in (code or "").upper() if ch not in " -")
    code = code.translate(str.maketrans("ILO", "110"))  # what a misread I, L or O meant
    if len(code) != RECOVERY_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in code):
        return None
    return code


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """Spend one recovery code. The conditional update makes it single-use even when two
    requests present it at the same moment."""
    clean = _clean_recovery(code)
    if clean is None:
        return False
    spent = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(_config(session), user.id, clean),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(spent) != 1:
        return False
    log_security(session, "mfa_recovery_used", user=user)
    return True


def check_second_factor(session: Session, user: User, code: str) -> str | None:
    """Which factor the code was ("totp" or "recovery"), or None if it is neither."""
    if _clean_digits(code) is not None:
        return "totp" if check_totp(session, user, code) else None
    return "recovery" if use_recovery_code(session, user, code) else None


# Pending logins --------------------------------------------------------------------------------


def open_challenge(session: Session, user: User, purpose: Purpose) -> MfaChallenge:
    """A pending login; any earlier pending login of this account ends."""
    session.execute(delete(MfaChallenge).where(MfaChallenge.user_id == user.id))
    token = secrets.token_urlsafe(32)
    challenge = MfaChallenge(
        user_id=user.id,
        token_hash=MfaChallenge.hash_token(token),
        purpose=purpose,
        created_at=utcnow(),
        failures=0,
    )
    challenge.token = token
    session.add(challenge)
    session.flush()
    return challenge


def pending_challenge(
    session: Session, token: Any, user_id: Any, purpose: Purpose
) -> MfaChallenge | None:
    """The pending login, locked, if it is still open; an expired one is deleted."""
    if not isinstance(token, str) or not token or not isinstance(user_id, int):
        return None
    challenge = session.scalar(
        select(MfaChallenge)
        .where(MfaChallenge.token_hash == MfaChallenge.hash_token(token))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if challenge is None or challenge.user_id != user_id or challenge.purpose is not purpose:
        return None
    lifetime = PENDING_SECONDS if purpose is Purpose.VERIFY else ENROL_PENDING_SECONDS
    lifetime = int(_config(session).get(f"MFA_{purpose.name}_SECONDS", lifetime))
    expired = utcnow() - challenge.created_at >= dt.timedelta(seconds=lifetime)
    if expired or challenge.failures >= FAILURE_LIMIT:
        session.delete(challenge)
        session.flush()
        return None
    return challenge


def account_throttled(session: Session, user: User) -> bool:
    """Too many wrong codes for this account lately: no code is even checked until the
    window has passed. Counted from the security log, which no cookie can rewind."""
    config = _config(session)
    limit = int(config.get("MFA_ACCOUNT_FAILURES", ACCOUNT_FAILURE_LIMIT))
    since = utcnow() - ACCOUNT_FAILURE_WINDOW
    count = session.scalar(
        select(func.count(SecurityEvent.id)).where(
            SecurityEvent.user_id == user.id,
            SecurityEvent.action == "mfa_failed",
            SecurityEvent.at > since,
        )
    )
    return (count or 0) >= limit


def record_failure(session: Session, challenge: MfaChallenge, user: User) -> bool:
    """Count a wrong code; True when that was the last allowed and the login is dropped."""
    challenge.failures += 1
    dropped = challenge.failures >= FAILURE_LIMIT
    log_security(
        session,
        "mfa_failed",
        user=user,
        data={"attempt": challenge.failures, "dropped": dropped},
    )
    if dropped:
        session.delete(challenge)
    session.flush()
    return dropped


def close_challenge(session: Session, challenge: MfaChallenge) -> None:
    session.delete(challenge)
    session.flush()
