"""Publishing a decision once its redactions are decided and the period to propose them is
over. With both sides' consent the registry publishes it in full: rendered again from the
decision's values with every withheld passage replaced by a marker (never a box drawn over
text that is still there), as a ruling of its own with its own verification code; the
decision itself stays with the case. Without, the tribunal's chair publishes an excerpt of
its reasoning, withheld passages replaced all the same."""

from __future__ import annotations

import copy
from typing import Any

from ..auth.models import User
from ..cases.models import Case
from ..db import session_of, utcnow
from ..errors import TransitionRefused
from ..parties.models import Side
from ..rulings import operations as rulings
from ..rulings.kinds import KINDS
from ..rulings.models import Ruling, display_code
from ..rulings.render import iso_utc
from ..texts import N_
from ..workflow import engine
from .guards import not_ready
from .models import ProposalStatus, Publication, SealTarget, find_seal
from .redaction import check_publishable, proposals_of, strings

MARKER = "[…]"
PUBLISHED_KIND = "published_decision"


def withheld(ruling: Ruling) -> list[str]:
    """The passages the tribunal withholds, longest first (a passage inside another goes
    with it)."""
    passages = {p.passage for p in proposals_of(ruling) if p.status is ProposalStatus.APPROVED}
    return sorted(passages, key=len, reverse=True)


def redact(values: Any, passages: list[str]) -> Any:
    """The values with every passage replaced by the marker, however deep."""
    if isinstance(values, str):
        return _redact_text(values, passages)
    if isinstance(values, dict):
        return {key: redact(value, passages) for key, value in values.items()}
    if isinstance(values, list):
        return [redact(value, passages) for value in values]
    return values


def _redact_text(text: str, passages: list[str]) -> str:
    """Every occurrence of every passage, found in the text as it was (so that overlapping
    passages are withheld whole), each run of withheld characters one marker."""
    withheld = [False] * len(text)
    for passage in passages:
        start = text.find(passage)
        while passage and start != -1:
            withheld[start : start + len(passage)] = [True] * len(passage)
            start = text.find(passage, start + 1)
    out: list[str] = []
    for index, char in enumerate(text):
        if not withheld[index]:
            out.append(char)
        elif index == 0 or not withheld[index - 1]:
            out.append(MARKER)
    return "".join(out)


def _ready(case: Case, ruling: Ruling) -> None:
    check_publishable(case, ruling)
    reason = not_ready(ruling, case)
    if reason is not None:
        raise TransitionRefused(reason)


def _public_values(case: Case, ruling: Ruling) -> dict[str, Any]:
    """What of the decision may be shown at all: no address, no list of the case's files,
    no sealed name."""
    values = copy.deepcopy(ruling.values)
    for party in (values["claimant"], values["respondent"]):
        party["address"] = None
    values["documents"] = []
    public: dict[str, Any] = redact(values, _sealed_names(case, ruling))
    return public


def publish_in_full(
    case: Case, ruling: Ruling, *, user: User, expected_version: int | None
) -> Publication:
    engine.check(user, case, "publish_decision")
    _ready(case, ruling)
    code = rulings.new_code()
    issued_at = utcnow().replace(microsecond=0)
    base = rulings.settings(session_of(case))["PUBLIC_BASE_URL"].rstrip("/")
    values = redact(_public_values(case, ruling), withheld(ruling)) | {
        "verification_code": display_code(code),
        "verify_url": f"{base}/verify?code={code}",
        "issued_at_iso": iso_utc(issued_at),
        "signed_by": None,
        "published_of": display_code(ruling.verification_code),
        "published_kind": ruling.kind,
        "published_marker": MARKER,
    }
    engine.apply(
        user,
        case,
        "publish_decision",
        expected_version=expected_version,
        data={"ruling": display_code(ruling.verification_code), "code": display_code(code)},
    )
    version = rulings.issue_rendered(
        case,
        PUBLISHED_KIND,
        values=values,
        template=KINDS[PUBLISHED_KIND].template(ruling.language),
        language=ruling.language,
        code=code,
        issued_at=issued_at,
        issuer=user,
    )
    return _published(case, ruling, user, published_id=version.id)


def publish_excerpt(
    case: Case, ruling: Ruling, *, chair: User, excerpt: str, expected_version: int | None
) -> Publication:
    """The tribunal's excerpt of its reasoning: a passage of the decision as it stands,
    withheld passages replaced."""
    engine.check(chair, case, "publish_excerpt", reason=excerpt)
    _ready(case, ruling)
    excerpt = excerpt.strip()
    if not excerpt or not any(excerpt in text for text in strings(ruling.values)):
        raise TransitionRefused(N_("Copy the excerpt exactly as it stands in the decision."))
    public = redact(redact(excerpt, withheld(ruling)), _sealed_names(case, ruling))
    engine.apply(
        chair,
        case,
        "publish_excerpt",
        reason=public,
        expected_version=expected_version,
        data={"ruling": display_code(ruling.verification_code)},
    )
    return _published(case, ruling, chair, excerpt=public)


def _sealed_names(case: Case, ruling: Ruling) -> list[str]:
    """The parties' names the register may not show, as the decision writes them."""
    names = [
        ruling.values[side.value]["name"]
        for side in Side
        if ruling.values.get(side.value, {}).get("name")
        and find_seal(case.seals, SealTarget.PARTY_NAME, side=side)
    ]
    return sorted(names, key=len, reverse=True)


def _published(
    case: Case, ruling: Ruling, user: User, *, published_id: int | None = None,
    excerpt: str | None = None,
) -> Publication:  # fmt: skip
    publication = Publication(
        case_id=case.id,
        ruling_id=ruling.id,
        published_id=published_id,
        excerpt=excerpt,
        published_at=utcnow(),
        published_by_id=user.id,
    )
    session_of(case).add(publication)
    session_of(case).flush()
    return publication
