"""Schemathesis against the API's own OpenAPI document (issue 18): for every operation,
requests generated from the document (valid ones and, for the checks that want them,
invalid ones) by a caller of each role, on a world where that caller has cases: no answer
is a server error, and every answer is one its operation documents (status, media type,
schema, headers). Derandomized: the same requests on every run."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks
from schemathesis.core.parameters import ParameterLocation as Where

from dispute_portal.auth.models import Role
from dispute_portal.workflow.states import CaseState
from tests.api_client import make_token

pytestmark = pytest.mark.engine_free  # the document and the answers' shapes: any database

ROLES = (None, Role.INVESTOR, Role.RESPONDENT, Role.MEDIATOR, Role.ARBITRATOR, Role.CLERK)
ROLES += (Role.ADMIN, Role.FINANCE)


@pytest.fixture
def world(app, factory, session):
    """An arbitration, and a token for a person of each role; for each role, the person on
    the case where the role has one (the claimant, the respondent, the tribunal, the clerk)."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    people = {
        Role.INVESTOR: case.claimant_user,
        Role.RESPONDENT: factory.join(case, clerk),
        Role.MEDIATOR: factory.user(Role.MEDIATOR),
        Role.ARBITRATOR: case.appointments[-1].user,
        Role.CLERK: clerk,
        Role.ADMIN: factory.user(Role.ADMIN),
        Role.FINANCE: factory.user(Role.FINANCE),
    }
    tokens = {role: make_token(session, user) for role, user in people.items()}
    session.commit()
    return {"case": case.id, "tokens": tokens, "documents": [d.id for d in case.documents]}


SETTINGS = settings(
    max_examples=16,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def test_every_answer_is_documented(app, world):
    """Each generated request is sent by a caller of each role (and by no one)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        # A file is documented as bytes; which bytes make a PDF the schema cannot say, so a
        # file the portal's content check refuses (422) is no wrong answer there.
        takes_files = "multipart/form-data" in str(operation.definition.raw.get("requestBody"))
        # Nor can it say whether a webhook URL's host exists and is public (422 otherwise).
        subscribes = operation.method.upper() == "POST" and operation.path == "/api/v1/webhooks"
        excluded = [checks.positive_data_acceptance] if takes_files or subscribes else []

        @SETTINGS
        @given(
            case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
            | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        )
        def call(case) -> None:
            negative = case.meta.is_negative_at if case.meta else (lambda _where: False)
            if "case_id" in (case.path_parameters or {}) and not negative(Where.PATH):
                case.path_parameters["case_id"] = world["case"]  # a case that exists
            # A request whose headers are the invalid part (no Authorization) goes as made.
            for role in (None,) if negative(Where.HEADER) else ROLES:
                headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role else {}
                case.call_and_validate(headers=headers, excluded_checks=excluded)  # noqa: B023

        call()  # before the loop moves on: `excluded` is this operation's
