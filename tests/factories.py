"""Users and cases in every state, made through the real operations."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from decimal import Decimal
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispute_portal.accounts import billing
from dispute_portal.accounts.queries import lodging_invoice, outstanding
from dispute_portal.auth.models import Role, User
from dispute_portal.auth.passwords import hash_password
from dispute_portal.awards import operations as awards
from dispute_portal.cases import operations as cases
from dispute_portal.cases.models import Case, Document, Side, Visibility
from dispute_portal.db import utcnow
from dispute_portal.deadlines.queries import today
from dispute_portal.discontinuance import operations as ending
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Capacity
from dispute_portal.parties import operations as parties
from dispute_portal.parties.models import Standing
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.seed.pdf import pdf_file
from dispute_portal.workflow.states import CaseState

_seq = itertools.count(1)


def pdf_bytes(text: str = "Statement of claim", pages: int = 1) -> bytes:
    """A PDF that a reader opens (the upload check parses it) with this many empty A4 pages,
    and `text` in a comment line: another text, other bytes."""
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(pages))
    return pdf_file(
        [
            b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, pages),
            *[b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"] * pages,
        ],
        comment=text.encode(),
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """A 2×2 JPEG that decodes."""
    buf = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buf.getvalue()


COMPLETE_CLAIM: dict[str, Any] = {
    "claimant.kind": "company",
    "claimant.name": "Steppe Solar Energy LLP",
    "claimant.country": "KZ",
    "claimant.address": "Alatau City, Al-Farabi avenue 1",
    "claimant.email": "legal@steppe-solar.kz",
    "claimant.publication_consent": "given",
    "respondent.kind": "state_body",
    "respondent.name": "Akimat of Alatau City",
    "project_name": "Solar park",
    "sector": "energy",
    "location": "Alatau City",
    "amount_invested": Decimal("1500000.00"),
    "invested_currency": "USD",
    "summary": "The land lease was terminated.",
    "measures": "Termination of the land lease.",
    "legal_basis": "investment_law",
    "legal_basis_ref": "Article 12",
    "relief_sought": "Compensation.",
    "amount_claimed": Decimal("2000000.00"),
    "claimed_currency": "USD",
    "language": "en",
}


class Factory:
    PASSWORD = "correct horse battery staple 42"  # noqa: S105
    _hash: str | None = None

    def __init__(self, session: Session, config: Any) -> None:
        self.session = session
        self.config = config

    def user(self, role: str | Role = Role.INVESTOR, **kw: Any) -> User:
        if Factory._hash is None:
            Factory._hash = hash_password(self.PASSWORD)
        n = next(_seq)
        role = Role(role)
        user = User(
            email=kw.pop("email", f"{role.value}{n}@example.com"),
            name=kw.pop("name", f"{role.value.title()} {n}"),
            password_hash=Factory._hash,
            role=role,
            **({"email_confirmed_at": utcnow()} | kw),
        )
        self.session.add(user)
        self.session.flush()
        return user

    def add_document(self, case: Case, data: bytes | None = None, name: str = "claim.pdf"):
        return cases.add_document(
            self.session,
            case,
            uploader=case.claimant_user,
            stream=io.BytesIO(data or pdf_bytes()),
            filename=name,
            upload_dir=self.config["UPLOAD_DIR"],
            max_bytes=self.config["MAX_UPLOAD_BYTES"],
        )

    def case(
        self,
        state: str | CaseState = CaseState.DRAFT,
        *,
        claimant: User | None = None,
        clerk: User | None = None,
        complete: bool = True,
        fee_settled: bool = True,
    ) -> Case:
        """A case in the given state, brought there by the real transitions. A filed claim's
        lodging fee is settled unless `fee_settled` is false (then a submitted claim still
        owes it, and registering it is refused): waived by the clerk who registers it, or
        paid when the claim stays submitted and the test named no clerk."""
        state = CaseState(state)
        claimant = claimant or self.user(Role.INVESTOR)
        case, _ = cases.create_draft(self.session, claimant=claimant)
        if complete or state is not CaseState.DRAFT:
            cases.save_section(case, COMPLETE_CLAIM)
            self.add_document(case)
        if state is CaseState.DRAFT:
            self.session.flush()
            return case
        cases.submit_claim(case, claimant=claimant)
        if fee_settled and state not in (CaseState.RETURNED, CaseState.DISMISSED):
            if state is CaseState.SUBMITTED and clerk is None:
                self.pay_lodging_fee(case)  # no clerk of the test's to act
            else:
                clerk = clerk or self.user(Role.CLERK)  # the one who registers it
                self.settle_lodging_fee(case, clerk)
        if state is not CaseState.SUBMITTED:
            clerk = clerk or self.user(Role.CLERK)
            if state is CaseState.RETURNED:
                registry.return_case(case, clerk=clerk, reason="Attach the agreement.")
            elif state is CaseState.DISMISSED:
                registry.reject_case(case, clerk=clerk, reason="Not an investment dispute.")
            else:
                registry.register_case(self.session, case, clerk=clerk)
                self._onward(case, state, clerk)
        self.session.flush()
        return case

    def pay_lodging_fee(self, case: Case) -> None:
        """The claimant pays the lodging fee in full, recorded by a finance officer (the
        first there is: no extra clerk to be told what clerks are told)."""
        officer = self.session.scalar(select(User).where(User.role == Role.FINANCE).limit(1))
        officer = officer or self.user(Role.FINANCE)
        invoice = lodging_invoice(self.session, case)
        if invoice is not None and (due := outstanding(self.session, invoice)) > 0:
            billing.record_payment(
                invoice, amount=due, received_on=today(), payer="The claimant", by=officer
            )

    def settle_lodging_fee(self, case: Case, clerk: User) -> None:
        """The registry waives the lodging fee the filing asked for: registration needs it
        paid or waived (tests of the account itself pay it)."""
        invoice = lodging_invoice(self.session, case)
        if invoice is not None and outstanding(self.session, invoice) > 0:
            billing.waive(invoice, reason="Waived for the test.", by=clerk)

    def _onward(self, case: Case, state: CaseState, clerk: User) -> None:
        """From registered to the state asked, by the real acts of the right people."""
        if state is CaseState.REGISTERED:
            return
        if state is CaseState.WITHDRAWN:
            proceedings.act(
                case, user=case.claimant_user, action="withdraw", reason=None, expected_version=None
            )
            return
        if state is CaseState.DISCONTINUED:
            ending.act(
                case,
                user=clerk,
                action="registry_discontinue",
                reason="The parties jointly ask to discontinue.",
                expected_version=None,
            )
            return
        if state is CaseState.CLOSED:
            self._onward(case, CaseState.SETTLED, clerk)
            proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
            return
        mediator = self.mediate(case, clerk)
        if state is CaseState.MEDIATION:
            return
        if state is CaseState.SETTLED:
            proceedings.act(
                case, user=mediator, action="settle", reason="Terms: USD 1.", expected_version=None
            )
            return
        proceedings.act(
            case, user=mediator, action="impasse", reason="No agreement.", expected_version=None
        )
        if state is CaseState.IMPASSE:
            return
        proceedings.act(case, user=clerk, action="refer", reason=None, expected_version=None)
        if state is CaseState.ARBITRATION:
            return
        chair = self.tribunal(case, clerk)[0]
        if state is CaseState.AWARDED:
            awards.issue_award(case, chair=chair, reasons="Award: USD 1.", expected_version=None)
            return
        raise ValueError(f"no factory path to {state}")

    def join(
        self,
        case: Case,
        inviter: User,
        user: User | None = None,
        *,
        side: Side = Side.RESPONDENT,
        standing: Standing = Standing.REPRESENTATIVE,
    ) -> User:
        """Someone invited to act for a side who joined by the link (the respondent's
        representative unless told otherwise)."""
        user = user or self.user(Role.RESPONDENT if side is Side.RESPONDENT else Role.INVESTOR)
        invitation, _ = parties.invite(
            self.session,
            case,
            inviter=inviter,
            side=side,
            standing=standing,
            email=user.email,
            name=user.name,
            expected_version=None,
        )
        parties.join(self.session, invitation, user)
        return user

    def file(self, case: Case, author: User, visibility: Visibility, name: str) -> Document:
        """A party's submission with one document (`name`.pdf) for these readers."""
        submission = proceedings.file_submission(
            self.session,
            case,
            author=author,
            title=f"{name} submission",
            body=None,
            files=[(io.BytesIO(pdf_bytes(name)), f"{name}.pdf", visibility)],
            is_response=False,
            upload_dir=self.config["UPLOAD_DIR"],
            max_bytes=self.config["MAX_UPLOAD_BYTES"],
            expected_version=None,
        )
        self.session.flush()
        return next(d for d in case.documents if d.submission_id == submission.id)

    def mediate(self, case: Case, clerk: User, mediator: User | None = None) -> User:
        """Propose a mediator and have them accept: the case goes into mediation."""
        mediator = mediator or self.user(Role.MEDIATOR)
        neutrals.propose_mediator(
            self.session, case, clerk=clerk, mediator=mediator, expected_version=None
        )
        neutrals.accept(
            self.session,
            case,
            user=mediator,
            declaration="I am independent and impartial.",
            confirmed=True,
            expected_version=None,
        )
        return mediator

    def tribunal(self, case: Case, clerk: User, *, size: int = 1) -> list[User]:
        """Propose a tribunal (sole, or three) and have every member accept; chair first."""
        users = [self.user(Role.ARBITRATOR) for _ in range(size)]
        if size == 1:
            members = [(Capacity.SOLE_ARBITRATOR, users[0])]
        else:
            members = [(Capacity.PRESIDING_ARBITRATOR, users[0])] + [
                (Capacity.CO_ARBITRATOR, u) for u in users[1:]
            ]
        neutrals.propose_tribunal(
            self.session, case, clerk=clerk, members=members, expected_version=None
        )
        for user in users:
            neutrals.accept(
                self.session,
                case,
                user=user,
                declaration="I am independent and impartial.",
                confirmed=True,
                expected_version=None,
            )
        return users
