"""The claim's forms, one a section (claimant, respondent, investment, dispute), documents,
and the base form of every action on a case (it carries the case's version)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from ..core.forms import BaseForm, MoneyField, VersionField, blank_choice, country_choices
from ..core.i18n import LANGUAGE_NAMES, language_name
from .models import PARTY_KIND_LABELS, Case, Currency, PartyKind
from .subject import (
    CONSENT_LABELS,
    LEGAL_BASIS_LABELS,
    SECTOR_LABELS,
    Consent,
    LegalBasis,
    Sector,
)

CURRENCIES = [(c.value, c.value) for c in Currency]


def _kind_choices(*kinds: PartyKind) -> list[tuple[str, str]]:
    return [(k.value, gettext(PARTY_KIND_LABELS[k])) for k in kinds]


def _email() -> list[Any]:
    return [Optional(), Email(check_deliverability=False), Length(max=254)]


class NewClaimForm(BaseForm):
    client_token = HiddenField(validators=[Length(max=64)])


class _PartyForm(BaseForm):
    """A party's section: which kinds of party it may be, and the country list."""

    party_side: str
    kinds: tuple[PartyKind, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = _kind_choices(*self.kinds)
        self.country.choices = country_choices()
        if "publication_consent" in self:
            self["publication_consent"].choices = consent_choices()


def consent_choices() -> list[tuple[str, str]]:
    return [(c.value, gettext(CONSENT_LABELS[c])) for c in Consent]


class ClaimantForm(_PartyForm):
    kind = RadioField(_l("The claimant is"), choices=[], validators=[Optional()])
    name = StringField(_l("Full name or company name"), validators=[Optional(), Length(max=300)])
    country = SelectField(
        _l("Country of nationality or incorporation"), choices=[], validators=[Optional()]
    )
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=2000)])
    email = EmailField(_l("Email for notices"), validators=_email())
    phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=50)])
    contact_person = StringField(
        _l("Contact person (for a company)"), validators=[Optional(), Length(max=200)]
    )
    counsel_name = StringField(_l("Counsel's name"), validators=[Optional(), Length(max=200)])
    counsel_firm = StringField(_l("Counsel's law firm"), validators=[Optional(), Length(max=300)])
    counsel_email = EmailField(_l("Counsel's email"), validators=_email())
    publication_consent = RadioField(
        _l("May the award and the tribunal's other decisions be published?"),
        description=_l(
            "The Centre publishes decisions when both sides consent, after each side has "
            "proposed the passages to withhold. You can change your answer until the award."
        ),
        choices=[],
        validators=[Optional()],
    )

    party_side = "claimant"
    kinds = (PartyKind.INDIVIDUAL, PartyKind.COMPANY)


class RespondentForm(_PartyForm):
    kind = RadioField(_l("The respondent is"), choices=[], validators=[Optional()])
    name = StringField(
        _l("Name of the state body or company"), validators=[Optional(), Length(max=300)]
    )
    country = SelectField(_l("Country (if not Kazakhstan)"), choices=[], validators=[Optional()])
    address = TextAreaField(_l("Address, if known"), validators=[Optional(), Length(max=2000)])
    email = EmailField(_l("Email, if known"), validators=_email())
    phone = StringField(_l("Telephone, if known"), validators=[Optional(), Length(max=50)])
    contact_person = StringField(
        _l("Contact person, if known"), validators=[Optional(), Length(max=200)]
    )

    party_side = "respondent"
    kinds = (PartyKind.STATE_BODY, PartyKind.COMPANY)


class InvestmentForm(BaseForm):
    project_name = StringField(_l("Project name"), validators=[Optional(), Length(max=300)])
    sector = SelectField(_l("Sector"), choices=[], validators=[Optional()])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=300)])
    amount_invested = MoneyField(_l("Amount invested"))
    invested_currency = SelectField(
        _l("Currency of the investment"), choices=[], validators=[Optional()]
    )

    party_side = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invested_currency.choices = [blank_choice()] + CURRENCIES
        self.sector.choices = [blank_choice()] + [
            (s.value, gettext(SECTOR_LABELS[s])) for s in Sector
        ]


class DisputeForm(BaseForm):
    summary = TextAreaField(
        _l("Summary of the dispute"), validators=[Optional(), Length(max=20000)]
    )
    measures = TextAreaField(
        _l("The measures complained of"), validators=[Optional(), Length(max=20000)]
    )
    legal_basis = RadioField(_l("Basis of consent"), choices=[], validators=[Optional()])
    legal_basis_ref = StringField(
        _l("Reference"),
        description=_l("The treaty and its article, the contract's number and date, or the law."),
        validators=[Optional(), Length(max=500)],
    )
    relief_sought = TextAreaField(_l("Relief sought"), validators=[Optional(), Length(max=20000)])
    amount_claimed = MoneyField(_l("Amount claimed"))
    claimed_currency = SelectField(_l("Currency of the claim"), choices=[], validators=[Optional()])
    language = SelectField(_l("Language of the proceedings"), choices=[], validators=[Optional()])

    party_side = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.legal_basis.choices = [(b.value, gettext(LEGAL_BASIS_LABELS[b])) for b in LegalBasis]
        self.claimed_currency.choices = [blank_choice()] + CURRENCIES
        self.language.choices = [(code, language_name(code)) for code in LANGUAGE_NAMES]


class DocumentForm(BaseForm):
    file = FileField(
        _l("Document (PDF, DOCX, PNG or JPEG)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )


class CaseActionForm(BaseForm):
    """A button that acts on a case as the actor saw it."""

    version = VersionField()


SECTION_FORMS = {
    "claimant": ClaimantForm,
    "respondent": RespondentForm,
    "investment": InvestmentForm,
    "dispute": DisputeForm,
}


def form_values(form: BaseForm) -> dict[str, Any]:
    """The form's data as operation values: party fields become "<side>.<field>"."""
    prefix = getattr(form, "party_side", None)
    values: dict[str, Any] = {}
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField") or field.name == "csrf_token":
            continue
        value = field.data if field.data != "" else None
        if field.type in ("RadioField", "SelectField") and value == "None":
            value = None
        values[f"{prefix}.{field.short_name}" if prefix else field.short_name] = value
    return values


def load_values(form: BaseForm, case: Case) -> None:
    """Fill a section form from the case on GET."""
    prefix = getattr(form, "party_side", None)
    source = case.party(prefix) if prefix else case
    for field in form:
        if field.type == "CSRFTokenField":
            continue
        value: Any = getattr(source, field.short_name, None) if source is not None else None
        field.data = value.value if hasattr(value, "value") else value
