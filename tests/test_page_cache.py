"""The page cache (dispute_portal/pagecache): a kept page is what a fresh drawing would be.

The pages are kept under the reader, the language, the day and a data version that every
writing commit replaces; the per-request parts are filled at every answer. These tests
draw each page fresh beside the kept one, and check what must and must not drop it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, func, select, text

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.db import db
from dispute_portal.notices.models import Notification
from dispute_portal.pagecache import page as page_cache
from dispute_portal.pagecache import tracking
from dispute_portal.pagecache.models import DATA, PageVersion
from dispute_portal.pagecache.store import MemoryStore, RedisStore, TieredStore
from dispute_portal.pagecache.values import ValueCache
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser, QueryCounter, worker_redis_url
from tests.conftest import pages_drawn as drawn

CSRF = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=)"[^"]+"')
CLIENT_TOKEN = re.compile(r'(name="client_token" (?:type="hidden" )?value=)"[^"]+"')


def same(body: str) -> str:
    """A page but for its CSRF and one-time tokens (signed with the time, or random)."""
    return CLIENT_TOKEN.sub(r'\1"<t>"', CSRF.sub(r'\1"<csrf>"', body))


def fetch(browser: Browser, url: str) -> tuple[str, str]:
    response = browser.get(url)
    assert response.status_code == 200, url
    return response.headers.get(page_cache.HEADER, ""), response.get_data(as_text=True)


@pytest.fixture
def cached(app):
    """A cache of its own for the test (the app's is shared by the session's tests)."""
    cache = app.extensions["page_cache"]
    kept, cache.store = cache.store, MemoryStore(16 * 2**20)
    try:
        yield cache.store
    finally:
        cache.store = kept


@pytest.fixture
def world(factory, session, login_as, cached):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = case.appointments[0].user if case.appointments else factory.mediate(case, clerk)
    session.commit()
    return {"clerk": clerk, "case": case, "mediator": mediator, "investor": case.claimant_user}


def test_a_page_is_kept_and_served_as_drawn(app, world, login_as, session):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    first, page = fetch(browser, url)
    second, kept = fetch(browser, url)
    with drawn(app):
        _, fresh = fetch(browser, url)
    assert (first, second) == ("miss", "hit")
    assert same(kept) == same(page) == same(fresh)
    assert 'name="csrf_token"' in kept and page_cache.MARK not in kept


def test_a_commit_that_changes_a_shown_row_draws_the_page_anew(app, world, login_as, session):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    fetch(browser, url)
    world["case"].project_name = "Renamed while kept"
    session.commit()
    how, page = fetch(browser, url)
    assert how == "miss" and "Renamed while kept" in page


def test_a_write_not_yet_committed_is_neither_kept_nor_served(app, world, login_as, session):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    fetch(browser, url)
    world["case"].project_name = "Seen only inside this transaction"
    session.flush()  # the test's requests share its connection: they see it, nobody else
    how, page = fetch(browser, url)
    assert how == "bypass" and "Seen only inside this transaction" in page
    session.commit()
    assert fetch(browser, url)[0] == "miss"


def test_readers_languages_and_days_each_have_their_own_page(
    app, world, login_as, factory, session, clock
):
    url = "/registry/docket"
    one, _ = login_as("clerk", user=world["clerk"])
    other, _ = login_as("clerk")
    assert fetch(one, url)[0] == "miss"
    assert fetch(other, url)[0] == "miss"  # another clerk: never the first one's page
    assert fetch(one, url)[0] == "hit"
    one.post("/language", {"locale": "ru", "next": url})
    how, page = fetch(one, url)
    assert how == "miss" and 'lang="ru"' in page
    clock.advance(hours=10)  # past midnight in Almaty: another day
    one.login(world["clerk"])
    assert fetch(one, url)[0] == "miss"


def test_writes_that_no_page_shows_keep_the_pages(app, world, login_as, session):
    browser, user = login_as("clerk", user=world["clerk"])
    url = "/registry/docket"
    unread = session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    fetch(browser, url)
    session.add(Notification(user_id=user.id, message="Hello", params={}))
    session.commit()
    how, page = fetch(browser, url)
    assert how == "hit", page
    assert f'<span class="badge">{unread + 1}<' in page  # the count is live around the page
    with drawn(app):
        assert same(fetch(browser, url)[1]) == same(page)


def test_a_flash_shows_once_on_a_kept_page(app, world, login_as):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    fetch(browser, url)
    with browser.client.session_transaction() as flask_session:
        flask_session["_flashes"] = [("success", "Done for this reader")]
    how, page = fetch(browser, url)
    assert how == "hit" and "Done for this reader" in page
    assert "Done for this reader" not in fetch(browser, url)[1]


def test_one_time_form_tokens_are_new_at_every_answer(app, world, login_as):
    browser = Browser(app)
    browser.login(world["investor"])
    pages = [fetch(browser, "/cases/") for _ in range(2)]
    assert [how for how, _ in pages] == ["miss", "hit"]
    tokens = [re.search(r'name="client_token" type="hidden" value="([^"]+)"', p) for _, p in pages]
    assert all(tokens) and tokens[0].group(1) != tokens[1].group(1)


def test_a_meeting_that_has_begun_draws_the_page_anew(app, world, login_as, session, clock):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    mediator = Browser(app)
    mediator.login(world["mediator"])
    starts = clock.now + dt.timedelta(hours=2)
    local = starts.astimezone(dt.timezone(dt.timedelta(hours=5)))
    response = mediator.post(
        f"/cases/{world['case'].id}/meetings/new",
        {
            "on_date": local.date().isoformat(),
            "at_time": local.strftime("%H:%M"),
            "place": "Room 4",
            "version": str(world["case"].version),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    fetch(browser, url)
    assert fetch(browser, url)[0] == "hit"
    clock.advance(hours=3)
    browser.login(world["clerk"])  # the session was idle for longer than it may be
    how, page = fetch(browser, url)
    with drawn(app):
        _, fresh = fetch(browser, url)
    assert how == "miss" and same(page) == same(fresh)


def test_a_title_holding_the_hole_mark_is_served_but_not_kept(app, world, login_as, session):
    browser, _ = login_as("clerk", user=world["clerk"])
    world["case"].project_name = f"Odd {page_cache.MARK}csrf{page_cache.MARK} title"
    session.commit()
    url = f"/cases/{world['case'].id}"
    assert [fetch(browser, url)[0] for _ in range(2)] == ["miss", "miss"]


def test_statements_are_read_as_writes_unless_they_touch_only_exempt_tables():
    assert not tracking.is_write("SELECT * FROM cases")
    assert not tracking.is_write("  savepoint sa_savepoint_1")
    assert tracking.is_write("UPDATE cases SET title=? WHERE cases.id = ?")
    assert tracking.is_write('INSERT INTO "documents" (case_id) VALUES (?)')
    assert tracking.is_write("DELETE FROM parties WHERE id = 1")
    assert tracking.is_write("WITH x AS (DELETE FROM cases RETURNING id) SELECT 1")
    assert tracking.is_write("ALTER TABLE cases DISABLE TRIGGER USER")
    assert not tracking.is_write("UPDATE auth_sessions SET last_seen_at=? WHERE id = ?")
    assert not tracking.is_write("INSERT OR REPLACE INTO notifications (id) VALUES (1)")


def test_no_kept_page_reads_a_table_whose_writes_keep_it(app, world, cached):
    """The exempt tables are exempt because no kept page reads them: every statement sent
    while a kept page is drawn (its holes are filled afterwards) is checked."""
    pages = {
        "clerk": ["/registry/docket", f"/cases/{world['case'].id}", "/search?q=Solar"],
        "mediator": ["/caseload", f"/cases/{world['case'].id}"],
        "investor": ["/cases/", f"/cases/{world['case'].id}"],
    }
    drawing: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if page_cache._drawing.get() is not None:
            drawing.append(statement)

    engine = db.engine_for(app)
    event.listen(engine, "before_cursor_execute", note)
    try:
        for role, urls in pages.items():
            browser = Browser(app)
            browser.login(world[role])
            for url in urls:
                assert fetch(browser, url)[0] == "miss"
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(drawing) > 20
    for table in tracking.EXEMPT_TABLES:
        read = [s for s in drawing if re.search(rf'\b(FROM|JOIN) "?{table}\b', s)]
        assert not read, f"a kept page reads {table}: {read[0][:300]}"


def test_the_data_version_changes_with_a_write_and_only_then(app, world, session):
    def version() -> str:
        return session.scalar(select(PageVersion.token).where(PageVersion.name == DATA))

    before = version()
    session.execute(text("SELECT 1"))
    session.commit()
    assert version() == before
    session.add(Notification(user_id=world["clerk"].id, message="Hi", params={}))
    session.commit()
    assert version() == before
    world["case"].summary = "A change a page shows"
    session.commit()
    assert version() != before


def test_the_redis_store_keeps_pages_and_a_lost_redis_only_costs_a_drawing():
    store = RedisStore(worker_redis_url())
    store.clear()
    store.put("k", b"page")
    assert store.get("k") == b"page"
    store.clear()
    assert store.get("k") is None
    gone = RedisStore("redis://127.0.0.1:1/0")
    gone.put("k", b"page")
    assert gone.get("k") is None


def test_the_memory_store_keeps_the_most_recent_pages_within_its_bound():
    store = MemoryStore(10)
    store.put("a", b"12345")
    store.put("b", b"12345")
    assert store.get("a") == b"12345"  # now the most recent
    store.put("c", b"123")
    assert store.get("b") is None and store.get("a") and store.get("c")
    store.put("huge", b"x" * 11)
    assert store.get("huge") is None


def test_documents_filed_show_on_the_kept_case_page(app, world, login_as, factory, session):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = f"/cases/{world['case'].id}"
    fetch(browser, url)
    factory.file(world["case"], world["investor"], Visibility.PARTIES, "late-exhibit.pdf")
    session.commit()
    how, page = fetch(browser, url)
    assert how == "miss" and "late-exhibit.pdf" in page


def test_a_kept_page_costs_the_login_sessions_query_alone(app, world, login_as, factory, session):
    """The data version is read with the login session: a kept list costs one statement
    (savepoints aside), however many cases it lists."""
    browser, _ = login_as("clerk", user=world["clerk"])
    for _ in range(3):
        factory.case(CaseState.MEDIATION, clerk=world["clerk"])
    session.commit()
    fetch(browser, "/registry/docket")
    with QueryCounter(db.engine_for(app)) as seen:
        assert fetch(browser, "/registry/docket")[0] == "hit"
    sent = [
        s
        for s in seen.statements
        if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN"))
    ]
    assert len(sent) == 1 and "auth_sessions" in sent[0], sent


@pytest.fixture
def values_only(app):
    """Pages drawn, the values kept (the docket's neutrals and count): a cache of its own."""
    cache = app.extensions["page_cache"]
    kept = cache.store, cache.values
    cache.store, cache.values = None, ValueCache()
    try:
        yield cache.values
    finally:
        cache.store, cache.values = kept


def test_the_dockets_neutrals_and_count_are_kept_until_the_data_changes(
    app, world, login_as, factory, session, values_only
):
    browser, _ = login_as("clerk", user=world["clerk"])
    url = "/registry/docket"
    fetch(browser, url)
    with QueryCounter(db.engine_for(app)) as kept:
        _, page = fetch(browser, url)
    with drawn(app), QueryCounter(db.engine_for(app)) as drawn_afresh:
        _, fresh = fetch(browser, url)
    assert same(page) == same(fresh)
    assert kept.count == drawn_afresh.count - 2  # neither the neutrals nor the count asked
    factory.user(Role.MEDIATOR, name="Newly Appointed Mediator")
    factory.case(CaseState.SUBMITTED)
    session.commit()
    _, page = fetch(browser, url)
    with drawn(app):
        _, fresh = fetch(browser, url)
    assert "Newly Appointed Mediator" in page and same(page) == same(fresh)
    assert "2 cases" in page


def test_redis_pages_are_kept_near_too_and_a_near_page_spares_a_trip():
    far = RedisStore(worker_redis_url())
    far.clear()
    drawn_elsewhere = TieredStore(MemoryStore(2**20), far)
    drawn_elsewhere.put("k", b"page")  # another worker drew it
    here = TieredStore(MemoryStore(2**20), far)
    assert here.near.get("k") is None
    assert here.get("k") == b"page"  # from Redis, and now near
    far.clear()
    assert here.get("k") == b"page"  # no trip: the key names this drawing for good
    assert drawn_elsewhere.get("other") is None
