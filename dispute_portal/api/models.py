"""Personal access tokens: what a person's own programs present to the API (issue 18). Only
a digest of each token is kept; the token itself is shown once, when it is made."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class TokenScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read_write"


SCOPE_LABELS = {
    TokenScope.READ: N_("Read: see and download what you may see in the portal"),
    TokenScope.READ_WRITE: N_("Read and write: also file and act, as you may in the portal"),
}


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "api_token_scope"))
    prefix: Mapped[str] = mapped_column(String(12))  # its first characters, to tell it apart
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
