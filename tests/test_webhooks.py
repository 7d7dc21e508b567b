"""Webhooks (issue 18): a caller subscribes a URL to the events of the cases it may see;
each event it may read reaches the URL signed (Standard Webhooks), from the outbox through
the job queue; a failing delivery is retried with backoff, then marked failed. The receiver
here is a real HTTP server on this machine, and checks the signatures itself."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dispute_portal import create_app
from dispute_portal.api.models import TokenScope
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.auth.models import Role, User
from dispute_portal.db import db, utcnow
from dispute_portal.jobs import run_job
from dispute_portal.webhooks import delivery as sender
from dispute_portal.webhooks import operations as ops
from dispute_portal.webhooks.fanout import payload
from dispute_portal.webhooks.models import Delivery, DeliveryStatus, Subscription
from dispute_portal.workflow.models import record
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient, case_with_parties, make_token
from tests.conftest import ProductionForTests, browser_for
from tests.factories import pdf_bytes
from tests.test_api_oauth import ministry

TOLERANCE = 300  # seconds: a receiver refuses an older (replayed) message


class Receiver:
    """A program's endpoint: keeps what it was sent, answers `status` (or, with `trickle`,
    its status line a byte every `trickle` seconds)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 204
        self.trickle: float | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append((headers | {":path": self.path}, body))
                if receiver.trickle is not None:
                    for byte in b"HTTP/1.1 204 No Content\r\n\r\n":
                        time.sleep(receiver.trickle)
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    return
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/portal?k=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def verify(secret: str, headers: dict[str, str], body: bytes, now: dt.datetime) -> bool:
    """Standard Webhooks' verification, written from the specification: HMAC-SHA256 of
    `id.timestamp.body` under the base64 key after `whsec_`, any of the space-separated
    `v1,` signatures, and a timestamp within the tolerance."""
    stamp = int(headers["webhook-timestamp"])
    if abs(now.timestamp() - stamp) > TOLERANCE:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{stamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s[:3] == "v1,"]
    return any(hmac.compare_digest(expected, s) for s in given)


@pytest.fixture
def arbitration(factory, session):
    return case_with_parties(factory, session, CaseState.ARBITRATION)


def _api(app, session, user, scope=TokenScope.READ_WRITE) -> ApiClient:
    return ApiClient(app, make_token(session, user, scope))


def _subscribe(api: ApiClient, url: str, *types: str, **extra):
    return api.post("/api/v1/webhooks", json={"url": url, "event_types": list(types), **extra})


def _secret(api: ApiClient, hook: dict) -> str:
    response = api.get(f"/api/v1/webhooks/{hook['id']}/secret")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["secret"]


def _file(api: ApiClient, case, visibility: str = "parties"):
    return api.post(
        f"/api/v1/cases/{case.id}/submissions",
        data={
            "title": "Reply on jurisdiction",
            "visibility": visibility,
            "file": [(io.BytesIO(pdf_bytes("Reply")), "reply.pdf")],
        },
        content_type="multipart/form-data",
    )


def test_an_event_reaches_the_subscriber_signed(app, session, arbitration, receiver):
    case, claimant, _respondent, _clerk = arbitration
    api = _api(app, session, claimant)
    made = _subscribe(api, receiver.url, "case.file_submission", description="Matters")
    assert made.status_code == 201, made.get_data(as_text=True)
    hook = made.get_json()
    assert made.headers["Location"].endswith(f"/api/v1/webhooks/{hook['id']}")
    assert hook["event_types"] == ["case.file_submission"] and hook["active"] is True
    assert "secret" not in hook
    secret = _secret(api, hook)
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    stored = session.get(Subscription, hook["id"])
    assert secret not in stored.secret  # kept encrypted

    assert _file(api, case).status_code == 201
    [(headers, body)] = receiver.received  # the download of the file is not an event of it
    assert verify(secret, headers, body, utcnow())
    assert not verify(secret, headers, body.replace(b"file_submission", b"issue_award"), utcnow())
    assert not verify(secret, headers, body, utcnow() + dt.timedelta(minutes=6))
    assert headers["content-type"] == "application/json"
    message = json.loads(body)
    assert message["type"] == "case.file_submission"
    assert message["data"]["case"] == {
        "id": case.id,
        "number": case.number,
        "url": f"{app.config['PUBLIC_BASE_URL'].rstrip('/')}/api/v1/cases/{case.id}",
    }
    event = message["data"]["event"]
    assert event["action"] == "file_submission" and event["actor"] == claimant.name
    trail = api.get(f"/api/v1/cases/{case.id}/events?limit=100").get_json()
    assert event["hash"] in [e["hash"] for e in trail]  # the trail's very event

    [listed] = api.get(hook["deliveries_url"]).get_json()
    assert listed["message_id"] == headers["webhook-id"]
    assert listed["status"] == "delivered" and listed["attempts"] == 1
    assert listed["response_status"] == 204 and listed["payload"] == message
    assert listed["next_attempt_at"] is None


def test_each_subscriber_gets_only_what_it_may_read(app, session, factory, arbitration, receiver):
    case, claimant, respondent, _clerk = arbitration
    mine, theirs, outsider = (
        _api(app, session, user) for user in (claimant, respondent, factory.user(Role.INVESTOR))
    )
    for api, who in ((mine, "claimant"), (theirs, "respondent"), (outsider, "outsider")):
        assert _subscribe(api, f"{receiver.url}&who={who}", "case.*").status_code == 201
    seq = mine.get(f"/api/v1/cases/{case.id}/events?limit=100").get_json()[-1]["seq"]
    assert _file(mine, case, visibility="tribunal").status_code == 201
    assert _file(mine, case, visibility="parties").status_code == 201
    told: dict[str, list[str]] = {}
    for headers, body in receiver.received:
        who = headers[":path"].rpartition("=")[2]
        told.setdefault(who, []).append(json.loads(body)["data"]["event"]["hash"])
    # Each is told exactly what its trail in the API shows of the two filings: the document
    # filed for the tribunal reaches its filer's side, not the other side.
    for who, api in (("claimant", mine), ("respondent", theirs)):
        trail = api.get(f"/api/v1/cases/{case.id}/events?limit=100").get_json()
        shown = [e["hash"] for e in trail if e["seq"] > seq and e["action"] != "download"]
        assert told[who] == shown, who
    assert len(told["claimant"]) == 4 and len(told["respondent"]) == 3
    assert "outsider" not in told  # a case it may not see sends it nothing


def test_a_failing_delivery_is_retried_with_backoff_then_failed(
    app, session, factory, arbitration, receiver, clock
):
    case, claimant, _respondent, _clerk = arbitration
    api = _api(app, session, claimant)
    hook = _subscribe(api, receiver.url, "case.file_submission").get_json()
    receiver.status = 500
    runner = app.extensions["jobs"]
    runner.scheduled.clear()
    assert _file(api, case).status_code == 201  # the answer does not depend on the receiver
    delivery = session.scalar(select(Delivery).where(Delivery.subscription_id == hook["id"]))
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert delivery.last_error == "The receiver answered 500."
    waits = []
    while runner.scheduled:
        wait, path, args = runner.scheduled.pop(0)
        assert (path, args) == (sender.SEND_ONE_JOB, (delivery.id,))
        waits.append(wait)
        clock.advance(seconds=wait.total_seconds() - 1)
        with app.app_context():  # as the queue runs it, when its time has come
            assert run_job(path, *args) is None  # not due yet: nothing is sent
            clock.advance(seconds=1)
            assert run_job(path, *args) is False
    assert waits == list(sender.BACKOFF)
    session.refresh(delivery)
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == sender.MAX_ATTEMPTS
    assert len(receiver.received) == sender.MAX_ATTEMPTS
    ids = {headers["webhook-id"] for headers, _ in receiver.received}
    assert ids == {delivery.message_id}  # one message, however many attempts
    stamps = [int(headers["webhook-timestamp"]) for headers, _ in receiver.received]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)  # signed afresh
    assert sender.send_due(session, app.config, runner) == (0, 0)  # no more attempts
    failed = api.get(hook["deliveries_url"] + "?status=failed").get_json()
    assert [d["id"] for d in failed] == [delivery.id] and failed[0]["next_attempt_at"] is None

    receiver.status = 200  # the receiver is back: the next event goes through at once
    assert _file(api, case).status_code == 201
    assert receiver.received[-1][0]["webhook-id"] != delivery.message_id
    assert api.get(hook["deliveries_url"] + "?status=delivered").get_json()[0]["attempts"] == 1

    # The failed one, sent again by its subscriber: the same message, its attempts afresh.
    retry = f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery.id}/retry"
    again = api.post(retry)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert (again.get_json()["status"], again.get_json()["attempts"]) == ("pending", 0)
    assert receiver.received[-1][0]["webhook-id"] == delivery.message_id  # sent at once
    session.refresh(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert api.post(retry).status_code == 409  # delivered: nothing to send again
    other = _api(app, session, factory.user(Role.INVESTOR))
    assert other.post(retry).status_code == 404


def test_cron_sends_what_is_due(app, session, arbitration, receiver, clock):
    case, claimant, _respondent, clerk = arbitration
    api = _api(app, session, claimant)
    assert _subscribe(api, receiver.url, "case.join").status_code == 201
    record(clerk, case, "join")  # written outside a request: it waits in the outbox
    session.commit()
    [delivery] = session.scalars(select(Delivery))
    assert delivery.status is DeliveryStatus.PENDING and receiver.received == []
    result = app.test_cli_runner().invoke(args=["webhooks", "send"])
    assert result.exit_code == 0 and "Delivered: 1. Failed attempts: 0." in result.output
    assert len(receiver.received) == 1


def test_nothing_is_queued_by_a_rolled_back_transaction(app, session, arbitration, receiver):
    case, claimant, _respondent, clerk = arbitration
    assert _subscribe(_api(app, session, claimant), receiver.url, "case.*").status_code == 201
    record(clerk, case, "join")
    session.rollback()
    session.commit()
    assert session.scalar(select(func.count(Delivery.id))) == 0


def test_urls_off_the_public_internet_are_refused(app, session, arbitration, monkeypatch):
    _case, claimant, _respondent, _clerk = arbitration
    api = _api(app, session, claimant)
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_NETWORKS", ())
    for url in (
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://169.254.169.254/latest/meta-data",  # a cloud's metadata service
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://[2002:7f00:1::]/hook",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a00:1]/hook",  # NAT64 around 10.0.0.1
        "http://[fec0::1]/hook",  # site-local
        "http://93.184.215.14:25/hook",  # a mail server's port
        "ftp://93.184.215.14/hook",
        "http://user:pw@93.184.215.14/hook",
        "http:///hook",
        "http://no-such-host.invalid/hook",
    ):
        response = _subscribe(api, url, "case.*")
        assert response.status_code == 422, url
        assert response.get_json()["detail"], url
    monkeypatch.setitem(app.config, "WEBHOOK_HTTPS_ONLY", True)
    refused = _subscribe(api, "http://93.184.215.14/hook", "case.*").get_json()
    assert refused["detail"] == "The address must start with https://."
    assert _subscribe(api, "https://93.184.215.14/hook", "case.*").status_code == 201
    assert _subscribe(api, "https://93.184.215.14/hook", "case.nothing").status_code == 422
    assert session.scalar(select(func.count(Subscription.id))) == 1


def test_the_target_is_checked_again_at_each_attempt(
    app, session, arbitration, receiver, monkeypatch
):
    case, claimant, _respondent, _clerk = arbitration
    api = _api(app, session, claimant)
    hook = _subscribe(api, receiver.url, "case.file_submission").get_json()
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_NETWORKS", ())  # as a name that moved
    assert _file(api, case).status_code == 201
    assert receiver.received == []
    [listed] = api.get(hook["deliveries_url"]).get_json()
    assert listed["status"] == "pending" and "not a public address" in listed["last_error"]


def test_scopes_owners_and_removal(app, session, factory, arbitration, receiver):
    case, claimant, respondent, _clerk = arbitration
    api = _api(app, session, claimant)
    hook = _subscribe(api, receiver.url, "case.file_submission").get_json()
    reader = _api(app, session, claimant, TokenScope.READ)
    assert [h["id"] for h in reader.get("/api/v1/webhooks").get_json()] == [hook["id"]]
    assert _subscribe(reader, receiver.url, "case.*").status_code == 403
    assert reader.get(f"/api/v1/webhooks/{hook['id']}/secret").status_code == 403
    other = _api(app, session, respondent)
    assert other.get("/api/v1/webhooks").get_json() == []
    for path in ("", "/secret", "/deliveries"):
        assert other.get(f"/api/v1/webhooks/{hook['id']}{path}").status_code == 404
    refused = other.client.delete(f"/api/v1/webhooks/{hook['id']}", headers=other.headers)
    assert refused.status_code == 404
    assert _file(api, case).status_code == 201
    gone = api.client.delete(f"/api/v1/webhooks/{hook['id']}", headers=api.headers)
    assert gone.status_code == 204
    assert session.scalar(select(func.count(Delivery.id))) == 0
    actions = session.scalars(
        select(SecurityEvent.action).where(SecurityEvent.action.like("webhook_%"))
    ).all()
    assert actions == ["webhook_subscribed", "webhook_removed"]
    for _ in range(ops.MAX_SUBSCRIPTIONS):
        assert _subscribe(api, receiver.url, "case.*").status_code == 201
    assert _subscribe(api, receiver.url, "case.*").status_code == 422
    types = api.get("/api/v1/webhooks/event-types").get_json()
    assert {"type": "case.*", "description": "Every event below."} in types
    assert "case.download" not in [t["type"] for t in types]


def test_a_stopped_subscription_is_sent_nothing(app, session, factory, arbitration, receiver):
    case, claimant, _respondent, clerk = arbitration
    api = _api(app, session, claimant)
    hook = _subscribe(api, receiver.url, "case.join").get_json()
    record(clerk, case, "join")
    session.commit()
    admin = factory.user(Role.ADMIN)
    ops.set_active(session, admin, session.get(Subscription, hook["id"]), False)
    session.commit()
    with pytest.raises(ops.WebhookRefused):
        ops.set_active(session, admin, session.get(Subscription, hook["id"]), False)
    assert sender.send_due(session, app.config, app.extensions["jobs"]) == (0, 1)
    [listed] = api.get(hook["deliveries_url"]).get_json()
    assert listed["status"] == "failed" and listed["last_error"] == "The subscription is stopped."
    record(clerk, case, "join")
    session.commit()
    assert session.scalar(select(func.count(Delivery.id))) == 1  # nothing new is queued
    assert receiver.received == [] and api.get("/api/v1/webhooks").get_json()[0]["active"] is False
    # The admin lets it go on, and sends the failed delivery again from the page.
    browser = browser_for(app, admin)
    delivery = session.scalars(select(Delivery)).one()
    assert browser.post(f"/admin/webhooks/deliveries/{delivery.id}/retry").status_code == 302
    assert session.get(Delivery, delivery.id).status is DeliveryStatus.FAILED  # still stopped
    assert browser.post(f"/admin/webhooks/{hook['id']}/resume").status_code == 302
    answer = browser.post(f"/admin/webhooks/deliveries/{delivery.id}/retry")
    assert answer.status_code == 302
    session.refresh(delivery)
    assert delivery.status is DeliveryStatus.DELIVERED and len(receiver.received) == 1


def test_a_clients_subscription_follows_its_cases_only(app, session, factory, receiver):
    cases, client, secret, _admin = ministry(factory, session, TokenScope.READ_WRITE)
    representative = session.get(User, client.acts_for_id)
    clerk = factory.user(Role.CLERK)
    token = app.test_client().post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, secret),
    )
    api = ApiClient(app, token.get_json()["access_token"])
    assert _subscribe(api, receiver.url, "case.join").status_code == 201
    personal = _api(app, session, representative)
    assert personal.get("/api/v1/webhooks").get_json() == []  # the client's, not the person's
    for case in cases:
        record(clerk, case, "join")
    session.commit()
    assert [d.case_id for d in session.scalars(select(Delivery))] == [c.id for c in cases[:2]]
    client.revoked_at = utcnow()
    record(clerk, cases[0], "join")
    session.commit()
    assert session.scalar(select(func.count(Delivery.id))) == 2  # a revoked client: no more
    # What waited for it is not sent either.
    assert sender.send_due(session, app.config, app.extensions["jobs"]) == (0, 2)
    assert receiver.received == []
    assert {d.last_error for d in session.scalars(select(Delivery))} == {
        "The subscriber's access has ended (account deactivated or client revoked)."
    }


def test_production_refuses_networks_that_are_not_public():
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        PUBLIC_BASE_URL = "https://portal.example"
        WEBHOOK_ALLOWED_NETWORKS = ("10.0.0.0/8",)

    with pytest.raises(SystemExit, match="WEBHOOK_ALLOWED_NETWORKS"):
        create_app(Prod)
    assert ProductionForTests.WEBHOOK_HTTPS_ONLY is True


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "x" * 5000, "http://127.0.0.1/\r\nX-Evil: 1", "http://[::1", "💥"]),
    st.sampled_from(["http://127.0.0.1:9999/hook", "http://93.184.215.14/ü", "http://a..b/"]),
)
ANY = st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=3), st.booleans())


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "url": ANY,
            "event_types": st.one_of(ANY, st.lists(st.sampled_from(["case.*", "case.x"]))),
            "description": ANY,
            "extra": ANY,
        },
    )
)
def test_hostile_subscriptions_are_refused_and_make_nothing(app, session, factory, body):
    """Whatever JSON comes (NUL bytes, control characters, huge or odd values, unknown
    fields): never a server error; anything refused makes no subscription, anything taken
    is stored as sent. (PostgreSQL refuses what SQLite stores: CI runs it on both.)"""
    api = _api(app, session, factory.user(Role.INVESTOR))
    before = session.scalar(select(func.count(Subscription.id)))
    response = api.post("/api/v1/webhooks", json=body)
    assert response.status_code in (201, 422), (response.status_code, body)
    made = session.scalar(select(func.count(Subscription.id))) - before
    if response.status_code == 201:
        assert made == 1
        stored = session.get(Subscription, response.get_json()["id"])
        assert (stored.url, stored.description) == (
            body["url"],
            body.get("description", "").strip(),
        )
        session.delete(stored)
        session.flush()
    else:
        assert made == 0 and response.get_json()["type"].endswith("/invalid-input")


def test_a_receiver_that_trickles_its_answer_is_cut_off(
    app, session, arbitration, receiver, monkeypatch
):
    """The time limit is the whole answer's, not each read's: a receiver that sends its
    status line a byte at a time (about six seconds in all) fails a one-second attempt."""
    case, claimant, _respondent, clerk = arbitration
    assert _subscribe(_api(app, session, claimant), receiver.url, "case.join").status_code == 201
    record(clerk, case, "join")
    session.commit()
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", 1)
    receiver.trickle = 0.2
    assert sender.send_due(session, app.config, app.extensions["jobs"]) == (0, 1)
    delivery = session.scalars(select(Delivery)).one()
    assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.response_status is None and delivery.last_error


def test_a_fault_of_ours_counts_as_a_failed_attempt_and_the_batch_goes_on(
    app, session, factory, arbitration, receiver
):
    case, claimant, respondent, clerk = arbitration
    broken = _subscribe(_api(app, session, claimant), receiver.url, "case.join").get_json()
    assert _subscribe(_api(app, session, respondent), receiver.url, "case.join").status_code == 201
    session.get(Subscription, broken["id"]).secret = "not a Fernet token"
    record(clerk, case, "join")
    session.commit()
    assert sender.send_due(session, app.config, app.extensions["jobs"]) == (1, 1)
    failing = session.scalars(select(Delivery).where(Delivery.subscription_id == broken["id"]))
    [delivery] = failing
    assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_error.startswith("RuntimeError")


def test_a_savepoint_rolled_back_keeps_the_transactions_other_events(
    app, session, arbitration, receiver
):
    case, claimant, _respondent, clerk = arbitration
    assert _subscribe(_api(app, session, claimant), receiver.url, "case.*").status_code == 201
    kept = record(clerk, case, "join")
    session.flush()
    savepoint = session.begin_nested()
    record(clerk, case, "join")
    savepoint.rollback()
    session.commit()
    assert [d.payload for d in session.scalars(select(Delivery))] == [payload(session, case, kept)]


def test_a_subscription_stopped_meanwhile_is_read_anew(
    app, session, factory, arbitration, receiver
):
    """The sender's session keeps what it loaded; a stop made in another is seen at the
    next claim, before anything is sent."""
    case, claimant, _respondent, clerk = arbitration
    hook = _subscribe(_api(app, session, claimant), receiver.url, "case.join").get_json()
    record(clerk, case, "join")
    session.commit()
    loaded = session.get(Subscription, hook["id"])  # held here, as a sender holds it
    assert loaded.active
    other = db.sessionmaker(info={"config": app.config})
    ops.set_active(other, factory.user(Role.ADMIN), other.get(Subscription, hook["id"]), False)
    other.commit()
    other.close()
    assert sender.send_due(session, app.config, app.extensions["jobs"]) == (0, 1)
    assert receiver.received == [] and loaded.active is False
