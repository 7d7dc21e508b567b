"""Personal access tokens: what a person's own programs present to the API (issue 18). Only
a digest of each token is kept; the token itself is shown once, when it is made."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
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

# The same scopes said of a government system's client, which acts for another's account.
CLIENT_SCOPE_LABELS = {
    TokenScope.READ: N_("Read: see and download what its account may see"),
    TokenScope.READ_WRITE: N_("Read and write: also file and act, as its account may"),
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


class IdempotentRequest(Base):
    """A POST made with an Idempotency-Key, and its answer: the same key with the same
    request gives that answer again, and does nothing new (docs/api.md). Only answers that
    did something are kept: a refused request changed nothing, and may be sent again."""

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(40))  # "token:<id>" or "client:<id>"
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class OAuthClient(Base):
    """A government system's client of the API (OAuth 2.0 client credentials), registered
    by the admin: it sees what the account it acts for sees, narrowed, when `respondent` is
    set, to the cases whose respondent is that body. Only a digest of its secret is kept."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the secret
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "oauth_client_scope"))
    acts_for_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class OAuthToken(Base):
    """An access token issued to a client (its digest), for the scope it was issued for."""

    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "oauth_token_scope"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
