"""Forms for neutrals: assigning a mediator, constituting a tribunal, accepting (with the
declaration of independence) or declining, conflicts, and the caseload and docket filters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Protocol

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.models import ROLE_LABELS, Role, User
from ..cases.forms import CaseActionForm
from ..cases.models import Case
from ..core.forms import BaseForm
from ..core.i18n import translate
from ..workflow.states import CaseState
from .models import Capacity
from .operations import Candidate


def candidate_label(candidate: Candidate) -> str:
    """The label of a choice, e.g. Jane Doe (2 open cases): the clerk weighs the load."""
    load = ngettext("%(num)d open case", "%(num)d open cases", candidate.open_cases)
    return f"{candidate.user.name} ({load})"


class MediatorForm(CaseActionForm):
    mediator = RadioField(
        _l("Mediator"), coerce=int, choices=[], invalid_choice_message=_l("Choose a mediator.")
    )


# The tribunal form's seat fields, in the order they are shown.
SEAT_FIELDS = (
    ("presiding", Capacity.PRESIDING_ARBITRATOR),
    ("co1", Capacity.CO_ARBITRATOR),
    ("co2", Capacity.CO_ARBITRATOR),
)


class TribunalForm(CaseActionForm):
    """A select per seat, without JavaScript. The size of the tribunal follows from what
    was chosen: a sole arbitrator alone, or the three seats of a tribunal of three (after a
    decline, the vacant seats only)."""

    sole = SelectField(_l("Sole arbitrator"), choices=[], default="")
    presiding = SelectField(_l("Presiding arbitrator"), choices=[], default="")
    co1 = SelectField(_l("Co-arbitrator"), choices=[], default="")
    co2 = SelectField(_l("Second co-arbitrator"), choices=[], default="")

    def __init__(
        self,
        *args: Any,
        candidates: Iterable[Candidate] = (),
        vacant: list[Capacity] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vacant = vacant or []
        self.chosen: list[tuple[Capacity, int]] = []  # the seats, once the form is valid
        options = [("", gettext("Choose…"))] + [
            (str(c.user.id), candidate_label(c)) for c in candidates
        ]
        for name in ("sole", "presiding", "co1", "co2"):
            self[name].choices = options

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the seats: each seat to fill has an arbitrator of its own."""
        if not super().validate(extra_validators):
            return False
        chosen = self.members(self.vacant)
        if chosen is None:
            return False
        self.chosen = chosen
        return True

    def seats_for(self, vacant: list[Capacity]) -> list[tuple[str, Capacity]]:
        """The fields to fill: the vacant seats after a decline, else the seats of the size
        that the choices make (none when nothing was chosen)."""
        if vacant:
            names, co = [], vacant.count(Capacity.CO_ARBITRATOR)
            if Capacity.PRESIDING_ARBITRATOR in vacant:
                names.append(("presiding", Capacity.PRESIDING_ARBITRATOR))
            return names + [("co1", Capacity.CO_ARBITRATOR), ("co2", Capacity.CO_ARBITRATOR)][:co]
        if any(self[name].data for name, _ in SEAT_FIELDS):
            return list(SEAT_FIELDS)
        if self.sole.data:
            return [("sole", Capacity.SOLE_ARBITRATOR)]
        return []

    def _size_error(self, vacant: list[Capacity]) -> str | None:
        """Why the choices make no tribunal (nothing chosen, or both sizes), or None."""
        if vacant:
            return None
        three = any(self[name].data for name, _ in SEAT_FIELDS)
        message: str | None = None
        if self.sole.data and three:
            message = gettext(
                "Choose either a sole arbitrator or three arbitrators, not both: clear the "
                "one you do not want."
            )
        elif not self.sole.data and not three:
            message = gettext(
                "Choose a sole arbitrator, or a presiding arbitrator and two co-arbitrators."
            )
        return message

    def members(self, vacant: list[Capacity]) -> list[tuple[Capacity, int]] | None:
        """The chosen (capacity, user id) pairs, or None with the errors set on the fields."""
        if (error := self._size_error(vacant)) is not None:
            self.sole.errors = [*self.sole.errors, error]
            return None
        chosen: list[tuple[Capacity, str]] = []
        ok = True
        for name, capacity in self.seats_for(vacant):
            field = self[name]
            if not field.data:
                field.errors = [*field.errors, gettext("Choose an arbitrator for this seat.")]
                ok = False
            elif any(field.data == other for _, other in chosen):
                field.errors = [*field.errors, gettext("Each seat needs a different arbitrator.")]
                ok = False
            chosen.append((capacity, field.data))
        if not ok:
            return None
        return [(capacity, int(user_id)) for capacity, user_id in chosen]


class AcceptForm(CaseActionForm):
    answer = HiddenField(default="accept")
    digest = HiddenField()  # which text the neutral read: a stale or other text is not signed
    locale = HiddenField()
    confirm = BooleanField(
        _l("I sign this declaration"),
        validators=[DataRequired(_l("Tick the box to sign the declaration."))],
    )


class DeclineForm(CaseActionForm):
    answer = HiddenField(default="decline")
    disclosure = TextAreaField(
        _l("Disclosure or reason"),
        description=_l(
            "Disclose any circumstance that prevents you from sitting, or say why you decline. "
            "The registry keeps this text on the case's record."
        ),
        validators=[DataRequired(_l("Give the disclosure or reason.")), Length(max=20000)],
    )


def declaration_paragraphs(case: Case, user: User, capacity: Capacity) -> list[str]:
    """The declaration a neutral signs to accept, in the current language."""
    params = {
        "name": user.name,
        "capacity": translate(capacity.label),
        "reference": case.reference,
        "title": case.title_in(gettext),
    }
    return [
        gettext("DECLARATION OF INDEPENDENCE AND IMPARTIALITY"),
        gettext("Case %(reference)s: %(title)s", **params),
        gettext(
            "I, %(name)s, accept to serve as %(capacity)s in this case under the rules of the "
            "Investment Dispute Resolution Centre of Alatau City, and I declare that:",
            **params,
        ),
        gettext(
            "1. I am independent of each of the parties and of their counsel and "
            "representatives: I have no past or present relationship with any of them, "
            "financial, professional, family or other, that could affect my judgment."
        ),
        gettext(
            "2. I am impartial: I have no interest in the outcome of the dispute, I have not "
            "advised any party on it, and I will treat the parties equally and give each of "
            "them a full opportunity to present its case."
        ),
        gettext(
            "3. I know of no circumstance that may give rise to justifiable doubts as to my "
            "independence or impartiality, other than any I have disclosed to the Centre in "
            "writing. I will disclose at once, to the Centre and the parties, any such "
            "circumstance that arises or comes to my knowledge at any stage of the case."
        ),
        gettext(
            "4. I have the availability to conduct this case diligently and expeditiously, "
            "within the time limits of the Centre's rules, and I will devote to it the time "
            "and attention it requires."
        ),
        gettext(
            "5. I will keep confidential everything I learn in this case, except as the law "
            "or the Centre's rules require."
        ),
    ]


def declaration_text(case: Case, user: User, capacity: Capacity) -> str:
    return "\n\n".join(declaration_paragraphs(case, user, capacity))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ConflictForm(BaseForm):
    party_name = StringField(
        _l("Name of the party"),
        description=_l(
            "A client, an employer, a company you or a relative hold shares in. Legal forms "
            "(LLP, JSC…), capitals and punctuation do not matter."
        ),
        validators=[DataRequired(_l("Give the name of the party.")), Length(max=300)],
    )
    note = TextAreaField(
        _l("Note (for you and the registry)"), validators=[Optional(), Length(max=2000)]
    )


class RemoveConflictForm(BaseForm):
    conflict_id = HiddenField()


CASELOAD_SORT_LABELS = {
    "deadline": _l("Next deadline"),
    "reference": _l("Reference"),
    "activity": _l("Last activity"),
}


class CaseloadFilterForm(BaseForm):
    """The caseload's filter and order, read from the query string."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [("", gettext("All states"))] + [
            (s.value, translate(s.label)) for s in CaseState if s is not CaseState.DRAFT
        ]
        self.sort.choices = [(k, str(v)) for k, v in CASELOAD_SORT_LABELS.items()]


class Named(Protocol):
    """Someone the docket can be filtered by (an account, or its columns)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Role: ...


class DocketFilterForm(BaseForm):
    """The clerk's docket filters, read from the query string. (It lives here because the
    registry's forms module belongs to the intake screens; it may move there.)"""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    neutral = SelectField(_l("Mediator or arbitrator"), choices=[], validators=[Optional()])
    overdue = BooleanField(_l("Only cases with an overdue deadline"))

    def __init__(self, *args: Any, neutrals: Iterable[Named] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [("", gettext("All states"))] + [
            (s.value, translate(s.label)) for s in CaseState if s is not CaseState.DRAFT
        ]
        self.neutral.choices = [("", gettext("Anyone"))] + [
            (str(u.id), f"{u.name} ({translate(ROLE_LABELS[u.role])})") for u in neutrals
        ]
