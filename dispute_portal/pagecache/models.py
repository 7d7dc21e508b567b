"""The data version: one row whose token every writing transaction replaces."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base

DATA = "data"  # the row every page depends on


class PageVersion(Base):
    """A random token, replaced (never counted up) by every commit that writes a row a
    cached page may show: a token never comes back, not after a rollback or a restore."""

    __tablename__ = "page_versions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
