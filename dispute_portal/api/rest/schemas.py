"""The API's shapes, as marshmallow schemas: what each call takes and gives. The OpenAPI
document is generated from them, and each answer is dumped through one, so an answer can
carry nothing its schema does not name."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from ...cases.models import Visibility
from ...cases.subject import LegalBasis, Sector
from ...parties.models import Side
from ...proceedings.forms import FILE_SLOTS, MAX_TEXT
from ...proceedings.models import PLEADINGS
from ...publication.models import Outcome, Stage
from ...workflow.states import CaseState

MAX_PAGE = 100
STATES = [s.value for s in CaseState]
SIDES = [s.value for s in Side]
VISIBILITIES = [v.value for v in Visibility]
SUBMISSION_KINDS = ["submission", "response", *PLEADINGS]


# No text of the portal holds a NUL character (the forms refuse it before any view; PostgreSQL
# refuses it in a text column): in JSON it is refused by the schema.
NO_NUL = validate.ContainsNoneOf(["\x00"], error="A NUL character is not allowed.")


class Strict(ma.Schema):
    """A request's input: a field the call does not know is refused, not ignored."""

    class Meta:
        unknown = ma.RAISE


class Out(ma.Schema):
    class Meta:
        ordered = True


class Problem(Out):
    type = fields.String(required=True, metadata={"format": "uri"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "The invalid input, by where and field."})


class PageArgs(Strict):
    after = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "The cursor of the next page (its `Link: rel=next`)."},
    )
    before = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={
            "description": "The cursor of the previous page (its `Link: rel=prev`); "
            "ignored beside `after`."
        },
    )
    limit = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=MAX_PAGE), metadata={"example": 50}
    )


class CaseListArgs(PageArgs):
    state = fields.String(validate=validate.OneOf(STATES))


class CaseLine(Out):
    id = fields.Integer(required=True)
    number = fields.String(allow_none=True, required=True)
    title = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    updated_at = fields.AwareDateTime(required=True)
    url = fields.Url(required=True)


class PartyOut(Out):
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    kind = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    country = fields.String(allow_none=True, required=True)
    counsel_name = fields.String(allow_none=True, required=True)
    counsel_firm = fields.String(allow_none=True, required=True)
    contact = fields.Dict(
        allow_none=True,
        required=True,
        metadata={"description": "Address, e-mail, telephone, contact person; null if sealed."},
    )


class NeutralOut(Out):
    capacity = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)


class DeadlineOut(Out):
    key = fields.String(required=True)
    starts_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True)


class ActionOut(Out):
    action = fields.String(required=True)
    blocked = fields.String(
        allow_none=True, required=True, metadata={"description": "Why not yet; null: it can."}
    )
    url = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Where to POST it (`/acts/{action}`) when it takes no more than "
            "reasons; null: its own call, or the portal's form."
        },
    )


class ActIn(Strict):
    reason = fields.String(
        load_default="",
        validate=[validate.Length(max=MAX_TEXT), NO_NUL],
        metadata={"description": "The reasons, where the act takes them (some require them)."},
    )


class CaseOut(CaseLine):
    version = fields.Integer(required=True, metadata={"description": "Also the case's ETag."})
    language = fields.String(required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True)
    registered_at = fields.AwareDateTime(allow_none=True, required=True)
    decided_at = fields.AwareDateTime(allow_none=True, required=True)
    closed_at = fields.AwareDateTime(allow_none=True, required=True)
    suspended_since = fields.AwareDateTime(allow_none=True, required=True)
    expedited = fields.Boolean(required=True)
    sector = fields.String(allow_none=True, required=True)
    amount_claimed = fields.String(
        allow_none=True,
        required=True,
        metadata={"format": "decimal", "description": 'Exact, as a string: "2000000.00".'},
    )
    claimed_currency = fields.String(allow_none=True, required=True)
    parties = fields.List(fields.Nested(PartyOut), required=True)
    neutrals = fields.List(fields.Nested(NeutralOut), required=True)
    deadlines = fields.List(fields.Nested(DeadlineOut), required=True)
    actions = fields.List(
        fields.Nested(ActionOut),
        required=True,
        metadata={"description": "The acts of the workflow the caller may take on the case."},
    )


class EventOut(Out):
    seq = fields.Integer(required=True)
    at = fields.AwareDateTime(required=True)
    action = fields.String(required=True)
    from_state = fields.String(required=True)
    to_state = fields.String(required=True)
    actor = fields.String(required=True)
    actor_role = fields.String(required=True)
    subject = fields.String(allow_none=True, required=True)
    ip = fields.String(allow_none=True, metadata={"description": "The registry only."})
    hash = fields.String(required=True)
    prev_hash = fields.String(required=True)


class DocumentOut(Out):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    uploaded_at = fields.AwareDateTime(required=True)
    visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    side = fields.String(allow_none=True, required=True)
    submission_id = fields.Integer(allow_none=True, required=True)
    url = fields.Url(required=True)


class SubmissionOut(Out):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(allow_none=True, required=True)
    author = fields.String(required=True)
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    is_response = fields.Boolean(required=True)
    pleading = fields.String(allow_none=True, required=True)
    filed_at = fields.AwareDateTime(required=True)
    documents = fields.List(fields.Nested(DocumentOut), required=True)


class DocumentIn(Strict):
    file = Upload(required=True, metadata={"description": "The document (PDF, DOCX, PNG, JPEG)."})


class SubmissionIn(Strict):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(validate=validate.Length(max=20000))
    visibility = fields.String(
        load_default=Visibility.PARTIES.value,
        validate=validate.OneOf(VISIBILITIES),
        metadata={"description": "Who reads the documents: the same for every file."},
    )
    kind = fields.String(
        load_default="submission",
        validate=validate.OneOf(SUBMISSION_KINDS),
        metadata={
            "description": "A submission, the respondent's response to the claim, or a "
            "pleading of the written phase (each by its deadline, as the timetable says)."
        },
    )
    file = fields.List(
        Upload(),
        validate=validate.Length(max=len(FILE_SLOTS)),
        metadata={"description": "The documents (PDF), up to 3: send the field once for each."},
    )


class RulingOut(Out):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    language = fields.String(required=True)
    verification_code = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    issued_at = fields.AwareDateTime(required=True)
    issued_by = fields.String(required=True)
    signed = fields.Boolean(required=True)
    corrects_id = fields.Integer(allow_none=True, required=True)
    served_on = fields.Date(allow_none=True, required=True)
    url = fields.Url(required=True)


class NotificationOut(Out):
    id = fields.Integer(required=True)
    case_id = fields.Integer(allow_none=True, required=True)
    text = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    read_at = fields.AwareDateTime(allow_none=True, required=True)


class MeOut(Out):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    role = fields.String(required=True)
    scope = fields.String(required=True)


class VerifyArgs(Strict):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))


class VerifyFile(Strict):
    file = Upload(required=True, metadata={"description": "The PDF to check."})


class VerifiedRuling(Out):
    kind = fields.String(required=True)
    title = fields.String(required=True)
    verification_code = fields.String(required=True)
    sha256 = fields.String(required=True)
    issued_at = fields.AwareDateTime(required=True)
    case = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The case's reference; null: the case is sealed."},
    )
    corrected_by = fields.List(fields.String(), required=True)


class VerifyOut(Out):
    authentic = fields.Boolean(required=True)
    how = fields.String(required=True, validate=validate.OneOf(["code", "file"]))
    ruling = fields.Nested(VerifiedRuling, allow_none=True, required=True)


class RegisterArgs(PageArgs):
    year = fields.Integer(validate=validate.Range(min=1990, max=2100))
    sector = fields.String(validate=validate.OneOf([x.value for x in Sector]))
    basis = fields.String(validate=validate.OneOf([x.value for x in LegalBasis]))
    stage = fields.String(validate=validate.OneOf([x.value for x in Stage]))
    outcome = fields.String(validate=validate.OneOf([x.value for x in Outcome]))
    q = fields.String(
        validate=validate.Length(max=200), metadata={"description": "Words of a name or number."}
    )


class NeutralEntry(Out):
    role = fields.String(required=True)
    name = fields.String(required=True)
    nationality = fields.String(allow_none=True, required=True)


class PublicationEntry(Out):
    decision = fields.String(required=True)
    published_on = fields.String(required=True, metadata={"format": "date"})
    url = fields.Url(allow_none=True, required=True)
    excerpt = fields.String(allow_none=True, required=True)


class RegisterEntryOut(Out):
    number = fields.String(required=True)
    url = fields.Url(required=True)
    registered_on = fields.String(required=True, metadata={"format": "date"})
    year = fields.Integer(required=True)
    claimant = fields.String(allow_none=True, required=True)
    claimant_country = fields.String(allow_none=True, required=True)
    respondent = fields.String(allow_none=True, required=True)
    sector = fields.String(allow_none=True, required=True)
    basis_of_consent = fields.String(allow_none=True, required=True)
    stage = fields.String(required=True)
    outcome = fields.String(allow_none=True, required=True)
    concluded_on = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    neutrals = fields.List(fields.Nested(NeutralEntry), required=True)
    publications = fields.List(fields.Nested(PublicationEntry), required=True)
