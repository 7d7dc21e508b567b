"""Forms of the proceedings pages: acts with reasons, submissions, meetings, notes, extensions.

Every form that acts on a case carries the case version it was rendered from (CaseActionForm),
so a stale form applies nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import IO, Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    Field,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..cases.forms import CaseActionForm
from ..cases.models import VISIBILITY_LABELS, Visibility
from ..clock import ALMATY
from ..core.forms import BaseForm, DayField
from ..db import utcnow
from ..parties.models import Side
from ..workflow.states import CaseState

MAX_TEXT = 50_000
FILE_SLOTS = (1, 2, 3)


def _date(label: object) -> DayField:  # a lazily translated text
    return DayField(label, validators=[InputRequired(_l("Enter a date."))])


class ActForm(CaseActionForm):
    """An act of the workflow table: its reasons (when it takes any) and the version."""

    reason = TextAreaField(_l("Reasons"), validators=[Length(max=MAX_TEXT)])
    # The act's own fields shown before the reasons (the others come after them).
    before_reason: tuple[str, ...] = ("side", "meeting")

    def __init__(
        self, *args: Any, reason_label: str | None = None, required: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if reason_label:
            self.reason.label.text = reason_label
        self.reason_required = required

    def validate_reason(self, field: Field) -> None:
        if self.reason_required and not (field.data or "").strip():
            raise ValidationError(gettext("Give the reasons."))


class DelayNoticeForm(ActForm):
    expected_on = _date(_l("Date by which the tribunal expects to render the award"))

    def validate_expected_on(self, field: Field) -> None:
        if field.data and field.data <= utcnow().astimezone(ALMATY).date():
            raise ValidationError(gettext("The new expected date must be in the future."))


class DefaultForm(ActForm):
    """The record of a party's default: which side, and the reasons."""

    side = RadioField(
        _l("The party in default"),
        choices=[],
        validators=[InputRequired(_l("Choose the party in default."))],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.side.choices = [
            (Side.CLAIMANT.value, gettext("The claimant")),
            (Side.RESPONDENT.value, gettext("The respondent")),
        ]


class CloseSubmissionsForm(ActForm):
    last_on = _date(_l("Date of the last submission"))


class SuspendForm(ActForm):
    """The parties' agreement to suspend: its terms in the reasons, and the day to resume on
    (the operation checks it lies ahead, within a year)."""

    resume_on = _date(_l("The proceeding resumes on"))


class HearingHeldForm(ActForm):
    """The record that a hearing was held: which one (the view offers those that have begun
    and are not recorded yet), and the record itself in the reasons."""

    meeting = SelectField(
        _l("The hearing"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose the hearing that was held."))],
    )


def visibility_choices(state: CaseState) -> list[tuple[str, str]]:
    """Who may read a document filed now: for the neutrals means those of the case's phase."""
    return [(v.value, gettext(VISIBILITY_LABELS[v])) for v in Visibility.offered(state)]


class SubmissionForm(CaseActionForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Give the submission a title.")), Length(max=300)],
    )
    body = TextAreaField(_l("Text of the submission"), validators=[Length(max=MAX_TEXT)])
    file_1 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))
    visibility_1 = SelectField(_l("Who may read it"), choices=[], default=Visibility.PARTIES.value)
    file_2 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))
    visibility_2 = SelectField(_l("Who may read it"), choices=[], default=Visibility.PARTIES.value)
    file_3 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))
    visibility_3 = SelectField(_l("Who may read it"), choices=[], default=Visibility.PARTIES.value)

    def __init__(self, *args: Any, state: CaseState, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for n in FILE_SLOTS:
            self[f"visibility_{n}"].choices = visibility_choices(state)

    def slots(self) -> list[tuple[int, Field, Field]]:
        return [(n, self[f"file_{n}"], self[f"visibility_{n}"]) for n in FILE_SLOTS]

    def upload_field(self, position: int) -> str:
        """The name of the field of the `position`-th file chosen (in `uploads()`)."""
        return [f"file_{n}" for n, file, _visibility in self.slots() if file.data][position]

    def uploads(self) -> list[tuple[IO[bytes], str, Visibility]]:
        """(stream, filename, visibility) of each file chosen, in order."""
        return [
            (file.data.stream, file.data.filename or "", Visibility(visibility.data))
            for _n, file, visibility in self.slots()
            if file.data
        ]


class MeetingForm(CaseActionForm):
    on_date = _date(_l("Date"))
    at_time = TimeField(
        _l("Time (Almaty)"), validators=[InputRequired(_l("Enter a time."))], format=["%H:%M"]
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    video_link = URLField(_l("Video link (https://…)"), validators=[Optional(), Length(max=500)])
    agenda = TextAreaField(_l("Agenda"), validators=[Length(max=MAX_TEXT)])

    def starts_at(self) -> dt.datetime | None:
        """The moment in UTC; the form is in Almaty time. None until both parts are valid."""
        if self.on_date.data is None or self.on_date.errors or self.at_time.data is None:
            return None
        local = dt.datetime.combine(self.on_date.data, self.at_time.data, tzinfo=ALMATY)
        return local.astimezone(dt.UTC)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        ok: bool = super().validate(extra_validators)
        starts = self.starts_at()
        if starts is not None and starts <= utcnow():
            self.on_date.errors.append(gettext("Choose a date and time in the future."))
            ok = False
        place, link = (self.place.data or "").strip(), (self.video_link.data or "").strip()
        if not place and not link:
            self.place.errors.append(gettext("Give a place or a video link."))
            ok = False
        if link and not link.startswith("https://"):
            self.video_link.errors.append(gettext("A video link must start with https://."))
            ok = False
        return ok


class NoteForm(BaseForm):
    body = TextAreaField(
        _l("New note"),
        validators=[InputRequired(_l("The note is empty.")), Length(max=MAX_TEXT)],
    )

    def validate_body(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(gettext("The note is empty."))


class ExtendDeadlineForm(ActForm):
    deadline = SelectField(_l("Time limit"), coerce=int, choices=[])
    new_due = _date(_l("New due date"))


class TimetableForm(ActForm):
    """The tribunal's order on the timetable: a date for each pleading, each optional (a
    blank one leaves that pleading's running deadline as it is)."""

    memorial = DayField(_l("Memorial (the claimant)"), validators=[Optional()])
    counter_memorial = DayField(_l("Counter-memorial (the respondent)"), validators=[Optional()])
    reply = DayField(_l("Reply (the claimant)"), validators=[Optional()])
    rejoinder = DayField(_l("Rejoinder (the respondent)"), validators=[Optional()])

    def dates(self) -> dict[str, dt.date | None]:
        return {
            key: self[key].data for key in ("memorial", "counter_memorial", "reply", "rejoinder")
        }
