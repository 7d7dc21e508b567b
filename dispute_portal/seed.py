"""Demo data: an account for every role and cases in every state of their life.

Everything is made through the same operations the portal uses, so the demo's audit
trails, numbers and files are real.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth.models import Role, User
from .auth.operations import create_user
from .cases import operations as cases
from .cases.models import Side, Visibility
from .db import frozen_time, utcnow
from .neutrals import operations as neutrals
from .neutrals.models import Capacity
from .parties import operations as parties
from .parties.models import Standing
from .proceedings import operations as proceedings
from .registry import operations as registry

DEMO_PASSWORD = "Alatau-Demo-2026!"  # noqa: S105 - published in the README for the demo

DEMO_USERS = (
    ("investor@demo.adr.kz", "Amina Seitkali", Role.INVESTOR, "en"),
    ("investor2@demo.adr.kz", "Li Wei", Role.INVESTOR, "ru"),
    ("respondent@demo.adr.kz", "Nurlan Abenov", Role.RESPONDENT, "ru"),
    ("clerk@demo.adr.kz", "Dana Mukhamedova", Role.CLERK, "en"),
    ("mediator@demo.adr.kz", "Sarah Whitfield", Role.MEDIATOR, "en"),
    ("arbitrator@demo.adr.kz", "Erlan Dzhaksybekov", Role.ARBITRATOR, "kk"),
    ("admin@demo.adr.kz", "Portal Administrator", Role.ADMIN, "en"),
    ("mediator2@demo.adr.kz", "Gulnara Omarova", Role.MEDIATOR, "ru"),
    ("arbitrator2@demo.adr.kz", "Prof. Helen Marsh KC", Role.ARBITRATOR, "en"),
    ("arbitrator3@demo.adr.kz", "Dr. Timur Kassymov", Role.ARBITRATOR, "ru"),
    ("counsel@demo.adr.kz", "Aigerim Bekova (Bekova & Partners)", Role.INVESTOR, "en"),
    ("respondent2@demo.adr.kz", "Marat Zhunusov", Role.RESPONDENT, "ru"),
)

# A small but real PDF, so the demo's documents open in any viewer.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 770 Td (Statement of claim - demo) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=0, claimant=("company", "Steppe Solar Energy LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Kapchagay 120 MW solar park", sector="Renewable energy",
         location="Alatau City, Zone 3", invested=("48500000.00", "USD"),
         measures="Termination of the land lease for the solar park site.",
         basis="special_status_law", ref="Article 12 of the Law on the special status",
         claimed=("61000000.00", "USD"), outcome="mediation", days_ago=40),
    dict(owner=1, claimant=("company", "Silk Road Logistics Hub Ltd", "CN"),
         respondent=("state_body", "State Revenue Department of Alatau City"),
         project="Bonded logistics warehouse complex", sector="Logistics",
         location="Alatau City free customs zone", invested=("27000000.00", "EUR"),
         measures="Withdrawal of the customs warehouse licence and back taxes.",
         basis="bit", ref="Kazakhstan–China BIT (1992), Articles 3 and 4",
         claimed=("35500000.00", "EUR"), outcome="proposed", days_ago=33),
    dict(owner=0, claimant=("individual", "Amina Seitkali", "KZ"),
         respondent=("company", "Alatau City Development Company JSC"),
         project="Boutique hotel on the lakefront", sector="Hospitality",
         location="Alatau City, Lakeside district", invested=("1850000000.00", "KZT"),
         measures="Refusal to connect the hotel to the city utility network.",
         basis="investment_agreement", ref="Investment agreement No. 14-IA of 3 March 2025",
         claimed=("2400000000.00", "KZT"), outcome="registered", days_ago=21),
    dict(owner=1, claimant=("company", "Nordic Data Centres AB", "SE"),
         respondent=("state_body", "Ministry of Digital Development (Alatau City office)"),
         project="Tier III data centre", sector="Information technology",
         location="Alatau City technology park", invested=("12400000.00", "EUR"),
         measures="Change of electricity tariffs promised in the investment contract.",
         basis="investment_agreement", ref="Investment contract No. 2025/DC-7",
         claimed=("9800000.00", "EUR"), outcome="dismissed", days_ago=18),
    dict(owner=0, claimant=("company", "Agro Processing Alatau LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Fruit processing and cold storage plant", sector="Agriculture",
         location="Alatau City, Industrial zone 1", invested=("3200000.00", "USD"),
         measures="Revocation of tax preferences granted for ten years.",
         basis="special_status_law", ref="Article 9 of the Law on the special status",
         claimed=("4100000.00", "USD"), outcome="returned", days_ago=12),
    dict(owner=1, claimant=("company", "Shenzhen Smart Grid Co.", "CN"),
         respondent=("company", "Alatau Power Distribution LLP"),
         project="Smart metering roll-out", sector="Energy",
         location="Alatau City", invested=("15000000.00", "CNY"),
         measures="Non-payment for installed meters and termination of the contract.",
         basis="other", ref="Public-private partnership agreement of 2024",
         claimed=("21000000.00", "CNY"), outcome="submitted", days_ago=9),
    dict(owner=0, claimant=("company", "Caspian Green Hydrogen BV", "NL"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Green hydrogen pilot plant", sector="Energy",
         location="Alatau City, Zone 5", invested=("7700000.00", "EUR"),
         measures="Re-zoning of the plant's land plot for residential use.",
         basis="bit", ref="Kazakhstan–Netherlands BIT (2002), Article 5",
         claimed=("12000000.00", "EUR"), outcome="submitted", days_ago=6),
    dict(owner=1, claimant=("individual", "Li Wei", "CN"),
         respondent=("state_body", "Department of Architecture of Alatau City"),
         project="Residential complex 'Altyn Bulak'", sector="Construction",
         location="Alatau City, Northern district", invested=("980000000.00", "KZT"),
         measures="Suspension of the building permit.",
         basis="special_status_law", ref="Article 15 of the Law on the special status",
         claimed=("1200000000.00", "KZT"), outcome="submitted", days_ago=3),
    dict(owner=0, claimant=("company", "Tengri Fintech Ltd", "GB"),
         respondent=("state_body", "Financial Regulator of Alatau City"),
         project="Digital payments platform", sector="Financial services",
         location="Alatau City financial centre", invested=("2500000.00", "USD"),
         measures="Refusal to renew the payment institution licence.",
         basis="special_status_law", ref="Article 21 of the Law on the special status",
         claimed=("3000000.00", "USD"), outcome="submitted", days_ago=1),
    dict(owner=1, claimant=("company", "Almaty Textile Partners LLP", "KZ"),
         respondent=("company", "Alatau Industrial Park JSC"),
         project="Textile factory", sector="Manufacturing",
         location="Alatau City, Industrial zone 2", invested=("640000.00", "USD"),
         measures="Early termination of the factory lease.",
         basis="investment_agreement", ref="Lease and investment agreement No. 88",
         claimed=("900000.00", "USD"), outcome="submitted", days_ago=0),
    dict(owner=0, claimant=("company", "Kazakh Wind Partners LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Wind farm grid connection", sector="Renewable energy",
         location="Alatau City, Zone 7", invested=("9000000.00", "USD"),
         measures="Refusal to grant the grid connection promised in the investment agreement.",
         basis="investment_agreement", ref="Investment agreement No. 31-IA of 2024",
         claimed=("4500000.00", "USD"), outcome="arbitration", days_ago=330),
    dict(owner=1, claimant=("company", "Eurasia Cement Holdings Ltd", "CY"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Cement plant", sector="Construction materials",
         location="Alatau City, Industrial zone 3", invested=("30000000.00", "USD"),
         measures="Expropriation of part of the plant's quarry without compensation.",
         basis="bit", ref="Kazakhstan–Cyprus investment protection, Article 6",
         claimed=("42000000.00", "USD"), outcome="awarded", days_ago=420),
    dict(owner=0, claimant=("company", "Alatau Medical Centre LLP", "KZ"),
         respondent=("company", "Alatau City Development Company JSC"),
         project="Private hospital", sector="Healthcare",
         location="Alatau City, Central district", invested=("5600000.00", "USD"),
         measures="Failure to transfer the promised land plot for the hospital's second wing.",
         basis="investment_agreement", ref="Investment agreement No. 7-IA of 2023",
         claimed=("2100000.00", "USD"), outcome="settled", days_ago=120),
    dict(owner=1, claimant=("company", "Turan Glass Works LLP", "KZ"),
         respondent=("state_body", "State Revenue Department of Alatau City"),
         project="Float glass line", sector="Manufacturing",
         location="Alatau City, Industrial zone 1", invested=("11000000.00", "USD"),
         measures="Refusal to refund VAT on imported equipment.",
         basis="special_status_law", ref="Article 11 of the Law on the special status",
         claimed=("1300000.00", "USD"), outcome="closed", days_ago=200),
    dict(owner=0, claimant=("company", "Steppe Agro Export LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Grain terminal", sector="Agriculture",
         location="Alatau City, Railway hub", invested=("6400000.00", "USD"),
         measures="Cancellation of the terminal's land allocation.",
         basis="special_status_law", ref="Article 12 of the Law on the special status",
         claimed=("7000000.00", "USD"), outcome="impasse", days_ago=110),
    dict(owner=1, claimant=("company", "Pamir Mining Services Ltd", "GB"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Mining equipment depot", sector="Mining services",
         location="Alatau City, Zone 2", invested=("2200000.00", "USD"),
         measures="Refusal to extend the depot lease.",
         basis="investment_agreement", ref="Lease and investment agreement No. 5",
         claimed=("2600000.00", "USD"), outcome="withdrawn", days_ago=60),
    dict(owner=0, claimant=("company", "Altyn Tech Park JSC", "KZ"),
         respondent=("state_body", "Ministry of Digital Development (Alatau City office)"),
         project="Technology park phase 2", sector="Information technology",
         location="Alatau City technology park", invested=("19000000.00", "USD"),
         measures="Withdrawal of the special economic zone participant status.",
         basis="special_status_law", ref="Article 4 of the Law on the special status",
         claimed=("25000000.00", "USD"), outcome="constituting", days_ago=160),
    dict(owner=0, claimant=("company", "Steppe Solar Energy LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Battery storage extension", sector="Renewable energy",
         location="Alatau City, Zone 3", invested=None, measures=None, basis=None,
         ref=None, claimed=None, outcome="draft", days_ago=2),
    dict(owner=1, claimant=("company", "Silk Road Logistics Hub Ltd", "CN"),
         respondent=(None, None), project=None, sector=None, location=None, invested=None,
         measures=None, basis=None, ref=None, claimed=None, outcome="draft", days_ago=0),
)  # fmt: skip


def _claim_values(claim: dict[str, Any], owner: User) -> dict[str, Any]:
    kind, name, country = claim["claimant"]
    r_kind, r_name = claim["respondent"]
    values: dict[str, Any] = {
        "claimant.kind": kind,
        "claimant.name": name,
        "claimant.country": country,
        "claimant.address": "Alatau City, Al-Farabi avenue 1, office 12",
        "claimant.email": owner.email,
        "claimant.phone": "+7 727 000 00 00",
        "respondent.kind": r_kind,
        "respondent.name": r_name,
        "project_name": claim["project"],
        "sector": claim["sector"],
        "location": claim["location"],
        "language": owner.locale or "en",
    }
    if claim["invested"]:
        values["amount_invested"] = Decimal(claim["invested"][0])
        values["invested_currency"] = claim["invested"][1]
    if claim["measures"]:
        values |= {
            "summary": f"The claimant invested in the {claim['project']}. {claim['measures']} "
            "The claimant considers the measure unlawful and seeks compensation.",
            "measures": claim["measures"],
            "legal_basis": claim["basis"],
            "legal_basis_ref": claim["ref"],
            "relief_sought": "Declare the measure unlawful and award compensation with interest.",
            "amount_claimed": Decimal(claim["claimed"][0]),
            "claimed_currency": claim["claimed"][1],
        }
    return values


def seed(session: Session, config: Any) -> str | None:
    """Create the demo; None if the database already has accounts."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    users = [
        create_user(session, email=e, name=n, password=DEMO_PASSWORD, role=r, locale=loc)
        for e, n, r, loc in DEMO_USERS
    ]
    people = {u.email.split("@")[0]: u for u in users}
    investors = [people["investor"], people["investor2"]]
    clerk = people["clerk"]
    neutrals.add_conflict(
        session, people["mediator2"], party_name="Silk Road Logistics Hub Ltd",
        note="Advised the company on its customs licence in 2024.",
    )  # fmt: skip
    now = utcnow()
    # Oldest first, so registry numbers follow the order of registration.
    for claim in sorted(CLAIMS, key=lambda c: -c["days_ago"]):
        owner = investors[claim["owner"]]
        start = now - dt.timedelta(days=claim["days_ago"] + 2, hours=3)
        with frozen_time(start):
            case, _ = cases.create_draft(session, claimant=owner, language=owner.locale or "en")
            cases.save_section(case, _claim_values(claim, owner))
            if claim["outcome"] == "draft":
                continue
            cases.add_document(
                session, case, uploader=owner, stream=io.BytesIO(_PDF),
                filename="Statement of claim.pdf", upload_dir=config["UPLOAD_DIR"],
                max_bytes=config["MAX_UPLOAD_BYTES"],
            )  # fmt: skip
        with frozen_time(now - dt.timedelta(days=claim["days_ago"], hours=2)):
            cases.submit_claim(case, claimant=owner)
        if claim["outcome"] == "submitted":
            continue
        registered_days = max(claim["days_ago"] - 2, 0)
        with frozen_time(now - dt.timedelta(days=registered_days, hours=1)):
            if claim["outcome"] == "returned":
                registry.return_case(case, clerk=clerk, reason=(
                    "Please attach the investment agreement and a power of attorney for "
                    "the person who signs the claim."))  # fmt: skip
            elif claim["outcome"] == "dismissed":
                registry.reject_case(case, clerk=clerk, reason=(
                    "The dispute concerns an electricity tariff set for all consumers and is "
                    "not an investment dispute within the centre's jurisdiction."))  # fmt: skip
            else:
                registry.register_case(
                    session, case, clerk=clerk, prefix=config["CASE_NUMBER_PREFIX"]
                )
        if claim["outcome"] not in ("returned", "dismissed", "registered"):
            Story(session, config, case, people, now).tell(claim["outcome"], registered_days)
    session.flush()
    return f"{len(users)} accounts and {len(CLAIMS)} cases"


class Story:
    """The life of one demo case after registration, each act on its own day in the past
    (so deadlines fall where a real case's would: some met, some running, some overdue)."""

    def __init__(self, session: Session, config: Any, case: Any, people: dict, now: Any):
        self.session, self.config, self.case, self.p, self.now = session, config, case, people, now

    def at(self, days_ago: float):
        return frozen_time(self.now - dt.timedelta(days=days_ago))

    def act(self, days_ago: float, user: User, action: str, reason: str | None = None) -> None:
        with self.at(days_ago):
            proceedings.act(
                self.case, user=user, action=action, reason=reason, expected_version=None
            )

    def join(self, days_ago: float, inviter: User, user: User, side: Side, standing: Standing):
        with self.at(days_ago):
            invitation, _token = parties.invite(
                self.session, self.case, inviter=inviter, side=side, standing=standing,
                email=user.email, name=user.name, expected_version=None,
            )  # fmt: skip
        with self.at(days_ago - 0.5):
            parties.join(self.session, invitation, user)

    def mediator(self, days_ago: float, mediator: User, *, accept: bool = True) -> None:
        with self.at(days_ago):
            neutrals.propose_mediator(
                self.session, self.case, clerk=self.p["clerk"], mediator=mediator,
                expected_version=None,
            )  # fmt: skip
        if accept:
            with self.at(days_ago - 1.5):
                neutrals.accept(
                    self.session, self.case, user=mediator, declaration=DECLARATION,
                    confirmed=True, expected_version=None,
                )  # fmt: skip

    def tribunal(self, days_ago: float, members: list, *, answers: dict | None = None) -> None:
        with self.at(days_ago):
            neutrals.propose_tribunal(
                self.session, self.case, clerk=self.p["clerk"], members=members,
                expected_version=None,
            )  # fmt: skip
        answers = answers if answers is not None else {u.id: "accept" for _, u in members}
        for i, (_, user) in enumerate(members):
            with self.at(days_ago - 2 - i):
                if answers.get(user.id) == "accept":
                    neutrals.accept(
                        self.session, self.case, user=user, declaration=DECLARATION,
                        confirmed=True, expected_version=None,
                    )  # fmt: skip
                elif answers.get(user.id) == "decline":
                    neutrals.decline(
                        self.session, self.case, user=user, expected_version=None,
                        disclosure="I advised the respondent on a related zoning matter in 2025.",
                    )  # fmt: skip

    def meeting(self, days_ago: float, user: User, starts_in_days: float, **where: str) -> None:
        with self.at(days_ago):
            proceedings.schedule(
                self.session, self.case, user=user,
                starts_at=(self.now + dt.timedelta(days=starts_in_days)).replace(
                    minute=0, second=0, microsecond=0),
                place=where.get("place"), video_link=where.get("video_link"),
                agenda=where.get("agenda"), expected_version=None,
            )  # fmt: skip

    def response(self, days_ago: float, user: User) -> None:
        with self.at(days_ago):
            proceedings.file_submission(
                self.session, self.case, author=user, title="Response to the claim",
                body="The respondent denies the claim: the measure was taken lawfully and "
                "in the public interest, and the claimant was heard before it was taken.",
                files=[
                    (io.BytesIO(_PDF), "Response.pdf", Visibility.PARTIES),
                    (io.BytesIO(_PDF), "Settlement position (for the mediator).pdf",
                     Visibility.NEUTRALS),
                ],
                is_response=True, upload_dir=self.config["UPLOAD_DIR"],
                max_bytes=self.config["MAX_UPLOAD_BYTES"], expected_version=None,
            )  # fmt: skip

    def tell(self, outcome: str, registered: int) -> None:
        p, claimant, clerk = self.p, self.case.claimant_user, self.p["clerk"]
        r = registered
        if outcome == "withdrawn":
            self.act(r - 8, claimant, "withdraw", "The parties are negotiating directly.")
            return
        respondent = (
            p["respondent2"] if outcome in ("proposed", "constituting") else p["respondent"]
        )
        self.join(r - 1, clerk, respondent, Side.RESPONDENT, Standing.REPRESENTATIVE)
        mediator = p["mediator2"] if outcome in ("settled", "arbitration", "constituting") else (
            p["mediator"])  # fmt: skip
        if outcome == "proposed":
            self.mediator(r - 6, p["mediator"], accept=False)
            return
        self.mediator(r - 3, mediator)
        self.response(r - 6, respondent)
        self.meeting(r - 7, mediator, -(r - 14), place="Centre, hearing room 2")
        if outcome == "mediation":
            self.meeting(2, mediator, 3, video_link="https://meet.adr.alatau.kz/steppe-solar",
                         agenda="Second joint session: the valuation of the lease.")  # fmt: skip
            with self.at(1):
                proceedings.add_note(self.session, self.case, author=mediator, body=(
                    "The respondent may accept a new plot of equal value; explore this in "
                    "a private session first."))  # fmt: skip
            return
        if outcome in ("settled", "closed"):
            self.act(r - 40, mediator, "settle", (
                "1. The respondent transfers plot No. 14-B to the claimant within 60 days.\n\n"
                "2. The claimant withdraws all claims concerning the original plot."))  # fmt: skip
            if outcome == "closed":
                self.act(r - 50, clerk, "close")
            return
        self.act(min(r - 30, 20) if outcome == "impasse" else r - 50, mediator, "impasse",
                 "The parties could not agree on compensation.")  # fmt: skip
        if outcome == "impasse":
            return
        self.act(r - 55, claimant if outcome != "awarded" else clerk, "refer")
        if outcome == "constituting":
            self.tribunal(
                r - 100,
                [
                    (Capacity.PRESIDING_ARBITRATOR, p["arbitrator"]),
                    (Capacity.CO_ARBITRATOR, p["arbitrator2"]),
                    (Capacity.CO_ARBITRATOR, p["arbitrator3"]),
                ],
                answers={p["arbitrator2"].id: "accept", p["arbitrator3"].id: "decline"},
            )
            return
        if outcome == "arbitration":
            self.join(r - 56, claimant, p["counsel"], Side.CLAIMANT, Standing.COUNSEL)
            members = [(Capacity.SOLE_ARBITRATOR, p["arbitrator"])]
        else:
            members = [
                (Capacity.PRESIDING_ARBITRATOR, p["arbitrator2"]),
                (Capacity.CO_ARBITRATOR, p["arbitrator"]),
                (Capacity.CO_ARBITRATOR, p["arbitrator3"]),
            ]
        self.tribunal(r - 65, members)
        chair = members[0][1]
        self.act(r - 80, chair, "procedural_order", (
            "Procedural order No. 1. The claimant files its memorial within 30 days; the "
            "respondent its counter-memorial within 30 days after that. The hearing is held "
            "in Alatau City."))  # fmt: skip
        self.meeting(r - 85, chair, -(r - 120), place="Centre, hearing room 1",
                     agenda="Hearing on jurisdiction and merits.")  # fmt: skip
        with self.at(r - 160):
            proceedings.close_submissions(
                self.case, chair=chair, expected_version=None,
                last_on=(self.now - dt.timedelta(days=r - 161)).date(),
            )  # fmt: skip
        if outcome == "awarded":
            self.act(12, chair, "issue_award", (
                "The tribunal finds that the taking of part of the quarry was an "
                "expropriation within the meaning of Article 6 and that no compensation "
                "was paid.\n\nThe respondent shall pay the claimant USD 31,400,000 with "
                "simple interest at 5% a year from the date of the taking."))  # fmt: skip


DECLARATION = (
    "I accept the appointment. I am independent of the parties and their counsel and "
    "impartial; I know of no circumstance that could give rise to justifiable doubts as to "
    "my impartiality or independence, and I will disclose at once any that arises. I have "
    "the time to conduct the case diligently and efficiently."
)
