"""The forms of party appointment: the registry's record that the parties appoint, a
nomination (an arbitrator among those who may sit), with reasons where the act takes them,
and the seat the Centre fills in default."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from ..cases.forms import CaseActionForm
from ..core.i18n import translate
from ..proceedings.forms import ActForm
from .models import Basis, Seat, TribunalSize


class PartyAppointmentForm(CaseActionForm):
    size = RadioField(
        _l("The tribunal"), choices=[], invalid_choice_message=_l("Choose the tribunal's size.")
    )
    basis = RadioField(
        _l("On what basis"),
        choices=[],
        invalid_choice_message=_l("Say on what basis the parties appoint."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.size.choices = [(s.value, translate(s.label)) for s in TribunalSize]
        self.basis.choices = [(b.value, translate(b.label)) for b in Basis]


class NominationForm(ActForm):
    """An arbitrator for a seat (and the act's reasons, when it takes any)."""

    arbitrator = RadioField(
        _l("Arbitrator"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Choose an arbitrator from the list."),
    )


class DefaultForm(NominationForm):
    seat = RadioField(
        _l("The seat in default"), choices=[], invalid_choice_message=_l("Choose a seat.")
    )

    def offer(self, seats: list[Seat]) -> None:
        self.seat.choices = [(s.value, translate(s.label)) for s in seats]
