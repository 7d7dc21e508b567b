"""Personal access tokens (issue 18): made on the account page and shown once, only their
digest stored, listed with their last use, revoked; presented, they open only while usable
and only for an active account; staff whose role needs two-factor authentication make them
only once they have it; each made and revoked is in the security log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from dispute_portal.api import tokens
from dispute_portal.api.models import ApiToken, TokenScope
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.mfa.models import MfaSecret

NO_MFA: dict[str, object] = {"MFA_REQUIRED_ROLES": ()}
STAFF_MFA: dict[str, object] = {"MFA_REQUIRED_ROLES": ("clerk",)}


def _logged(session, user, action: str) -> list[dict]:
    return [
        e.data
        for e in session.scalars(
            select(SecurityEvent)
            .where(SecurityEvent.user_id == user.id, SecurityEvent.action == action)
            .order_by(SecurityEvent.seq)
        )
    ]


def test_a_token_is_shown_once_and_only_its_digest_is_kept(factory, session):
    user = factory.user(Role.INVESTOR)
    token, plain = tokens.create(session, user, name=" Matter system ", scope=TokenScope.READ,
                                 days=90, config=NO_MFA)  # fmt: skip
    assert plain.startswith("dpat_") and len(plain) > 40
    assert token.name == "Matter system" and token.prefix == plain[: tokens.SHOWN]
    assert token.digest == tokens.digest(plain) and plain not in repr(vars(token))
    assert token.expires_at - token.created_at == dt.timedelta(days=90)
    assert _logged(session, user, "api_token_created") == [
        {"token": token.id, "scope": "read", "days": 90}
    ]
    assert tokens.authenticate(session, plain) is token
    assert token.last_used_at is None and tokens.use_to_record(token)
    tokens.record_use(token)
    assert token.last_used_at is not None and not tokens.use_to_record(token)


@pytest.mark.parametrize(
    "presented",
    ["", "dpat_", "dpat_" + "x" * 43, "Bearer dpat_abc", "ghp_" + "x" * 36, "dpat_" + "y" * 500],
)
def test_anything_but_a_token_opens_nothing(factory, session, presented):
    user = factory.user(Role.INVESTOR)
    tokens.create(session, user, name="x", scope=TokenScope.READ, days=30, config=NO_MFA)
    assert tokens.authenticate(session, presented) is None


def test_a_token_stops_at_its_expiry_its_revocation_and_its_accounts_end(factory, session):
    user = factory.user(Role.INVESTOR)
    expiring, plain = tokens.create(session, user, name="a", scope=TokenScope.READ, days=30,
                                    config=NO_MFA)  # fmt: skip
    with frozen_time(utcnow() + dt.timedelta(days=30, seconds=1)):
        assert tokens.authenticate(session, plain) is None
    revoked, other = tokens.create(session, user, name="b", scope=TokenScope.READ_WRITE,
                                   days=365, config=NO_MFA)  # fmt: skip
    tokens.revoke(session, user, revoked)
    assert tokens.authenticate(session, other) is None
    with pytest.raises(tokens.TokenRefused, match="revoked already"):
        tokens.revoke(session, user, revoked)
    assert _logged(session, user, "api_token_revoked") == [{"token": revoked.id}]
    assert tokens.authenticate(session, plain) is expiring
    user.is_active = False
    assert tokens.authenticate(session, plain) is None


def test_nobody_revokes_anothers_token(factory, session):
    owner, other = factory.user(Role.INVESTOR), factory.user(Role.INVESTOR)
    token, _plain = tokens.create(session, owner, name="a", scope=TokenScope.READ, days=30,
                                  config=NO_MFA)  # fmt: skip
    with pytest.raises(tokens.TokenRefused, match="not one of your tokens"):
        tokens.revoke(session, other, token)
    assert token.revoked_at is None


def test_staff_need_two_factor_authentication_to_make_a_token(factory, session):
    clerk = factory.user(Role.CLERK)
    with pytest.raises(tokens.TokenRefused, match="two-factor"):
        tokens.create(session, clerk, name="a", scope=TokenScope.READ, days=30, config=STAFF_MFA)
    assert tokens.of_user(session, clerk) == []
    session.add(MfaSecret(user_id=clerk.id, secret="not used here", last_step=0))
    session.flush()
    token, _plain = tokens.create(session, clerk, name="a", scope=TokenScope.READ, days=30,
                                  config=STAFF_MFA)  # fmt: skip
    assert tokens.of_user(session, clerk) == [token]


def test_bad_requests_make_no_token(factory, session):
    user = factory.user(Role.INVESTOR)
    for name, days in (("", 30), ("x" * 101, 30), ("a", 7), ("a", 3650)):
        with pytest.raises(tokens.TokenRefused):
            tokens.create(session, user, name=name, scope=TokenScope.READ, days=days,
                          config=NO_MFA)  # fmt: skip
    for i in range(tokens.MAX_TOKENS):
        tokens.create(session, user, name=f"t{i}", scope=TokenScope.READ, days=30, config=NO_MFA)
    with pytest.raises(tokens.TokenRefused, match="revoke one first"):
        tokens.create(session, user, name="one more", scope=TokenScope.READ, days=30,
                      config=NO_MFA)  # fmt: skip
    assert len(tokens.of_user(session, user)) == tokens.MAX_TOKENS


def test_the_account_page_makes_lists_and_revokes(login_as, session):
    browser, user = login_as("investor")
    page = browser.get("/account").get_data(as_text=True)
    assert 'href="/account/tokens"' in page
    assert "You have made no token." in browser.get("/account/tokens").get_data(as_text=True)

    bad = browser.post("/account/tokens", {"name": "", "scope": "read", "days": "90"})
    assert bad.status_code == 400 and session.scalars(select(ApiToken)).all() == []
    made = browser.post("/account/tokens", {"name": "Case system", "scope": "read", "days": "90"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    plain = re.search(r'value="(dpat_[^"]+)"', made.get_data(as_text=True)).group(1)
    (token,) = session.scalars(select(ApiToken)).all()
    assert token.digest == tokens.digest(plain) and token.user_id == user.id
    # Shown once: the list shows its first characters only.
    listed = browser.get("/account/tokens").get_data(as_text=True)
    assert plain not in listed and f"{token.prefix}…" in listed and "Case system" in listed

    gone = browser.post(f"/account/tokens/{token.id}/revoke", {})
    assert gone.status_code == 302
    session.refresh(token)
    assert token.revoked_at is not None
    assert tokens.authenticate(session, plain) is None
    assert "Revoked on" in browser.get("/account/tokens").get_data(as_text=True)
    # Revoked again (from another tab): said so, nothing changes.
    revoked_at = token.revoked_at
    assert browser.post(f"/account/tokens/{token.id}/revoke", {}).status_code == 302
    assert "This token is revoked already." in browser.get("/account/tokens").get_data(as_text=True)
    session.refresh(token)
    assert token.revoked_at == revoked_at


def test_anothers_token_is_not_found(login_as, factory, session):
    owner = factory.user(Role.INVESTOR)
    token, _plain = tokens.create(session, owner, name="a", scope=TokenScope.READ, days=30,
                                  config=NO_MFA)  # fmt: skip
    session.commit()
    browser, _ = login_as("investor")
    assert browser.post(f"/account/tokens/{token.id}/revoke", {}).status_code == 404
    session.refresh(token)
    assert token.revoked_at is None
