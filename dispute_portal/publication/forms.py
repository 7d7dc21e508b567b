"""The register's filters and search box, read from the query string (a GET form); the
forms that seal something of a case and lift a seal."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..cases.forms import CaseActionForm, consent_choices
from ..cases.subject import LEGAL_BASIS_LABELS, SECTOR_LABELS, LegalBasis, Sector
from ..core.forms import BaseForm, blank_choice
from ..proceedings.forms import MAX_TEXT, ActForm
from ..search.operations import MAX_QUERY_CHARS
from .models import OUTCOME_LABELS, STAGE_LABELS, Outcome, Stage
from .register import Filters


class RegisterFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Search the register"),
        description=_l("A case number, a party's name or a neutral's name."),
        validators=[Optional(), Length(max=MAX_QUERY_CHARS)],
    )
    year = SelectField(_l("Year registered"), choices=[], validators=[Optional()])
    sector = SelectField(_l("Sector"), choices=[], validators=[Optional()])
    basis = SelectField(_l("Basis of consent"), choices=[], validators=[Optional()])
    stage = SelectField(_l("Stage"), choices=[], validators=[Optional()])
    outcome = SelectField(_l("Outcome"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = ("", gettext("Any"))
        self.year.choices = [anything] + [(str(y), str(y)) for y in years]
        self.sector.choices = [anything] + [(s.value, gettext(SECTOR_LABELS[s])) for s in Sector]
        self.basis.choices = [anything] + [
            (b.value, gettext(LEGAL_BASIS_LABELS[b])) for b in LegalBasis
        ]
        self.stage.choices = [anything] + [(s.value, gettext(STAGE_LABELS[s])) for s in Stage]
        self.outcome.choices = [anything] + [(o.value, gettext(OUTCOME_LABELS[o])) for o in Outcome]

    def filters(self) -> Filters:
        """What the valid form asks for."""
        return Filters(
            year=int(self.year.data) if self.year.data else None,
            sector=Sector(self.sector.data) if self.sector.data else None,
            basis=LegalBasis(self.basis.data) if self.basis.data else None,
            stage=Stage(self.stage.data) if self.stage.data else None,
            outcome=Outcome(self.outcome.data) if self.outcome.data else None,
            q=(self.q.data or "").strip() or None,
        )


class SealForm(ActForm):
    """What to seal (the whole case, a party's name or contact, a document), and why."""

    what = SelectField(_l("What is sealed"), choices=[], validators=[DataRequired()])

    before_reason = ("what",)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, reason_label=gettext("Why it is sealed"), required=True, **kwargs)
        self.what.choices = [blank_choice(), *choices]


class LiftSealForm(ActForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args, reason_label=gettext("Why the seal is lifted"), required=True, **kwargs
        )


class ConsentForm(ActForm):
    consent = RadioField(
        _l("May the award and the tribunal's other decisions be published?"),
        choices=[],
        validators=[DataRequired(_l("Choose an answer."))],
    )

    before_reason = ("consent",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent.choices = consent_choices()


class ProposeForm(ActForm):
    passage = TextAreaField(
        _l("The passage to withhold"),
        description=_l("Copy it exactly as it stands in the decision."),
        validators=[DataRequired(_l("Copy the passage.")), Length(max=MAX_TEXT)],
    )

    before_reason = ("passage",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args, reason_label=gettext("Why it should be withheld"), required=True, **kwargs
        )


class CommentForm(ActForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, reason_label=gettext("Your comment"), required=True, **kwargs)


class DecideForm(ActForm):
    decision = RadioField(
        _l("The tribunal's decision"),
        choices=[],
        validators=[DataRequired(_l("Choose a decision."))],
    )

    before_reason = ("decision",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, reason_label=gettext("Reasons (optional)"), **kwargs)
        self.decision.choices = [
            ("withhold", gettext("Withhold the passage")),
            ("publish", gettext("Refuse: the passage is published")),
        ]


class NoMoreForm(CaseActionForm):
    """A side proposes no more passages of a decision."""


class PublishForm(CaseActionForm):
    """Publish a decision in full, its withheld passages replaced."""


class ExcerptForm(ActForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args, reason_label=gettext("The excerpt to publish"), required=True, **kwargs
        )
