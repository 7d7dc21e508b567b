"""Issuing and verifying rulings."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.support import NullTranslations
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import PARTY_KIND_LABELS, Case, Party
from ..cases.subject import LEGAL_BASIS_LABELS
from ..clock import ALMATY
from ..core.money import format_money
from ..db import session_of, utcnow
from ..errors import TransitionRefused
from ..files import delete_on_rollback
from ..parties.models import Side
from ..publication.models import SealTarget, find_seal
from ..texts import N_
from ..workflow.engine import Change
from ..workflow.models import record
from .kinds import ACCOUNT_KINDS, KINDS
from .models import Ruling, display_code
from .render import STATIC_SCHEME, catalogue, iso_utc, render_html, render_pdf
from .signing import sign_pdf, signer_name

# Crockford's base32: no I, L, O or U, so a code read aloud or retyped survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
LANGUAGES = ("en", "ru", "kk")  # every kind has a template in each


def settings(session: Session) -> Any:
    """The app's settings, carried by the session (see db._AppSession)."""
    try:
        return session.info["config"]
    except KeyError:
        raise RuntimeError("this session carries no app config (session.info['config'])") from None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def _party(
    party: Party | None, language: str, t: NullTranslations, *, sealed: bool = False
) -> dict[str, Any]:
    """A party as a ruling names it; its address left out while its contact is sealed (a
    ruling reaches the other side)."""
    if party is None:
        return {"name": "", "kind": None, "country": None, "address": None, "counsel": None}
    counsel = ", ".join(x for x in (party.counsel_name, party.counsel_firm) if x) or None
    country = Locale.parse(language).territories.get(party.country) if party.country else None
    return {
        "name": party.name or "",
        "kind": t.gettext(PARTY_KIND_LABELS[party.kind]) if party.kind else None,
        "country": country,
        "address": None if sealed else party.address,
        "counsel": counsel,
    }


def _money(amount: Decimal | None, currency: Any, language: str) -> str:
    if amount is None:
        return ""
    return format_money(amount, currency, language)


def ruling_language(case: Case) -> str:
    """Rulings render in the case's procedural language (English if it has none we know)."""
    return case.language if case.language in LANGUAGES else "en"


def ruling_values(
    case: Case,
    kind: str,
    *,
    language: str,
    issued_at: dt.datetime,
    code: str,
    issuer_name: str,
    issuer_role: str,
    reasons: str | None,
    corrects: Ruling | None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything a ruling shows, as plain values in its language (stored with the ruling).

    `extra` carries what one kind needs beyond the case (a new expected date, the date of
    the award a decision corrects), already formatted as text.
    """
    t = catalogue(language)
    session = session_of(case)
    config = settings(session)
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    cert = config.get("SIGNING_CERT")
    submitted = case.submitted_at or issued_at
    return {
        "centre": t.gettext("Investment Dispute Resolution Centre of Alatau City"),
        "place": t.gettext("Alatau City"),
        "title": t.gettext(KINDS[kind].title),
        "reference": case.reference,
        "number": case.number,
        "case_title": case.title_in(t.gettext),
        "claimant": _party(
            case.claimant,
            language,
            t,
            sealed=find_seal(case.seals, SealTarget.PARTY_CONTACT, side=Side.CLAIMANT) is not None,
        ),
        "respondent": _party(
            case.respondent,
            language,
            t,
            sealed=find_seal(case.seals, SealTarget.PARTY_CONTACT, side=Side.RESPONDENT)
            is not None,
        ),
        "project_name": case.project_name or "",
        "amount_claimed": _money(case.amount_claimed, case.claimed_currency, language),
        "legal_basis": t.gettext(LEGAL_BASIS_LABELS[case.legal_basis]) if case.legal_basis else "",
        "documents": [{"name": d.download_name, "sha256": d.sha256} for d in case.documents],
        "submitted_at": format_datetime(
            submitted, "d MMMM y, HH:mm", tzinfo=ALMATY, locale=language
        ),
        "issued_date": format_date(
            issued_at.astimezone(ALMATY).date(), "d MMMM y", locale=language
        ),
        "issued_at_iso": iso_utc(issued_at),
        "issuer_name": issuer_name,
        "issuer_role": t.gettext(issuer_role),
        "reasons": reasons,
        "corrects": display_code(corrects.verification_code) if corrects else None,
        "verification_code": display_code(code),
        "verify_url": f"{base}/verify?code={code}",
        "verify_base": f"{base}/verify",
        "signed_by": signer_name(cert, config.get("SIGNING_CERT_PASSWORD")) if cert else None,
        "mediator": _neutrals(case, t, tribunal=False),
        "tribunal": _neutrals(case, t, tribunal=True),
        "extra": dict(extra or {}),
    }


def _neutrals(case: Case, t: NullTranslations, *, tribunal: bool) -> list[dict[str, str]]:
    """The accepted mediator, or the tribunal's members (chair first), as name and title."""
    members = [
        a
        for a in case.appointments
        if a.status.value == "accepted" and a.capacity.in_tribunal == tribunal
    ]
    members.sort(key=lambda a: (not a.capacity.chairs, a.id))
    return [{"name": a.user.name, "capacity": t.gettext(a.capacity.label)} for a in members]


def _issuer_role(case: Case, issuer: User | None) -> str:
    """The title under the signature: what the issuer is on this case."""
    if issuer is None:
        return N_("Registry of the Centre (issued automatically)")
    for appointment in case.appointments:
        if appointment.user_id == issuer.id and appointment.status.value == "accepted":
            return appointment.capacity.label
    return N_("Registrar")


def corrected_ruling(case: Case, kind: str) -> Ruling | None:
    """The ruling that a ruling of this kind corrects or interprets: the case's latest of the
    kind it refers to (a decision on a request for correction: the award), or None."""
    target = KINDS[kind].corrects
    if target is None:
        return None
    latest = (
        select(Ruling)
        .where(Ruling.case_id == case.id, Ruling.kind == target)
        .order_by(Ruling.issued_at.desc(), Ruling.id.desc())
        .limit(1)
    )
    return session_of(case).scalar(latest)


def issue_for_transition(change: Change) -> Ruling | None:
    """The workflow's effect on rulings: issue the one the act's row names, if any (in the
    registry's name when the table says it is issued automatically), linked to the ruling
    it corrects when its kind corrects one."""
    t = change.transition
    if not t.ruling:
        return None
    return issue_ruling(
        change.case,
        t.ruling,
        issuer=None if t.automatic_ruling else change.user,
        reasons=change.reason,
        corrects=corrected_ruling(change.case, t.ruling),
        extra=change.ruling_extra,
    )


def issue_ruling(
    case: Case,
    kind: str,
    *,
    issuer: User | None = None,
    reasons: str | None = None,
    corrects: Ruling | None = None,
    extra: dict[str, Any] | None = None,
) -> Ruling:
    """Render the ruling once, store the PDF with its hash, and audit who issued it."""
    spec = KINDS[kind]
    if "reasons" in spec.needs and not (reasons or "").strip():
        raise TransitionRefused(N_("Give the reasons."))
    issued_at = utcnow().replace(microsecond=0)
    language = ruling_language(case)
    code = new_code()
    issuer_name = issuer.name if issuer is not None else None
    values = ruling_values(
        case,
        kind,
        language=language,
        issued_at=issued_at,
        code=code,
        issuer_name=issuer_name or "",
        issuer_role=_issuer_role(case, issuer),
        reasons=reasons,
        corrects=corrects,
        extra=extra,
    )
    return issue_rendered(
        case, kind, values=values, template=spec.template(language), language=language,
        code=code, issued_at=issued_at, issuer=issuer, corrects=corrects,
    )  # fmt: skip


def issue_rendered(
    case: Case,
    kind: str,
    *,
    values: dict[str, Any],
    template: str,
    language: str,
    code: str,
    issued_at: dt.datetime,
    issuer: User | None,
    corrects: Ruling | None = None,
) -> Ruling:
    """Render `values` with `template` once, sign when the values name a signer, store the
    PDF with its hash and audit who issued it (issue_ruling; a published version)."""
    session = session_of(case)
    config = settings(session)
    pdf = render_pdf(render_html(template, values, language))
    if values["signed_by"]:  # signed after rendering, before the hash is taken
        pdf = sign_pdf(
            pdf,
            path=config["SIGNING_CERT"],
            password=config["SIGNING_CERT_PASSWORD"],
            reason=values["title"],
            location=values["place"],
        )
    digest = hashlib.sha256(pdf).hexdigest()
    directory = Path(config["RULINGS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = f"{digest}.pdf"
    path = directory / stored_name
    path.write_bytes(pdf)
    delete_on_rollback(session, path)
    ruling = Ruling(
        case_id=case.id,
        kind=kind,
        language=language,
        verification_code=code,
        sha256=digest,
        size=len(pdf),
        stored_name=stored_name,
        values=values,
        issued_at=issued_at,
        issued_by_id=getattr(issuer, "id", None),
        issued_by_name=values["issuer_name"] or values["issuer_role"],
        corrects_id=corrects.id if corrects else None,
        signed=bool(values["signed_by"]),
    )
    session.add(ruling)
    session.flush()
    record(
        issuer,
        case,
        "issue_ruling",
        data={"kind": kind, "code": display_code(code), "sha256": digest},
    )
    return ruling


def preview_html(
    case: Case,
    kind: str,
    *,
    issuer: User,
    reasons: str | None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The ruling as it would be issued now, marked as a draft; nothing is stored."""
    language = ruling_language(case)
    values = ruling_values(
        case,
        kind,
        language=language,
        issued_at=utcnow().replace(microsecond=0),
        code="",
        issuer_name=issuer.name,
        issuer_role=_issuer_role(case, issuer),
        reasons=reasons,
        corrects=corrected_ruling(case, kind),  # as the issued ruling will name it
        extra=extra,
    )
    values |= {"draft": True, "verification_code": "—", "signed_by": None}
    html = render_html(KINDS[kind].template(language), values, language)
    # In a browser the fonts come from the portal's static files.
    return html.replace(f'url("{STATIC_SCHEME}', 'url("/static/')


def ruling_pdf(session: Session, ruling: Ruling) -> bytes:
    return (Path(settings(session)["RULINGS_DIR"]) / ruling.stored_name).read_bytes()


def find_by_code(session: Session, code: str) -> Ruling | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return session.execute(
        select(Ruling).where(Ruling.verification_code == code)
    ).scalar_one_or_none()


def find_by_pdf(session: Session, data: bytes) -> Ruling | None:
    """The issued ruling these exact bytes are; one byte different is no ruling."""
    digest = hashlib.sha256(data).hexdigest()
    return session.execute(select(Ruling).where(Ruling.sha256 == digest)).scalar_one_or_none()


def case_rulings(case: Case) -> list[Ruling]:
    """The case's rulings in the order issued, but for its account's documents (invoices,
    receipts: the account page serves them, to the side they are addressed to)."""
    query = select(Ruling).where(Ruling.case_id == case.id, Ruling.kind.not_in(ACCOUNT_KINDS))
    return list(session_of(case).scalars(query.order_by(Ruling.issued_at, Ruling.id)))
