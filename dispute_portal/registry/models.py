"""The gapless counter of case numbers, a row a year."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class CaseNumberCounter(Base):
    """The last case number given in a year. Its row is locked while a number is taken,
    and the increment rolls back with a failed registration, so numbers have no gaps."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
