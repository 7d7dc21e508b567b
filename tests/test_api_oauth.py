"""OAuth 2.0 client credentials for government systems (issue 18): the admin registers a
client for the account whose view it has, with a scope and, if given, the state body whose
cases alone it sees; the system takes an access token at the token endpoint (Authlib) and
calls the API with it. It sees no more than its account, and no more than its cases."""

from __future__ import annotations

import base64
import datetime as dt
import re

from sqlalchemy import select

from dispute_portal.api import clients
from dispute_portal.api.models import OAuthClient, OAuthToken, TokenScope
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import Role
from dispute_portal.db import utcnow
from dispute_portal.notices.models import Notification
from dispute_portal.notices.operations import notify
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient

TOKEN_URL = "/api/v1/oauth/token"


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def _token(app, client_id: str, secret: str, **form):
    return app.test_client().post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", **form},
        headers=_basic(client_id, secret),
    )


def ministry(factory, session, scope=TokenScope.READ):
    """Two cases against the ministry and one against another body, all with the ministry's
    representative on them; a client narrowed to the ministry's cases."""
    admin, clerk = factory.user(Role.ADMIN), factory.user(Role.CLERK)
    representative = factory.user(Role.RESPONDENT)
    cases = []
    for body in ("Ministry of Energy", "ministry of energy", "Akimat of Alatau City"):
        case = factory.case(CaseState.REGISTERED, clerk=clerk)
        case.respondent.name = body
        factory.join(case, clerk, representative)
        cases.append(case)
    client, secret = clients.register(
        session,
        admin,
        name="Ministry case tracker",
        acts_for=representative,
        scope=scope,
        respondent="Ministry of Energy",
    )
    session.commit()
    return cases, client, secret, admin


def test_a_client_takes_a_token_and_sees_only_its_bodys_cases(app, factory, session):
    cases, client, secret, admin = ministry(factory, session)
    answer = _token(app, client.client_id, secret)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["token_type"].lower() == "bearer" and body["scope"] == "read"
    assert body["access_token"].startswith(clients.TOKEN_PREFIX)
    assert body["expires_in"] == clients.TOKEN_SECONDS
    assert answer.headers["Cache-Control"] == "no-store"
    stored = session.scalar(select(OAuthToken).where(OAuthToken.client_id == client.id))
    assert stored.digest != body["access_token"]  # only the digest is kept
    api = ApiClient(app, body["access_token"])
    seen = {c["id"] for c in api.get("/api/v1/cases").get_json()}
    assert seen == {cases[0].id, cases[1].id}  # the other body's case is not the client's
    assert api.get(f"/api/v1/cases/{cases[0].id}").status_code == 200
    assert api.get(f"/api/v1/cases/{cases[2].id}").status_code == 404
    assert api.get(f"/api/v1/cases/{cases[2].id}/events").status_code == 404
    # A read-only client writes nothing.
    refused = api.post(f"/api/v1/cases/{cases[0].id}/submissions", data={"title": "x"})
    assert refused.status_code == 403
    logged = session.scalar(
        select(SecurityEvent).where(SecurityEvent.action == "oauth_client_registered")
    )
    assert logged.user_id == admin.id and logged.data["client"] == client.id


def test_wrong_secret_more_scope_and_revocation_get_no_token(app, factory, session):
    _cases, client, secret, admin = ministry(factory, session)
    wrong = _token(app, client.client_id, secret + "x")
    assert wrong.status_code == 401 and wrong.get_json()["error"] == "invalid_client"
    more = _token(app, client.client_id, secret, scope="read_write")
    assert more.status_code == 400 and more.get_json()["error"] == "invalid_scope"
    other_grant = app.test_client().post(
        TOKEN_URL, data={"grant_type": "password"}, headers=_basic(client.client_id, secret)
    )
    assert other_grant.status_code == 400
    in_the_form = app.test_client().post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": secret,
        },
    )
    assert in_the_form.status_code == 200
    issued = in_the_form.get_json()["access_token"]
    clients.revoke(session, admin, client)
    session.commit()
    assert _token(app, client.client_id, secret).status_code == 401
    assert ApiClient(app, issued).get("/api/v1/me").status_code == 401  # its tokens too


def test_an_expired_access_token_opens_nothing(app, factory, session):
    _cases, client, secret, _admin = ministry(factory, session)
    issued = _token(app, client.client_id, secret).get_json()["access_token"]
    assert ApiClient(app, issued).get("/api/v1/me").status_code == 200
    token = session.scalar(select(OAuthToken).where(OAuthToken.client_id == client.id))
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    expired = token.digest
    session.commit()
    assert ApiClient(app, issued).get("/api/v1/me").status_code == 401
    assert _token(app, client.client_id, secret).status_code == 200
    session.expire_all()
    left = session.scalars(select(OAuthToken.digest).where(OAuthToken.client_id == client.id))
    digests = left.all()
    assert len(digests) == 1 and expired not in digests  # swept as the client took another


def test_a_client_of_a_deactivated_account_gets_no_token(app, factory, session):
    _cases, client, secret, _admin = ministry(factory, session)
    issued = _token(app, client.client_id, secret).get_json()["access_token"]
    representative = session.get(type(_admin), client.acts_for_id)
    representative.is_active = False
    session.commit()
    assert _token(app, client.client_id, secret).status_code == 401
    assert ApiClient(app, issued).get("/api/v1/me").status_code == 401


def test_the_admin_registers_and_revokes_from_the_command_line(app, factory, session):
    admin = factory.user(Role.ADMIN)
    representative = factory.user(Role.RESPONDENT)
    session.commit()
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "api-clients", "register", "--admin", admin.email, "--name", "Tracker",
            "--acts-for", representative.email, "--scope", "read_write",
        ]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    client_id = made.output.split("client_id:")[1].split()[0]
    secret = made.output.split("client_secret:")[1].split()[0]
    assert _token(app, client_id, secret, scope="read_write").status_code == 200
    listed = runner.invoke(args=["api-clients", "list"])
    assert client_id in listed.output and "active" in listed.output
    assert (
        runner.invoke(args=["api-clients", "revoke", "--admin", admin.email, client_id]).exit_code
        == 0
    )
    assert _token(app, client_id, secret).status_code == 401
    not_admin = runner.invoke(
        args=["api-clients", "register", "--admin", representative.email, "--name", "X",
              "--acts-for", representative.email]
    )  # fmt: skip
    assert not_admin.exit_code != 0 and "not an active admin" in not_admin.output


def test_a_narrowed_client_reads_and_marks_only_its_cases_notifications(app, factory, session):
    cases, _client, _secret, admin = ministry(factory, session)
    representative = session.get(type(admin), _client.acts_for_id)
    for case in cases:
        notify(representative, case, "Case %(reference)s moved on.", {"reference": case.reference})
    client, secret = clients.register(
        session,
        admin,
        name="Ministry writer",
        acts_for=representative,
        scope=TokenScope.READ_WRITE,
        respondent="Ministry of Energy",
    )
    session.commit()
    api = ApiClient(app, _token(app, client.client_id, secret).get_json()["access_token"])
    listed = api.get("/api/v1/notifications?limit=100").get_json()
    assert {n["case_id"] for n in listed} == {cases[0].id, cases[1].id}
    assert api.post("/api/v1/notifications/read").status_code == 204
    unread = session.scalars(
        select(Notification.case_id).where(
            Notification.user_id == representative.id, Notification.read_at.is_(None)
        )
    ).all()
    assert set(unread) == {cases[2].id}  # the other body's case is not the client's to read


def test_the_admin_registers_a_client_on_its_page_and_revokes_it(app, login_as, factory, session):
    browser, admin = login_as(Role.ADMIN)
    representative = factory.user(Role.RESPONDENT)
    session.commit()
    form = {
        "name": "Ministry case tracker",
        "acts_for": "nobody@example.com",
        "scope": "read",
        "respondent": "Ministry of Energy",
    }
    unknown = browser.post("/admin/api-clients", form)
    assert unknown.status_code == 400  # beside the address: no account has it
    assert "No active account has this e-mail address." in unknown.get_data(as_text=True)
    assert session.scalar(select(OAuthClient.id)) is None
    made = browser.post("/admin/api-clients", form | {"acts_for": representative.email})
    page = made.get_data(as_text=True)
    assert made.status_code == 200
    client_id = re.search(r'id="new-client-id"[^>]*value="([^"]+)"', page).group(1)
    secret = re.search(r'id="new-client-secret"[^>]*value="([^"]+)"', page).group(1)
    assert _token(app, client_id, secret).status_code == 200
    listed = browser.get("/admin/api-clients").get_data(as_text=True)
    assert client_id in listed and secret not in listed  # shown once
    row = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    assert row.respondent == "Ministry of Energy" and row.acts_for_id == representative.id
    assert browser.post(f"/admin/api-clients/{row.id}/revoke").status_code == 302
    assert _token(app, client_id, secret).status_code == 401
    again = browser.post(f"/admin/api-clients/{row.id}/revoke")
    assert again.status_code == 302  # revoked already: said on the page, nothing changes
    other, _ = login_as(Role.CLERK)
    assert other.get("/admin/api-clients").status_code == 403
