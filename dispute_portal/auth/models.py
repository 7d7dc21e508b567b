"""Users and their roles, login sessions (a row a login), and the single-use links sent by
e-mail (password reset, account activation)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class Role(enum.StrEnum):
    INVESTOR = "investor"
    RESPONDENT = "respondent"
    CLERK = "clerk"
    MEDIATOR = "mediator"
    ARBITRATOR = "arbitrator"
    ADMIN = "admin"
    # The case accounts (issue 16): a role of its own, apart from the registry, so that
    # who registers a case is not who records that its fee was paid.
    FINANCE = "finance"


STAFF_ROLES = tuple(r for r in Role if r is not Role.INVESTOR)


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint listing the values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
        length=max(len(m.value) for m in enum_cls),
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), index=True)  # staff lists
    locale: Mapped[str | None] = mapped_column(String(5))
    # ISO 3166 code: a neutral's nationality, which the public register shows.
    nationality: Mapped[str | None] = mapped_column(String(2))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the owner of the address proved it (an activation link); None: a self-registered
    # account that cannot log in yet. Accounts made by an admin or an invitation are
    # confirmed when made (auth.operations.create_user).
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list[AuthSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Set by the user loader: the login session this request runs under (not a column).
    current_session = None  # type: AuthSession | None
    # Read with the login session, in the same query (auth.operations.find_session): whether
    # a second factor is enrolled, and the unread notifications with db.writes() then.
    second_factor_enabled = None  # type: bool | None
    unread_as_loaded = None  # type: tuple[int, int] | None

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.current_session.token_for_cookie if self.current_session else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value} {self.email}>"


class AuthSession(Base):
    """One login. The cookie carries a random token; only its hash is stored.

    Logging out revokes the row, so a copied cookie stops working at once. A login also
    ends by itself: SESSION_IDLE_MINUTES after its last request (`last_seen_at`, written
    at most once a minute) or SESSION_LIFETIME_HOURS after it began (`expires_at`).
    """

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why it ended: "logout", "expired", "password_changed", "password_reset",
    # "logout_everywhere" (the next page tells the person which).
    end_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="sessions")

    # The clear token exists only on the request that created the session.
    token_for_cookie = None  # type: str | None

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class EmailLinkToken:
    """A link sent by e-mail: single use, short-lived; only the token's SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship(User)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class PasswordResetToken(EmailLinkToken, Base):
    """A password reset link."""

    __tablename__ = "password_reset_tokens"


class ActivationToken(EmailLinkToken, Base):
    """The link that confirms a self-registered account's address and lets it log in."""

    __tablename__ = "activation_tokens"


ROLE_LABELS = {
    Role.INVESTOR: N_("Investor"),
    Role.RESPONDENT: N_("Respondent representative"),
    Role.CLERK: N_("Clerk (registrar)"),
    Role.MEDIATOR: N_("Mediator"),
    Role.ARBITRATOR: N_("Arbitrator"),
    Role.ADMIN: N_("Administrator"),
    Role.FINANCE: N_("Finance officer"),
}
