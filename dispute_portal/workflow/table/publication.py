"""The workflow table, part 6 (transitions.py joins the parts): what the public may know of
a case (publication/). The registry or the tribunal seals the whole case, a party's name, a
party's address and contact details, or a document, with reasons, and lifts a seal the
same way; both are in the trail. A closed case can still be sealed: an order to keep a
finished case confidential is as common as one while it runs."""

from __future__ import annotations

from ...publication import guards
from ...texts import N_
from ..phases import ACTIVE, OPEN
from ..roles import CHAIR, CLAIMANT, CLERK, RESPONDENT
from ..rows import T, Transition
from ..states import CaseState as S

SEALABLE = OPEN | {S.CLOSED}

PUBLICATION: tuple[Transition, ...] = (
    # Each side's consent to publishing the decisions (publication/consent.py): until the
    # award, or until a case ends otherwise.
    T("state_publication_consent", ACTIVE,     None,             {CLAIMANT, RESPONDENT}, None,
      N_("State whether the decisions may be published"), in_suspension=True),
    # Redaction and publication (publication/redaction.py, publishing.py): after a decision
    # that may be published, each side proposes passages to withhold within the rule set's
    # period, the other comments, the chair decides; then the registry publishes it in full
    # (both consents) or the chair an excerpt of it (not both).
    T("propose_redaction",  SEALABLE,           None,             {CLAIMANT, RESPONDENT},
      guards.nothing_to_redact, N_("Propose a passage to withhold from publication"),
      needs_reason=True, in_suspension=True, reason_label=N_("Why it should be withheld")),
    T("no_more_redactions", SEALABLE,           None,             {CLAIMANT, RESPONDENT},
      guards.nothing_to_redact, N_("Say that your side proposes no more passages"),
      in_suspension=True),
    T("comment_redaction",  SEALABLE,           None,             {CLAIMANT, RESPONDENT},
      guards.nothing_to_decide, N_("Comment on a proposal to withhold a passage"),
      needs_reason=True, in_suspension=True, reason_label=N_("Your comment")),
    T("decide_redaction",   SEALABLE,           None,             {CHAIR},
      guards.nothing_to_decide, N_("Decide a proposal to withhold a passage"),
      in_suspension=True),
    T("publish_decision",   SEALABLE,           None,             {CLERK},
      guards.not_for_full_publication, N_("Publish a decision in full"), in_suspension=True),
    T("publish_excerpt",    SEALABLE,           None,             {CHAIR},
      guards.not_for_an_excerpt, N_("Publish an excerpt of a decision"), needs_reason=True,
      in_suspension=True, reason_label=N_("The excerpt")),
    T("seal",               SEALABLE,           None,             {CLERK, CHAIR}, None,
      N_("Seal"), needs_reason=True, in_suspension=True,
      reason_label=N_("Why it is sealed")),
    T("unseal",             SEALABLE,           None,             {CLERK, CHAIR},
      guards.nothing_sealed,
      N_("Lift a seal"), needs_reason=True, in_suspension=True,
      reason_label=N_("Why the seal is lifted")),
)  # fmt: skip
