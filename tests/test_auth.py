"""Registration, login, logout, the next= parameter, languages and staff accounts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dispute_portal import create_app
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import AuthSession, Role, User
from dispute_portal.auth.operations import find_user
from dispute_portal.config import DEV_SECRET_KEY
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.publication import entries
from dispute_portal.publication.models import RegisterEntry
from dispute_portal.workflow.states import CaseState

from .conftest import CSRF_RE, Browser, ProductionForTests

GOOD = "quiet meadow lantern 2026"
CHECK_MAIL = "We have sent a message to the address you gave."
NOT_ACTIVE = "This account is not active yet."
ACTIVATION_RE = re.compile(r"http://[^/\s]+/activate/([A-Za-z0-9_-]+)")


def _register(browser, **overrides):
    data = {
        "name": "Amina Seitkali",
        "email": "amina@example.com",
        "password": GOOD,
        "confirm": GOOD,
    } | overrides
    return browser.post("/register", data)


def _mails(session, email: str) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_email == email)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def _activation_token(mail: OutboxMessage) -> str:
    return ACTIVATION_RE.search(mail.body).group(1)


def _log_in(browser, email: str, password: str = GOOD):
    return browser.post("/login", {"email": email, "password": password})


def test_investor_registers_then_activates_by_the_emailed_link(browser, session):
    response = _register(browser)
    assert response.status_code == 302 and response.location == "/register/sent"
    assert CHECK_MAIL in browser.get(response.location).get_data(as_text=True)
    user = find_user(session, "AMINA@example.com")
    assert user.role is Role.INVESTOR and user.password_hash.startswith("$argon2id$")
    assert user.email_confirmed_at is None
    # Not before the link is opened: the right password gets only "not active yet".
    refused = _log_in(browser, "amina@example.com")
    assert refused.status_code == 200 and NOT_ACTIVE in refused.get_data(as_text=True)
    assert browser.get("/cases/").status_code == 302
    (mail,) = _mails(session, "amina@example.com")
    token = _activation_token(mail)
    assert "48" in mail.body
    page = browser.get(f"/activate/{token}")  # opening the link spends nothing
    assert page.status_code == 200 and "Activate my account" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    activated = browser.post(f"/activate/{token}")
    assert activated.status_code == 302 and activated.location == "/login"
    browser._token = None  # a fresh session, with a fresh CSRF token
    assert browser.post(f"/activate/{token}").status_code == 404  # single use
    assert _log_in(browser, "amina@example.com").location == "/cases/"
    assert "My cases" in browser.get("/cases/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["investor", "clerk"])
def test_a_taken_address_gets_the_same_answer_and_its_owner_a_warning(
    app, browser, factory, session, role
):
    owner = factory.user(role, email="taken@example.com")
    session.commit()
    answers = []
    for email in ("Taken@Example.com", "new.investor@example.com"):
        response = _register(Browser(app), email=email)
        page = Browser(app).get(response.location).get_data(as_text=True)
        answers.append((response.status_code, response.location, CSRF_RE.sub("", page)))
    assert answers[0] == answers[1]
    (warning,) = _mails(session, "taken@example.com")
    assert warning.subject == "Someone tried to register with your address"
    assert f"{app.config['PUBLIC_BASE_URL']}/login" in warning.body
    assert f"{app.config['PUBLIC_BASE_URL']}/password/forgot" in warning.body
    assert "/activate/" not in warning.body
    # The account is as it was: its name, its password, its role.
    session.refresh(owner)
    assert owner.name != "Amina Seitkali" and owner.role is Role(role)
    assert _log_in(Browser(app), "taken@example.com", factory.PASSWORD).status_code == 302
    assert (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(func.lower(User.email) == "taken@example.com")
        )
        == 1
    )


def test_the_request_does_the_same_work_for_a_new_and_a_taken_address(
    browser, factory, session, count_queries, queued_jobs
):
    factory.user("investor", email="taken@example.com")
    session.commit()
    _register(browser, email="warm-up@example.com")  # the security log's head is made once
    seen = []
    for email in ("taken@example.com", "fresh@example.com"):
        queued_jobs.jobs.clear()
        with count_queries() as queries:
            assert _register(browser, email=email).status_code == 302
        sql = [re.sub(r"sa_savepoint_\d+", "sa_savepoint", s) for s in queries.statements]
        seen.append((sql, [(path, len(args)) for path, args in queued_jobs.jobs]))
    assert seen[0] == seen[1] and len(seen[0][1]) == 1
    assert find_user(session, "fresh@example.com") is None  # the job, not the request, makes it


def test_registering_again_before_activation_gives_a_new_password_and_link(browser, session):
    first_try = "first chosen phrase 11"
    assert _register(browser, password=first_try, confirm=first_try).status_code == 302
    assert _register(browser).status_code == 302
    first, second = _mails(session, "amina@example.com")
    assert browser.get(f"/activate/{_activation_token(first)}").status_code == 404
    assert browser.post(f"/activate/{_activation_token(second)}").status_code == 302
    browser._token = None
    assert _log_in(browser, "amina@example.com", first_try).status_code == 200
    assert _log_in(browser, "amina@example.com").status_code == 302


def test_an_activation_link_expires(browser, session, clock):
    _register(browser)
    (mail,) = _mails(session, "amina@example.com")
    clock.advance(hours=48)
    response = browser.post(f"/activate/{_activation_token(mail)}")
    assert response.status_code == 404
    assert "no longer valid" in response.get_data(as_text=True)
    assert find_user(session, "amina@example.com").email_confirmed_at is None


def test_registrations_are_limited_per_address(app, session, limited, clock):
    browser = Browser(app)
    browser.client.environ_base["REMOTE_ADDR"] = "203.0.113.21"
    for n in range(5):
        assert _register(browser, email=f"someone{n}@example.com").status_code == 302
    refused = _register(browser, email="someone9@example.com")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(60 * 60 + 1)
    assert find_user(session, "someone9@example.com") is None
    other = Browser(app)
    other.client.environ_base["REMOTE_ADDR"] = "198.51.100.21"
    assert _register(other, email="someone9@example.com").status_code == 302


def test_an_address_gets_few_registration_mails(app, factory, session, limited, clock):
    factory.user("investor", email="taken@example.com")
    session.commit()
    for n in range(4):  # from different addresses: the e-mail address's own limit
        browser = Browser(app)
        browser.client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 40}"
        assert _register(browser, email="taken@example.com").location == "/register/sent"
    assert len(_mails(session, "taken@example.com")) == 3


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("passwordpassword", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),
        ("amina-is-the-best-1", "must not contain your name"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_message(browser, session, password, message):
    response = _register(
        browser, password=password, confirm=password, email="amina-is@example.com", name="Amina"
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert find_user(session, "amina-is@example.com") is None


def test_mismatched_confirmation_is_refused(browser, session):
    response = _register(browser, confirm=GOOD + "x")
    assert "The passwords differ." in response.get_data(as_text=True)
    assert find_user(session, "amina@example.com") is None


def test_registration_cannot_choose_a_staff_role(browser, session):
    _register(browser, role="clerk")
    assert find_user(session, "amina@example.com").role is Role.INVESTOR


def test_wrong_password_is_refused(browser, factory, session):
    user = factory.user("clerk")
    session.commit()
    response = browser.post("/login", {"email": user.email, "password": "not the password!"})
    assert response.status_code == 200
    assert "Wrong email address or password." in response.get_data(as_text=True)
    assert browser.get("/registry/intake").status_code == 302  # still anonymous


def test_unknown_email_gets_the_same_answer(browser):
    response = browser.post("/login", {"email": "nobody@example.com", "password": GOOD})
    assert "Wrong email address or password." in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(browser, factory, session):
    user = factory.user("clerk", is_active=False)
    session.commit()
    response = browser.post("/login", {"email": user.email, "password": factory.PASSWORD})
    assert response.status_code == 200 and "Wrong email" in response.get_data(as_text=True)


def test_logout_kills_the_session_even_for_a_copied_cookie(app, login_as, session):
    browser, _clerk = login_as("clerk")
    cookie = browser.client.get_cookie("session").value
    assert browser.get("/registry/intake").status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/registry/intake").status_code == 200  # the cookie works until logout
    assert browser.post("/logout").status_code == 302
    assert browser.get("/registry/intake").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/registry/intake")
    assert response.status_code == 302 and response.location.startswith("/login")
    revoked = session.scalars(select(AuthSession).where(AuthSession.user_id == _clerk.id)).all()
    assert revoked and all(s.revoked_at is not None for s in revoked)


def test_logout_needs_a_post_with_csrf(login_as):
    browser, _ = login_as("investor")
    assert browser.get("/logout").status_code == 405
    assert browser.post("/logout", csrf=False).status_code == 400
    assert browser.get("/cases/").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["/cases/", "/registry/intake?x=1"],
)
def test_next_goes_to_a_page_on_this_site(browser, factory, session, target):
    user = factory.user("clerk")
    session.commit()
    response = browser.post(
        "/login", {"email": user.email, "password": factory.PASSWORD, "next": target}
    )
    assert response.location == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "",
    ],
)
def test_next_never_leaves_the_site(browser, factory, session, target):
    user = factory.user("clerk")
    session.commit()
    response = browser.post(
        "/login", {"email": user.email, "password": factory.PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.location == "/registry/intake"


def test_login_page_carries_next_into_the_form(browser):
    page = browser.get("/login?next=/cases/5").get_data(as_text=True)
    assert 'value="/cases/5"' in page


def test_protected_page_sends_anonymous_to_login(browser):
    response = browser.get("/cases/")
    assert response.status_code == 302 and response.location.startswith("/login?next=")


def test_language_is_remembered_per_user(app, login_as, session):
    browser, user = login_as("investor")
    response = browser.post("/language", {"locale": "kk", "next": "/cases/"})
    assert response.location == "/cases/"
    session.refresh(user)
    assert user.locale == "kk"
    # A new login elsewhere speaks the user's language from the first page.
    from tests.conftest import Browser

    other = Browser(app)
    other.login(user)
    assert 'lang="kk"' in other.get("/cases/").get_data(as_text=True)


def test_language_for_anonymous_visitors_lives_in_the_session(browser):
    browser.post("/language", {"locale": "ru", "next": "/"})
    assert '<html lang="ru">' in browser.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(browser):
    browser.post("/language", {"locale": "xx", "next": "/"})
    assert '<html lang="en">' in browser.get("/").get_data(as_text=True)


def test_accept_language_picks_the_first_language(app, connection):
    page = app.test_client().get("/", headers={"Accept-Language": "kk-KZ,ru;q=0.8"})
    assert '<html lang="kk">' in page.get_data(as_text=True)


def test_admin_creates_staff_accounts(login_as, session):
    browser, _ = login_as("admin")
    response = browser.post(
        "/admin/users",
        {"name": "Dana M", "email": "dana@centre.kz", "role": "clerk", "password": GOOD},
    )
    assert response.status_code == 302
    assert find_user(session, "dana@centre.kz").role is Role.CLERK
    assert find_user(session, "dana@centre.kz").nationality is None


def test_a_neutral_is_created_with_a_nationality(login_as, session):
    browser, _ = login_as("admin")
    account = {"name": "S. Whitfield", "email": "sw@centre.kz", "role": "mediator"}
    account["password"] = GOOD
    refused = browser.post("/admin/users", account | {"nationality": "XX"})
    assert refused.status_code == 400 and find_user(session, "sw@centre.kz") is None
    assert browser.post("/admin/users", account | {"nationality": "GB"}).status_code == 302
    assert find_user(session, "sw@centre.kz").nationality == "GB"


def test_the_admin_changes_a_neutrals_nationality_and_the_register_follows(
    login_as, factory, session
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = session.get(User, case.appointments[0].user_id)
    entries.refresh_pending(session)
    session.commit()
    browser, admin = login_as("admin")
    assert f'href="/admin/users/{mediator.id}"' in browser.get("/admin/users").get_data(
        as_text=True
    )
    page = browser.get(f"/admin/users/{mediator.id}").get_data(as_text=True)
    assert mediator.email in page and "not stated" in page
    refused = browser.post(f"/admin/users/{mediator.id}", {"nationality": "XX"})
    assert refused.status_code == 400
    session.refresh(mediator)
    assert mediator.nationality is None
    assert browser.post(f"/admin/users/{mediator.id}", {"nationality": "KZ"}).status_code == 302
    session.expire_all()
    assert session.get(User, mediator.id).nationality == "KZ"
    entry = session.get(RegisterEntry, case.id)
    assert [n["nationality"] for n in entry.neutrals] == ["KZ"]  # refreshed as it committed
    (logged,) = session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "nationality_changed")
    ).all()
    assert logged.user_id == admin.id and logged.data == {
        "user": mediator.id,
        "from": None,
        "to": "KZ",
    }
    other, _ = login_as("clerk")
    assert other.get(f"/admin/users/{mediator.id}").status_code == 403


def test_admin_cannot_create_investors_there(login_as, session):
    browser, _ = login_as("admin")
    response = browser.post(
        "/admin/users", {"name": "X", "email": "x@centre.kz", "role": "investor", "password": GOOD}
    )
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert find_user(session, "x@centre.kz") is None


@pytest.mark.parametrize("role", ["investor", "clerk", "mediator", "arbitrator", "respondent"])
def test_only_admins_manage_accounts(login_as, role):
    browser, _ = login_as(role)
    assert browser.get("/admin/users").status_code == 403
    response = browser.post(
        "/admin/users", {"name": "X", "email": "x@centre.kz", "role": "clerk", "password": GOOD}
    )
    assert response.status_code == 403


def test_cli_creates_a_staff_user(app, db_url, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--role",
            "mediator",
            "--email",
            "med@centre.kz",
            "--name",
            "M. Ediator",
            "--password",
            GOOD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created mediator account med@centre.kz" in result.output
    assert find_user(session, "med@centre.kz").role is Role.MEDIATOR
    again = runner.invoke(
        args=[
            "create-user",
            "--role",
            "clerk",
            "--email",
            "med@centre.kz",
            "--name",
            "Other",
            "--password",
            GOOD,
        ]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_cli_refuses_a_weak_password(app, session):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--role",
            "clerk",
            "--email",
            "c@centre.kz",
            "--name",
            "C",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "12 characters" in result.output
    assert find_user(session, "c@centre.kz") is None


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    class Prod(ProductionForTests):
        SECRET_KEY = key

    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app(Prod)


def test_production_starts_with_a_real_secret_key(db_url):
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = "https://portal.example"

    assert create_app(Prod).config["SESSION_COOKIE_SECURE"] is True


def test_an_older_stronger_or_weaker_hash_is_upgraded_to_the_current_parameters_at_login(
    app, factory, session, real_password_hashing
):
    from argon2 import PasswordHasher

    from tests.conftest import Browser
    from tests.factories import Factory

    user = factory.user("investor")
    user.password_hash = PasswordHasher().hash(Factory.PASSWORD)  # argon2-cffi's 64 MiB default
    session.commit()
    assert "m=65536" in user.password_hash
    Browser(app).login(user)
    session.refresh(user)
    assert "m=19456,t=2,p=1" in user.password_hash
