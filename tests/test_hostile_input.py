"""Every form against hostile input, property-based (hypothesis).

For each form (and filter page, and the JSON endpoint) a client sends random unicode,
control characters, huge strings, null bytes, invalid UTF-8, repeated fields, files where
text is expected and JSON where a form is expected, with a valid CSRF token (so the form's
own handling is what is tested). Whatever comes:

- never a 5xx, never a stack trace;
- a refusal (4xx, or a form shown again) changes no table (rows counted before and after;
  the security log alone may grow: failed logins are recorded on purpose);
- an accepted request (a redirect) leaves a complete record: exactly the rows a known-good
  request of the same form leaves (learned first), with the values sent;
- the pages that show what was stored (or flashed, after a redirect) still render.

Each example runs in a savepoint that is rolled back, so every example starts from the same
state; the run is derandomized (the same examples in CI every time).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from dispute_portal.auth.models import Role
from dispute_portal.awards import claims
from dispute_portal.cases import names
from dispute_portal.cases.models import Document
from dispute_portal.db import Base, db, utcnow
from dispute_portal.deadlines import calendars
from dispute_portal.measures import operations as measures
from dispute_portal.models import import_all
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.parties import operations as parties
from dispute_portal.parties.models import Side, Standing
from dispute_portal.rulings import printing
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import Browser, hidden
from .factories import Factory, pdf_bytes

import_all()

SETTINGS = settings(
    # Random requests per form, after the classics (every field, one at a time). CI runs the
    # suite twice (SQLite, PostgreSQL) on two cores; HOSTILE_EXAMPLES=200 explores further.
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "12")),
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the run stays bounded; the
    # failing request is printed whole, and the classics below come first, one field at a time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what a hostile client sends ----------------------------------------------------------


class Raw(bytes):
    """Bytes sent as they are: invalid UTF-8, lone continuation bytes."""


@dataclass(frozen=True)
class Upload:
    """A file part where the form may expect text (or a file with a hostile name)."""

    filename: str
    data: bytes


OMIT = "<omit>"

SPECIALS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "\u200b",
    "\U0010ffff",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999999",
    "-1",
    "0",
    "-0",
    "1.5",
    "0x1f",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999999",
    "²",
    "①",
    "١٢٣",
    "፫",  # digits str.isdigit() accepts and int() may not
    "0001-01-01",
    "9999-12-31",
    "31.12.9999",
    "01.01.0001",
    "2024-02-30",
    "1970-01-01",
    "24:00",
    "23:59",
    "00:00",
    "99:99",
    "https://",
    "https://x",
    "https://example.org/" + "a" * 600,
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    "%00",
    "{{7*7}}",
    "a@b",
    "a@b.c",
    "@",
    "é@例え.jp",
    "x@" + "a" * 300 + ".kz",
    "\\",
    "true",
    "on",
    "y",
    "[]",
    "{}",
    "null",
    "None",
    "1; DROP TABLE cases",
    "\u0000\u0001\u001f\u007f\u0085",
]
CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn", "Co"])
HUGE = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["a", "я", "\x00", "💥", "9", "<", " ", "\u202e"]),
    st.sampled_from([256, 1_001, 20_001, 50_001, 100_000]),
)
TEXT = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(max_size=40),
    st.text(alphabet=CONTROL, max_size=20),
    HUGE,
)
VALUE = st.one_of(
    TEXT,
    st.builds(Raw, st.binary(min_size=1, max_size=12)),
    st.lists(TEXT, min_size=2, max_size=3),  # the same field twice: a list where one is due
    st.builds(Upload, TEXT, st.sampled_from([b"", b"\x00" * 8, pdf_bytes()])),
)


def _field(valid: Any) -> st.SearchStrategy:
    options = [st.just(OMIT), VALUE]
    if valid is not None:
        options.insert(0, st.just(valid))
    return st.one_of(*options)


def _encode_value(value: Any) -> bytes:
    if isinstance(value, Raw):
        return bytes(value)
    return str(value).encode("utf-8")


def _pairs(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs = []
    for key, value in fields.items():
        if value is OMIT:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return pairs


def encode(pairs: list[tuple[str, Any]], how: str) -> tuple[bytes, str]:
    """The body and its content type: urlencoded, multipart, or JSON."""
    if how == "json":
        document: dict[str, Any] = {}
        for key, value in pairs:
            if isinstance(value, Upload):
                value = {"filename": value.filename}
            elif isinstance(value, Raw):
                value = list(value)
            document.setdefault(key, []).append(value)
        body = {k: v[0] if len(v) == 1 else v for k, v in document.items()}
        return json.dumps(body).encode(), "application/json"
    if how == "urlencoded" and not any(isinstance(v, Upload) for _, v in pairs):
        body = "&".join(
            f"{quote(key)}={quote(_encode_value(value), safe='')}" for key, value in pairs
        )
        return body.encode("ascii"), "application/x-www-form-urlencoded"
    boundary = "hostile-" + uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in pairs:
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, Upload):
            name = value.filename.replace("\\", "\\\\").replace('"', '\\"')
            name = name.replace("\r", "%0D").replace("\n", "%0A")
            out.write(
                f'Content-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            out.write(value.data)
        else:
            out.write(f'Content-Disposition: form-data; name="{key}"\r\n\r\n'.encode())
            out.write(_encode_value(value))
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- the world each form is tried in ------------------------------------------------------


@dataclass
class Target:
    """One form: where it is, who sends it, what a valid submission is."""

    browser: Browser
    url: str
    valid: dict[str, Any]
    method: str = "POST"
    pages: list[str] = field(default_factory=list)  # what shows the stored values
    check: Callable[[Any, dict[str, Any]], None] | None = None  # on a redirect
    variants: list[dict[str, Any]] = field(default_factory=list)  # other valid requests
    accepted: int = 302  # the answer to a valid request (a preview is a page: 200)


@dataclass
class World:
    app: Any
    session: Any
    factory: Factory
    login_as: Callable

    def browser(self, role: str | None, user=None) -> tuple[Browser, Any]:
        if role is None:
            return Browser(self.app), None
        return self.login_as(role, user)

    def hidden(self, browser: Browser, url: str, name: str) -> str:
        return hidden(browser.get(url).get_data(as_text=True), name)


def _email() -> str:
    return f"hostile-{uuid.uuid4().hex[:12]}@example.com"


def _future(days: int = 30) -> str:
    return (utcnow() + dt.timedelta(days=days)).date().isoformat()


def _today() -> str:
    return utcnow().astimezone(printing.ALMATY).date().isoformat()


def _mediation(w: World):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = w.factory.mediate(case, clerk)
    return case, clerk, mediator


def _arbitration(w: World):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair = w.factory.tribunal(case, clerk)[0]
    return case, clerk, chair


def _act(w: World, case, user, role: str, action: str, extra: dict[str, Any]) -> Target:
    w.session.commit()
    browser, _ = w.browser(role, user)
    url = f"/cases/{case.id}/act/{action}"
    fields = {"act-version": str(case.version), **extra}
    return Target(browser, url, fields, pages=[f"/cases/{case.id}", f"/cases/{case.id}/trail"])


# Each setup returns the Target; a refused request must change nothing, an accepted one must
# leave what a valid one leaves.


def t_login(w):
    user = w.factory.user(Role.INVESTOR)
    w.session.commit()
    browser, _ = w.browser(None)
    return Target(
        browser,
        "/login",
        {"email": user.email, "password": "wrong password 123", "next": "/cases/"},
    )


def t_register(w):
    browser, _ = w.browser(None)
    password = "a long enough passphrase 2024"
    return Target(
        browser,
        "/register",
        {"name": "Hostile Investor", "email": _email(), "password": password, "confirm": password},
        check=_registered,
    )


def _registered(session, sent):
    from dispute_portal.auth.models import User

    user = session.scalars(select(User).order_by(User.id.desc())).first()
    if isinstance(sent["name"], str) and not isinstance(sent["name"], Raw):
        assert user.name == sent["name"].strip()  # stored whole, not cut or mangled


def t_language(w):
    browser, _ = w.browser("investor")
    return Target(browser, "/language", {"locale": "ru", "next": "/cases/"})


def _section(section: str, values: dict[str, Any]) -> Callable[[World], Target]:
    def setup(w):
        browser, investor = w.browser("investor")
        case = w.factory.case(CaseState.DRAFT, claimant=investor, complete=False)
        w.session.commit()
        url = f"/cases/{case.id}/edit/{section}"
        return Target(browser, url, dict(values), pages=[url, f"/cases/{case.id}/submit"])

    return setup


t_claimant = _section(
    "claimant",
    {
        "kind": "company", "name": "Steppe Solar LLP", "country": "KZ", "address": "Al-Farabi 1",
        "email": "legal@steppe.kz", "phone": "+7 727 000", "contact_person": "A. B.",
        "counsel_name": "C. D.", "counsel_firm": "Firm", "counsel_email": "c@firm.kz",
        "continue": "1",
    },
)  # fmt: skip
t_respondent = _section(
    "respondent",
    {"kind": "state_body", "name": "Akimat", "country": "", "address": "x", "email": "",
     "phone": "", "contact_person": ""},
)  # fmt: skip
t_investment = _section(
    "investment",
    {"project_name": "Solar park", "sector": "energy", "location": "Zone 3",
     "amount_invested": "1 500 000,50", "invested_currency": "USD"},
)  # fmt: skip
t_dispute = _section(
    "dispute",
    {"summary": "Lease terminated.", "measures": "Termination.", "legal_basis": "treaty",
     "legal_basis_ref": "BIT Art. 5", "relief_sought": "Damages.",
     "amount_claimed": "2,000,000.00", "claimed_currency": "EUR", "language": "ru"},
)  # fmt: skip


def t_new_claim(w):
    browser, _ = w.browser("investor")
    return Target(browser, "/cases/new", {"client_token": uuid.uuid4().hex})


def t_upload(w):
    browser, investor = w.browser("investor")
    case = w.factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    w.session.commit()
    url = f"/cases/{case.id}/documents"

    def check(session, sent):
        document = session.scalars(
            select(Document).where(Document.case_id == case.id).order_by(Document.id.desc())
        ).first()
        upload = sent["file"]
        assert document.original_name == names.document_name(upload.filename, document.content_type)
        path = w.app.config["UPLOAD_DIR"] + "/" + document.stored_name
        with open(path, "rb") as fh:
            assert fh.read() == upload.data

    return Target(
        browser,
        url,
        {"file": Upload("claim.pdf", pdf_bytes())},
        pages=[url, f"/cases/{case.id}/submit"],
        check=check,
    )


def t_delete_document(w):
    browser, investor = w.browser("investor")
    case = w.factory.case(CaseState.DRAFT, claimant=investor, complete=True)
    w.session.commit()
    document = case.documents[0]
    url = f"/cases/{case.id}/documents/{document.id}/delete"
    return Target(
        browser, url, {"version": str(case.version)}, pages=[f"/cases/{case.id}/documents"]
    )


def t_submit(w):
    browser, investor = w.browser("investor")
    case = w.factory.case(CaseState.DRAFT, claimant=investor, complete=True)
    w.session.commit()
    return Target(
        browser,
        f"/cases/{case.id}/submit",
        {"version": str(case.version)},
        pages=[f"/cases/{case.id}"],
    )


def t_submission(w):
    browser, investor = w.browser("investor")
    case = w.factory.case(CaseState.REGISTERED, claimant=investor)
    w.session.commit()
    return Target(
        browser,
        f"/cases/{case.id}/submissions/new",
        {
            "version": str(case.version), "title": "Exhibits", "body": "See attached.",
            "file_1": Upload("exhibit.pdf", pdf_bytes()), "visibility_1": "parties",
            "visibility_2": "parties", "visibility_3": "parties",
        },
        pages=[f"/cases/{case.id}"],
        variants=[{"version": str(case.version), "title": "Text only", "body": "No file."}],
    )  # fmt: skip


def t_meeting(w):
    case, _clerk, mediator = _mediation(w)
    w.session.commit()
    browser, _ = w.browser("mediator", mediator)
    return Target(
        browser,
        f"/cases/{case.id}/meetings/new",
        {
            "version": str(case.version), "on_date": _future(), "at_time": "10:30",
            "place": "Room 1", "video_link": "https://meet.example.org/x", "agenda": "Opening",
        },
        pages=[f"/cases/{case.id}"],
    )  # fmt: skip


def t_notes(w):
    case, _clerk, mediator = _mediation(w)
    w.session.commit()
    browser, _ = w.browser("mediator", mediator)
    url = f"/cases/{case.id}/notes"
    return Target(browser, url, {"body": "A private note."}, pages=[url])


def t_impasse(w):
    case, _clerk, mediator = _mediation(w)
    return _act(w, case, mediator, "mediator", "impasse", {"act-reason": "No agreement."})


def t_procedural_order(w):
    case, _clerk, chair = _arbitration(w)
    return _act(w, case, chair, "arbitrator", "procedural_order", {"act-reason": "Order 1."})


def t_close_submissions(w):
    case, _clerk, chair = _arbitration(w)
    fields = {"act-last_on": _future(20), "act-reason": "Procedural order No. 2."}
    return _act(w, case, chair, "arbitrator", "close_submissions", fields)


def t_act_preview(w):
    case, _clerk, chair = _arbitration(w)
    target = _act(w, case, chair, "arbitrator", "procedural_order", {"act-reason": "Order."})
    target.url += "/preview"
    target.accepted = 200
    return target


def t_provisional_request(w):
    case, _clerk, _chair = _arbitration(w)
    w.session.commit()
    browser, _ = w.browser("investor", case.claimant_user)
    return Target(
        browser, f"/cases/{case.id}/provisional-measures/request",
        {"version": str(case.version), "measures": "Freeze the grid capacity.",
         "grounds": "It is the investment's only outlet.", "urgent": "y"},
        pages=[f"/cases/{case.id}", f"/cases/{case.id}/trail"],
    )  # fmt: skip


def t_provisional_shorten(w):
    case, _clerk, chair = _arbitration(w)
    measures.request_measures(
        w.session, case, user=case.claimant_user, measures="Freeze the grid capacity.",
        grounds="The allocation is next week.", urgent=True, expected_version=None,
    )  # fmt: skip
    w.session.commit()
    browser, _ = w.browser("arbitrator", chair)
    return Target(
        browser, f"/cases/{case.id}/provisional-measures/shorten-time",
        {"version": str(case.version), "until": _future(3), "reason": "It cannot wait."},
        pages=[f"/cases/{case.id}", f"/cases/{case.id}/trail"],
    )  # fmt: skip


def t_costs_statement(w):
    case, _clerk, chair = _arbitration(w)
    claims.order_costs_statements(
        case, chair=chair, due=dt.date.fromisoformat(_future(20)), reason="Statements, please.",
        expected_version=None,
    )  # fmt: skip
    w.session.commit()
    browser, _ = w.browser("investor", case.claimant_user)
    return Target(
        browser, f"/cases/{case.id}/costs/statement",
        {"act-version": str(case.version), "act-item_1_description": "Counsel's fees",
         "act-item_1_amount": "1 500 000,25", "act-item_1_currency": "KZT",
         "act-item_2_description": "Experts", "act-item_2_amount": "20000.10",
         "act-item_2_currency": "USD", "act-reason": "Invoices attached to the memorial."},
        pages=[f"/cases/{case.id}", f"/cases/{case.id}/trail"],
    )  # fmt: skip


def t_fee_schedule(w):
    browser, _ = w.browser("admin")
    page = browser.get("/admin/fees").get_data(as_text=True)
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields = {k: v for k, v in fields.items() if k != "csrf_token"}
    fields |= {"name": "Schedule 2027", "KZT__mode": "scale", "USD__mode": "scale"}
    return Target(browser, "/admin/fees", fields, pages=["/admin/fees", "/fees"])


def t_advance(w):
    case, clerk, _mediator = _mediation(w)
    w.session.commit()
    browser, _ = w.browser("clerk", clerk)
    url = f"/cases/{case.id}/account"
    return Target(
        browser, f"{url}/advances",
        {"advance-version": str(case.version), "advance-amount": "12 500,50",
         "advance-currency": "USD", "advance-claimant_percent": "60",
         "advance-reason": "The respondent's counterclaim doubles the amount in dispute."},
        pages=[url, f"/cases/{case.id}/trail"],
    )  # fmt: skip


def t_funding(w):
    case, _clerk, _chair = _arbitration(w)
    w.session.commit()
    browser, _ = w.browser("investor", case.claimant_user)
    url = f"/cases/{case.id}/funding"
    return Target(
        browser, url,
        {"version": str(case.version), "funder_name": "Themis Litigation Fund LP",
         "funder_address": "1 Fleet Street, London EC4Y 1AA"},
        pages=[url, f"/cases/{case.id}/trail"],
    )  # fmt: skip


def _registry(action: str, prefix: str | None) -> Callable[[World], Target]:
    def setup(w):
        clerk = w.factory.user(Role.CLERK)
        case = w.factory.case(CaseState.SUBMITTED)
        w.session.commit()
        browser, _ = w.browser("clerk", clerk)
        if prefix is None:
            valid = {"version": str(case.version)}
        else:
            valid = {f"{prefix}-version": str(case.version), f"{prefix}-reason": "Attach it."}
        return Target(
            browser,
            f"/registry/cases/{case.id}/{action}",
            valid,
            pages=[f"/cases/{case.id}", f"/registry/cases/{case.id}"],
        )

    return setup


t_return = _registry("return", "return")
t_reject = _registry("reject", "reject")
t_register_case = _registry("register", None)


def t_registry_preview(w):
    target = _registry("preview/return", "return")(w)
    target.accepted = 200
    return target


def t_extend_deadline(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    w.session.commit()
    browser, _ = w.browser("clerk", clerk)
    deadline = case.deadlines[0]
    return Target(
        browser,
        f"/cases/{case.id}/deadlines/extend",
        {
            "version": str(case.version), "deadline": str(deadline.id),
            "new_due": _future(90), "reason": "The parties asked.",
        },
        pages=[f"/cases/{case.id}"],
    )  # fmt: skip


def t_invite(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    w.session.commit()
    browser, _ = w.browser("clerk", clerk)
    url = f"/cases/{case.id}/invite/representative"
    return Target(
        browser, url, {"version": str(case.version), "name": "R. Rep", "email": _email()},
        pages=[url],
    )  # fmt: skip


def t_invite_counsel(w):
    browser, investor = w.browser("investor")
    case = w.factory.case(CaseState.REGISTERED, claimant=investor)
    w.session.commit()
    url = f"/cases/{case.id}/invite/counsel"
    return Target(
        browser, url, {"version": str(case.version), "name": "Counsel", "email": _email()},
        pages=[url],
    )  # fmt: skip


def t_join(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    _invitation, token = parties.invite(
        w.session, case, inviter=clerk, side=Side.RESPONDENT,
        standing=Standing.REPRESENTATIVE, email=_email(), name="New Rep", expected_version=None,
    )  # fmt: skip
    w.session.commit()
    browser, _ = w.browser(None)
    password = "a long enough passphrase 2024"
    return Target(
        browser, f"/join/{token}", {"name": "New Rep", "password": password, "confirm": password}
    )


def t_assign_mediator(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = w.factory.user(Role.MEDIATOR)
    w.session.commit()
    browser, _ = w.browser("clerk", clerk)
    url = f"/cases/{case.id}/assign-mediator"
    return Target(
        browser, url, {"version": str(case.version), "mediator": str(mediator.id)}, pages=[url]
    )


def t_tribunal(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.ARBITRATION, clerk=clerk)
    arbitrators = [w.factory.user(Role.ARBITRATOR) for _ in range(3)]
    w.session.commit()
    browser, _ = w.browser("clerk", clerk)
    url = f"/cases/{case.id}/tribunal"
    a, b, c = (str(u.id) for u in arbitrators)
    return Target(
        browser, url,
        {"version": str(case.version), "size": "3", "sole": "", "presiding": a, "co1": b, "co2": c},
        pages=[url],
    )  # fmt: skip


def t_appointment(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator = w.factory.user(Role.MEDIATOR)
    neutrals.propose_mediator(
        w.session, case, clerk=clerk, mediator=mediator, expected_version=None
    )
    w.session.commit()
    browser, _ = w.browser("mediator", mediator)
    url = f"/cases/{case.id}/appointment"
    valid = {
        "accept-version": str(case.version),
        "accept-answer": "accept",
        "accept-digest": w.hidden(browser, url, "accept-digest"),
        "accept-locale": "en",
        "accept-confirm": "y",
    }
    return Target(browser, url, valid, pages=[f"/cases/{case.id}"])


def t_decline(w):
    target = t_appointment(w)
    version = target.valid["accept-version"]
    target.valid = {
        "decline-version": version,
        "decline-answer": "decline",
        "decline-disclosure": "I advised the respondent.",
    }
    return target


def t_conflicts(w):
    browser, _ = w.browser("mediator")
    return Target(
        browser, "/conflicts", {"party_name": "Akimat of Alatau City", "note": "Former client"},
        pages=["/conflicts"],
    )  # fmt: skip


def t_remove_conflict(w):
    mediator = w.factory.user(Role.MEDIATOR)
    conflict = neutrals.add_conflict(w.session, mediator, party_name="Steppe LLP", note=None)
    w.session.commit()
    browser, _ = w.browser("mediator", mediator)
    return Target(browser, "/conflicts", {"conflict_id": str(conflict.id)}, pages=["/conflicts"])


def t_verify(w):
    case = w.factory.case(CaseState.SUBMITTED)
    w.session.commit()
    ruling = w.session.scalars(select(Ruling).where(Ruling.case_id == case.id)).first()
    browser, _ = w.browser(None)
    return Target(browser, "/verify", {"code": ruling.verification_code})


def t_verify_file(w):
    browser, _ = w.browser(None)
    return Target(browser, "/verify", {"file": Upload("ruling.pdf", pdf_bytes())})


def t_rules(w):
    from dispute_portal.deadlines import operations as deadline_ops

    browser, _ = w.browser("admin")
    current = deadline_ops.current_rule_set(w.session).rules
    valid: dict[str, Any] = {
        "name": "Hostile rules",
        "mediation_extension_days": "30",
        "mediation_extensions_allowed": "1",
        "mediation_inactivity_days": "60",
        "remind_days_before": "3",
        "respondent_join_days": "10",
        "inactivity_days": "150",
        "non_payment_discontinuance_days": "90",
        "challenge_days": "21",
        "redaction_days": "60",
        "mediation_first": "1",
        "excerpts_without_consent": "1",
        "expedited_limit_usd": "1000000",
    }
    for key, rule in current["deadlines"].items():
        valid[f"{key}__amount"] = str(rule["amount"])
        valid[f"{key}__unit"] = rule["unit"]
    return Target(browser, "/admin/rules/", valid, pages=["/admin/rules/"])


def t_api_token(w):
    browser, _ = w.browser("investor")
    valid = {"name": "Matter system", "scope": "read_write", "days": "90"}
    # The token is shown on the answer itself (never in a redirect): a valid request is 200.
    return Target(browser, "/account/tokens", valid, pages=["/account/tokens"], accepted=200)


def t_api_client(w):
    browser, _ = w.browser("admin")
    representative = w.factory.user(Role.RESPONDENT)
    w.session.commit()
    valid = {
        "name": "Ministry case tracker",
        "acts_for": representative.email,
        "scope": "read",
        "respondent": "Ministry of Energy",
    }
    # The secret is shown on the answer itself (never in a redirect): a valid request is 200.
    return Target(browser, "/admin/api-clients", valid, pages=["/admin/api-clients"], accepted=200)


def t_calendar_day(w):
    browser, _ = w.browser("admin")
    valid = {"day": "2027-01-08", "kind": "day_off", "reason": "Government decree No. 1"}
    return Target(browser, "/admin/calendar/", valid, pages=["/admin/calendar/"])


def t_calendar_publish(w):
    browser, admin = w.browser("admin")
    # A change to publish, whatever versions tests that committed have left behind.
    calendars.add_day(
        w.session, day=dt.date(2027, 1, 8), kind="day_off", reason="Decree No. 1", by=admin
    )
    valid = {"name": "Calendar of 2027"}
    return Target(browser, "/admin/calendar/publish", valid, pages=["/admin/calendar/"])


def t_users(w):
    browser, _ = w.browser("admin")
    return Target(
        browser, "/admin/users",
        {"name": "New Clerk", "email": _email(), "role": "clerk",
         "password": "a long enough passphrase 2024"},
        pages=["/admin/users"],
    )  # fmt: skip


def t_staff_account(w):
    browser, _ = w.browser("admin")
    mediator = w.factory.user(Role.MEDIATOR)
    url = f"/admin/users/{mediator.id}"
    return Target(browser, url, {"nationality": "KZ"}, pages=[url, "/admin/users"])


def t_inbox(w):
    browser, _ = w.browser("investor")
    return Target(browser, "/notifications", {}, pages=["/notifications"])


def t_outbox(w):
    browser, _ = w.browser("admin")
    return Target(browser, "/admin/outbox", {}, pages=["/admin/outbox"])


def t_print_queue(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.SUBMITTED)
    w.session.commit()
    ruling = w.session.scalars(select(Ruling).where(Ruling.case_id == case.id)).first()
    browser, _ = w.browser("clerk", clerk)
    return Target(
        browser,
        "/registry/print",
        {"ruling_ids": str(ruling.id), "action": "served", "served_on": _today()},
        pages=["/registry/print"],
        variants=[{"ruling_ids": str(ruling.id)}],  # a print batch of it
    )


def t_account(w):
    browser, _ = w.browser("investor")
    return Target(
        browser, "/account",
        {"current": Factory.PASSWORD, "password": "another long passphrase 77",
         "confirm": "another long passphrase 77"},
    )  # fmt: skip


def t_forgot(w):
    user = w.factory.user(Role.INVESTOR)
    w.session.commit()
    browser, _ = w.browser(None)
    # an unknown address is answered the same way, and leaves no token
    return Target(
        browser, "/password/forgot", {"email": user.email}, variants=[{"email": _email()}]
    )


# The filters (GET): every parameter hostile, the page must still answer.


def _get(role: str | None, url: str, valid: dict[str, Any], setup=None):
    def make(w):
        if setup is not None:
            setup(w)
        w.session.commit()
        browser, _ = w.browser(role)
        return Target(browser, url, dict(valid), method="GET")

    return make


def _with_batch(w):
    clerk = w.factory.user(Role.CLERK)
    case = w.factory.case(CaseState.SUBMITTED)
    w.session.flush()
    ruling = w.session.scalars(select(Ruling).where(Ruling.case_id == case.id)).first()
    return printing.create_batch(w.session, clerk=clerk, ruling_ids=[ruling.id])


def t_batch_json(w):
    batch = _with_batch(w)
    w.session.commit()
    browser, _ = w.browser("clerk")
    return Target(browser, f"/registry/print/batches/{batch.id}", {"format": "json"}, "GET")


FORMS: dict[str, Callable[[World], Target]] = {
    name.removeprefix("t_"): fn for name, fn in globals().items() if name.startswith("t_")
}
DOCKET = {"state": "registered", "neutral": "", "overdue": "y", "after": "1", "before": "2"}
CASELOAD = {"state": "mediation", "sort": "deadline", "page": "1"}
PRINT_FILTERS = {"kind": "award", "issued_from": "2026-01-01", "issued_to": "2026-12-31"}
FILTERS: dict[str, Callable[[World], Target]] = {
    "docket": _get("clerk", "/registry/docket", DOCKET),
    "caseload": _get("mediator", "/caseload", CASELOAD),
    "my_cases": _get("investor", "/cases/", {"page": "2"}),
    "notifications": _get("investor", "/notifications", {"page": "1"}),
    "outbox": _get("admin", "/admin/outbox", {"show": "all", "page": "1"}),
    "print_filters": _get("clerk", "/registry/print", PRINT_FILTERS),
    "verify_code": _get(None, "/verify", {"code": "ABCD-EFGH-JKLM"}),
    "fees": _get(None, "/fees", {"amount": "120000000.00", "currency": "KZT"}),
    "login_next": _get(None, "/login", {"next": "/cases/"}),
    "intake": _get("clerk", "/registry/intake", {"page": "1"}),
    "search_clerk": _get("clerk", "/search", {"q": "solar", "after": "12"}),
    "search_investor": _get("investor", "/search", {"q": "ADR-2026-0001", "after": "3"}),
}
FORMS.update({f"get_{name}": setup for name, setup in FILTERS.items()})

# Tables a refused request may still write to, on purpose.
# Forms whose valid request is still answered with the form: a login with a wrong password,
# the public verification form.
REFUSED_WHEN_VALID = {"login", "verify", "verify_file"}
SECURITY_LOG = {"security_events", "chain_heads", "log_leaves", "log_nodes"}  # and its leaves
MAY_CHANGE = {
    "login": SECURITY_LOG,  # a failed login is recorded whatever the answer
    "forgot": SECURITY_LOG,
    "account": SECURITY_LOG,  # a wrong current password too
}


HOW = ["urlencoded", "multipart", "json"]
# The classics, tried on every field before hypothesis explores.
NASTY = [
    "99999999999999999999",  # a number past every integer column
    "   ",  # blank, but not empty
    "\x00",
    "x" * 100_000,
    Upload("a.pdf", pdf_bytes()),  # a file where text is due (or text where a file is due)
    ["1", "2"],  # the field twice
]

# --- the run -------------------------------------------------------------------------------


def _counts(connection) -> dict[str, int]:
    """Rows per table, in one statement (it runs twice per example, over every table)."""
    tables = Base.metadata.sorted_tables
    row = connection.execute(
        select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))
    ).one()
    return {table.name: count for table, count in zip(tables, row, strict=True)}


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


@contextmanager
def _rolled_back(connection, browser: Browser) -> Iterator[None]:
    """One example: its changes (and the cookies it set) are undone afterwards."""
    cookies = dict(browser.client._cookies)
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()
        browser.client._cookies.clear()
        browser.client._cookies.update(cookies)


def _send(target: Target, pairs: list[tuple[str, Any]], how: str):
    client = target.browser.client
    if target.method == "GET":
        query = "&".join(f"{quote(k)}={quote(_encode_value(v), safe='')}" for k, v in pairs)
        response = client.get(f"{target.url}?{query}")
    else:
        pairs = [("csrf_token", target.browser.csrf()), *pairs]
        body, content_type = encode(pairs, how)
        headers = {"X-CSRFToken": target.browser.csrf()} if how == "json" else {}
        response = client.post(target.url, data=body, content_type=content_type, headers=headers)
    response.get_data()
    response.close()
    return response


def _one_of_each_kind(fields: dict[str, Any]) -> list[str]:
    """The fields, but one of those built alike: `<part>__<name>` fields of the same name
    (each deadline's amount and unit on the rules' form, each currency's and bracket's rate
    on the fees' form) are one field class each, drawn and parsed by the same code."""
    kinds: dict[str, str] = {}
    for key in fields:
        kinds.setdefault(key.rsplit("__", 1)[-1] if "__" in key else key, key)
    return list(kinds.values())


def _no_server_error(response, sent) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, f"{response.status_code} for {sent!r:.2000}"
    assert "Traceback" not in text


def _fresh_session():
    return db.sessionmaker()


@pytest.fixture
def world(app, session, factory, login_as) -> World:
    limiter = app.extensions.get("auth_limiter")
    if limiter is not None:
        limiter.reset()
    yield World(app, session, factory, login_as)
    if limiter is not None:
        limiter.reset()  # the hostile logins must not throttle the tests that follow


# PostgreSQL is the stricter database wherever hostile input can reach it (a text longer than
# its column, a NUL byte, an integer out of range: SQLite stores what PostgreSQL refuses), so
# the forms run in the PostgreSQL pass; the search runs in both, SQLite's FTS5 having a
# query syntax of its own that hostile text can break.
BOTH_DATABASES = ("get_search_clerk", "get_search_investor")
assert set(BOTH_DATABASES) <= set(FORMS), "BOTH_DATABASES names a form FORMS does not have"


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(name, marks=() if name in BOTH_DATABASES else pytest.mark.strict_database)
        for name in sorted(FORMS)
    ],
)
def test_hostile_input_never_breaks_a_form(form, world, connection, app):
    target = FORMS[form](world)
    world.session.commit()
    target.browser.csrf()  # the token (and its session cookie) from before any example
    limiter = app.extensions.get("auth_limiter")

    # Valid requests first: they must be accepted, and they show what whole records are.
    wholes = []
    for valid in [target.valid, *target.variants]:
        with _rolled_back(connection, target.browser):
            before = _counts(connection)
            response = _send(target, _pairs(valid), "urlencoded")
            _no_server_error(response, valid)
            expected = (
                200 if target.method == "GET" or form in REFUSED_WHEN_VALID else target.accepted
            )
            assert response.status_code == expected, f"the valid {form} request: {response.status}"
            wholes.append(_delta(before, _counts(connection)))

    def attempt(sent: dict[str, Any], extra: dict[str, Any], how: str) -> None:
        pairs = _pairs(sent) + _pairs(extra)
        with _rolled_back(connection, target.browser):
            if limiter is not None:
                limiter.reset()
            before = _counts(connection)
            response = _send(target, pairs, how)
            _no_server_error(response, pairs)
            changed = _delta(before, _counts(connection))
            quiet = {k: v for k, v in changed.items() if k not in MAY_CHANGE.get(form, ())}
            refused = response.status_code >= 400 or (
                target.method == "POST" and response.status_code == 200 and target.accepted != 200
            )
            if refused and form not in REFUSED_WHEN_VALID:
                assert quiet == {}, f"a refused request ({response.status_code}) changed {changed}"
            elif changed and quiet:
                assert changed in wholes, f"half a record: {changed}, whole ones are {wholes}"
                if target.check is not None:
                    with _fresh_session() as s:
                        target.check(s, sent)
            # What was stored (or flashed, on a redirect) shows on the pages; a refusal that
            # answered with the form again stored nothing and has just been drawn.
            if changed or response.status_code in (301, 302, 303):
                for page in target.pages:
                    shown = target.browser.get(page)
                    assert shown.status_code < 500, f"{page} broke after {pairs!r:.2000}"

    # Every kind of field in turn gets each classic among bad values, the others valid ...
    for key in _one_of_each_kind(target.valid):
        for nasty in NASTY:
            attempt({**target.valid, key: nasty}, {}, "multipart")

    # ... then hypothesis mixes everything.
    fields = {key: _field(value) for key, value in target.valid.items()}
    strategy = st.tuples(
        st.fixed_dictionaries(fields),
        st.dictionaries(
            st.sampled_from(["x", "id", "csrf_token", "version", "__class__"]), VALUE, max_size=2
        ),
        st.sampled_from(HOW),
    )

    @SETTINGS
    @given(strategy)
    def hostile(example):
        attempt(*example)

    hostile()


# --- addresses ---------------------------------------------------------------------------------

HUGE_ID = "99999999999999999999"
ODD_SEGMENTS = ["%00", "x" * 2000, "..%2F..%2Fetc", "%E2%80%AE", "%FF"]


def _addresses(app) -> Iterator[tuple[str, str]]:
    """Every route with a huge number for each id and odd text for each other part."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods & {"GET", "POST"})
        variants = [HUGE_ID] if rule.arguments else [None]
        if any(not isinstance(rule._converters[a], IntegerConverter) for a in rule.arguments):
            variants += ODD_SEGMENTS
        for odd in variants:
            if odd is None:
                continue
            path = rule.rule
            for name in rule.arguments:
                text = HUGE_ID if isinstance(rule._converters[name], IntegerConverter) else odd
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", text, path)
            for method in methods:
                yield method, path


@pytest.mark.parametrize("role", [None, "investor", "clerk", "admin"])
def test_no_address_breaks_on_a_huge_id_or_odd_text(role, app, world):
    browser, _ = world.browser(role)
    token = browser.csrf()
    broken = []
    for method, path in _addresses(app):
        if method == "GET":
            response = browser.client.get(path)
        else:
            response = browser.client.post(path, data={"csrf_token": token})
        response.close()
        if response.status_code >= 500:
            broken.append((method, path[:120], response.status_code))
    assert broken == []
