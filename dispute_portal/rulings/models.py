"""Issued rulings (immutable once issued: a mapper event refuses a change) and print batches."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    event,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_
from ..workflow.models import chain_hash


def display_code(code: str) -> str:
    """A verification code in groups of four, as printed on the ruling (K37J-…)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Ruling(Base):
    """An issued decision or notice of the centre, stored as the PDF that was issued.

    Immutable once issued: a correction is a new ruling with `corrects_id` set.
    """

    __tablename__ = "rulings"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_by_name: Mapped[str] = mapped_column(String(200))
    signed: Mapped[bool] = mapped_column(default=False)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"))
    # The print queue: when the paper copy was printed, and the day it was served.
    printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    served_on: Mapped[dt.date | None] = mapped_column(Date, index=True)

    issued_by: Mapped[User | None] = relationship()
    corrects: Mapped[Ruling | None] = relationship(remote_side=[id])

    @property
    def filename(self) -> str:
        return f"{self.values.get('reference', 'ruling')}-{self.kind}-{self.id}.pdf"

    def record_hash(self) -> str:
        """SHA-256 over what never changes once issued (the transparency log holds it)."""
        return ruling_record_hash({name: getattr(self, name) for name in LOGGED_FIELDS})


# What the transparency log holds of a ruling (version 1 of its leaves): fixed for good, since
# a change would make every ruling already logged look altered. The migration that created
# the log hashed the rulings issued before it in the same way.
LOGGED_FIELDS = (
    "id",
    "case_id",
    "kind",
    "language",
    "verification_code",
    "sha256",
    "size",
    "stored_name",
    "values",
    "issued_at",
    "issued_by_id",
    "issued_by_name",
    "signed",
    "corrects_id",
)
# What an issued ruling never changes (the mapper event below refuses it): all it is logged
# by but its id.
IMMUTABLE = LOGGED_FIELDS[1:]


def ruling_record_hash(values: dict[str, Any]) -> str:
    """The hash of a ruling's logged fields, given as a mapping (a row or the object)."""
    return chain_hash({name: values[name] for name in LOGGED_FIELDS})


@event.listens_for(Ruling, "before_update")
def _issued_rulings_never_change(
    _mapper: Mapper[Ruling], _conn: Connection, ruling: Ruling
) -> None:
    state = inspect(ruling)
    changed = [a for a in IMMUTABLE if state.attrs[a].history.has_changes()]
    served = state.attrs["served_on"].history
    if served.deleted and served.deleted[0] is not None:
        changed.append("served_on")  # the day of service, once recorded, stays
    if changed:
        raise ValueError(
            f"an issued ruling never changes ({', '.join(changed)}); issue a correction instead"
        )


class BatchStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


BATCH_LABELS = {
    BatchStatus.QUEUED: N_("Waiting"),
    BatchStatus.RUNNING: N_("Being prepared"),
    BatchStatus.DONE: N_("Ready"),
    BatchStatus.FAILED: N_("Failed"),
}


class PrintBatch(Base):
    """One merged PDF for the printer, made by a background job with visible progress."""

    __tablename__ = "print_batches"
    __table_args__ = (
        CheckConstraint("done_count >= 0 AND done_count <= total", name="progress"),
        CheckConstraint("status <> 'done' OR stored_name IS NOT NULL", name="done_has_file"),
        CheckConstraint("status <> 'failed' OR error IS NOT NULL", name="failed_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[BatchStatus] = mapped_column(
        enum_column(BatchStatus, "status"), default=BatchStatus.QUEUED, index=True
    )
    ruling_ids: Mapped[list[int]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    stored_name: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship()

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.done_count / self.total)
