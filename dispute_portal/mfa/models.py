"""Second factors: the TOTP secret of each enrolled account, its recovery codes, the logins
waiting for their second factor, and the e-mailed links through which staff enrol."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import EmailLinkToken, enum_column
from ..db import Base, UTCDateTime, utcnow


class MfaSecret(Base):
    """An enrolled account's TOTP secret. A row exists only once enrolment is confirmed;
    the secret being set up lives in the browser's session until then."""

    __tablename__ = "mfa_secrets"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Fernet token (key derived from the app's secret key): a copy of the database alone
    # does not give anyone the codes.
    secret: Mapped[str] = mapped_column(String(255))
    enabled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last 30-second time step whose code was accepted: no code of it or an earlier
    # step is accepted again, so a code seen over someone's shoulder is already spent.
    last_step: Mapped[int] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """One single-use recovery code; only its keyed hash is stored."""

    __tablename__ = "mfa_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Purpose(enum.StrEnum):
    VERIFY = "verify"  # enrolled: the password was right, the code is next
    ENROL = "enrol"  # second factor required but not set up: enrol before the session starts


class MfaChallenge(Base):
    """A login whose password was right and whose second factor is awaited.

    The browser's session holds a random token naming this row (never its id, which a
    database may hand out again); the row counts the wrong codes, so replaying an older
    cookie cannot reset the count, and deleting the row ends the pending login for every
    copy of the cookie.
    """

    __tablename__ = "mfa_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose, "mfa_purpose"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    failures: Mapped[int] = mapped_column(Integer, default=0)

    # The clear token exists only on the request that opened the challenge.
    token = None  # type: str | None

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class MfaEnrolLink(EmailLinkToken, Base):
    """The link, e-mailed to a staff account's address, without which it cannot bind an
    authenticator: whoever learnt the first password handed over cannot enrol their own."""

    __tablename__ = "mfa_enrol_links"
