"""the register's classification: a sector from a fixed list, the basis of consent

The public register filters cases by the sector of the investment (ICSID's categories) and
by the basis of the respondent's consent (treaty, investment contract, investment law of
Kazakhstan, other). The sector was free text: each existing value is read for the words of
a category (anything else is "other industry"; an empty one stays empty). The old bases
become the new ones: a bilateral treaty is a treaty, an investment agreement an investment
contract, the law on the special status of Alatau City an investment law of Kazakhstan.
Going down, the sector reads as its English label and the bases as the old ones.

Revision ID: d6f8a0c2e4b7
Revises: c4e6a8b0d2f1
Create Date: 2026-12-07 19:40:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6f8a0c2e4b7"
down_revision: str | None = "c4e6a8b0d2f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The first category whose words a free-text sector holds (English or Russian).
KEYWORDS = (
    ("energy", r"energ|power|solar|wind|hydro|энерг|электр"),
    ("extractive", r"mining|mine|oil|gas|subsoil|горн|нефт|газ|недр"),
    ("agriculture", r"agri|farm|fish|forest|food|grain|сельск|агро|рыб|лес"),
    ("finance", r"financ|bank|insur|payment|финанс|банк|страх"),
    ("information", r"informat|tech|telecom|data|software|digital|информ|связ|цифр"),
    ("tourism", r"touris|hospitality|hotel|туризм|гостини"),
    ("transport", r"transport|logistic|aviation|rail|port|транспорт|логист"),
    ("water", r"water|sanitation|utilit|вод|коммунал"),
    ("construction", r"construct|real estate|housing|строител|недвиж"),
    ("services", r"service|trade|retail|health|educat|услуг|торгов|здрав"),
)
SECTORS = {
    "agriculture": "Agriculture, fishing and forestry",
    "construction": "Construction",
    "energy": "Electric power and other energy",
    "finance": "Finance",
    "information": "Information and communication",
    "extractive": "Oil, gas and mining",
    "services": "Services and trade",
    "tourism": "Tourism",
    "transport": "Transportation",
    "water": "Water, sanitation and flood protection",
    "other_industry": "Other industry",
}
BASES = {"bit": "treaty", "investment_agreement": "investment_contract",
         "special_status_law": "investment_law", "other": "other"}  # fmt: skip
CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("sector", sa.String))


def sector_of(text: str) -> str:
    folded = text.casefold()
    return next((code for code, words in KEYWORDS if re.search(words, folded)), "other_industry")


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _rewrite_sectors(convert: dict[str, str] | None) -> None:
    bind = op.get_bind()
    for case_id, sector in bind.execute(sa.select(CASES.c.id, CASES.c.sector)).all():
        if sector is None:
            continue
        if not sector.strip():
            new = None
        elif convert is None:
            new = sector_of(sector)
        else:
            new = convert.get(sector, sector)
        if new != sector:
            bind.execute(CASES.update().where(CASES.c.id == case_id).values(sector=new))


def _rename_bases(renamed: dict[str, str]) -> None:
    for old, new in renamed.items():
        if old != new:
            op.execute(f"UPDATE cases SET legal_basis = '{new}' WHERE legal_basis = '{old}'")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_basis"), type_="check")
    _rewrite_sectors(None)
    _rename_bases(BASES)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column(
            "legal_basis", existing_type=sa.String(20), type_=sa.String(19), existing_nullable=True
        )
        batch_op.alter_column(
            "sector", existing_type=sa.String(200), type_=sa.String(14), existing_nullable=True
        )
        batch_op.create_check_constraint(op.f("ck_cases_sector"), f"sector IN ({_quoted(SECTORS)})")
        batch_op.create_check_constraint(
            op.f("ck_cases_basis"), f"legal_basis IN ({_quoted(list(BASES.values()))})"
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_sector"), type_="check")
        batch_op.drop_constraint(op.f("ck_cases_basis"), type_="check")
        batch_op.alter_column(
            "sector", existing_type=sa.String(14), type_=sa.String(200), existing_nullable=True
        )
        batch_op.alter_column(
            "legal_basis", existing_type=sa.String(19), type_=sa.String(20), existing_nullable=True
        )
    _rewrite_sectors(SECTORS)
    _rename_bases({new: old for old, new in BASES.items()})
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_cases_basis"), f"legal_basis IN ({_quoted(list(BASES))})"
        )
