"""The demo's people: an account for every role, all with one published password."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..auth.operations import create_user
from ..neutrals import operations as neutrals

DEMO_PASSWORD = "Alatau-Demo-2026!"  # noqa: S105 - published in the README for the demo

DEMO_USERS = (
    ("investor@demo.adr.kz", "Amina Seitkali", Role.INVESTOR, "en"),
    ("investor2@demo.adr.kz", "Li Wei", Role.INVESTOR, "ru"),
    ("respondent@demo.adr.kz", "Nurlan Abenov", Role.RESPONDENT, "ru"),
    ("clerk@demo.adr.kz", "Dana Mukhamedova", Role.CLERK, "en"),
    ("mediator@demo.adr.kz", "Sarah Whitfield", Role.MEDIATOR, "en"),
    ("arbitrator@demo.adr.kz", "Erlan Dzhaksybekov", Role.ARBITRATOR, "kk"),
    ("admin@demo.adr.kz", "Portal Administrator", Role.ADMIN, "en"),
    ("finance@demo.adr.kz", "Saule Nurpeisova", Role.FINANCE, "ru"),
    ("mediator2@demo.adr.kz", "Gulnara Omarova", Role.MEDIATOR, "ru"),
    ("arbitrator2@demo.adr.kz", "Prof. Helen Marsh KC", Role.ARBITRATOR, "en"),
    ("arbitrator3@demo.adr.kz", "Dr. Timur Kassymov", Role.ARBITRATOR, "ru"),
    ("counsel@demo.adr.kz", "Aigerim Bekova (Bekova & Partners)", Role.INVESTOR, "en"),
    ("respondent2@demo.adr.kz", "Marat Zhunusov", Role.RESPONDENT, "ru"),
)


# The neutrals' nationalities, which the public register shows beside their names.
NATIONALITIES = {
    "mediator": "GB",
    "arbitrator": "KZ",
    "mediator2": "KZ",
    "arbitrator2": "GB",
    "arbitrator3": "KZ",
}


def add_people(session: Session) -> dict[str, User]:
    """The demo accounts, by the local part of their e-mail address ("clerk", "mediator2"),
    and the conflict one mediator declared (so the clerk is not offered her on that case)."""
    users = [
        create_user(
            session,
            email=e,
            name=n,
            password=DEMO_PASSWORD,
            role=r,
            locale=loc,
            nationality=NATIONALITIES.get(e.split("@")[0]),
        )
        for e, n, r, loc in DEMO_USERS
    ]
    people = {u.email.split("@")[0]: u for u in users}
    neutrals.add_conflict(
        session, people["mediator2"], party_name="Silk Road Logistics Hub Ltd",
        note="Advised the company on its customs licence in 2024.",
    )  # fmt: skip
    return people
