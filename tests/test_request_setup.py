"""What every logged-in request costs before its page: one statement reads the login
session, its user, whether a second factor is enrolled and the unread notifications; the
count read then is used only while nothing was written since."""

from __future__ import annotations

import re

from dispute_portal.auth import operations as auth_ops
from dispute_portal.auth.models import Role
from dispute_portal.notices import operations as notice_ops
from dispute_portal.notices.models import Notification


def _notify(session, user, n: int) -> None:
    for _ in range(n):
        session.add(Notification(user_id=user.id, message="Test notice", params={}))


def test_a_logged_in_page_reads_session_user_second_factor_and_unread_at_once(
    factory, session, login_as, count_queries
):
    browser, clerk = login_as("clerk")
    _notify(session, clerk, 2)
    session.commit()
    browser.get("/search")
    with count_queries() as queries:
        page = browser.get("/search").text
    reads = [s for s in queries.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, reads  # the search form alone needs nothing more
    assert "auth_sessions" in reads[0] and "mfa_secrets" in reads[0]
    assert "notifications" in reads[0]
    assert re.search(r'<span class="badge">2<span class="visually-hidden">', page)


def test_the_unread_count_read_with_the_session_is_counted_again_after_a_write(factory, session):
    user = factory.user(Role.INVESTOR)
    _notify(session, user, 1)
    auth = auth_ops.start_session(session, user, lifetime_hours=1)
    session.flush()
    token = auth.token_for_cookie
    assert token is not None
    found = auth_ops.find_session(session, token)
    assert found is not None and found.user is user
    assert user.second_factor_enabled is False
    assert notice_ops.unread_count(session, user) == 1
    _notify(session, user, 2)  # pending: counted anew (autoflush)
    assert notice_ops.unread_count(session, user) == 3
    notice_ops.mark_all_read(session, user)  # an UPDATE statement, nothing pending after
    assert notice_ops.unread_count(session, user) == 0
    found = auth_ops.find_session(session, token)  # read again: the count as it is now
    assert user.unread_as_loaded is not None and user.unread_as_loaded[1] == 0
    _notify(session, user, 1)
    session.flush()  # written, nothing pending: still counted anew
    assert notice_ops.unread_count(session, user) == 1
    auth_ops.find_session(session, token)
    assert user.unread_as_loaded is not None and user.unread_as_loaded[1] == 1
    notice_ops.mark_all_read(session, user)  # an UPDATE statement alone, nothing pending
    assert notice_ops.unread_count(session, user) == 0
