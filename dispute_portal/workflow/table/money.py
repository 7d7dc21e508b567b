"""The workflow table, part 5 (transitions.py joins the parts): the case account's acts
(accounts/). Money moves in every state of a live case, suspension included: a party pays an
invoice while the proceeding waits. A closed case's account is settled (closing waits for
it): a late transfer stays unmatched on the bank's line, for the officer to return."""

from __future__ import annotations

from ...accounts import defaults, settlement
from ...accounts import queries as accounts
from ...texts import N_
from ..phases import FINAL, OPEN, PROCEEDING
from ..roles import ARBITRATOR, CLERK, FINANCE, FORMER_MEDIATOR, MEDIATOR, SYSTEM
from ..rows import T, Transition
from ..states import CaseState as S

MONEY: tuple[Transition, ...] = (
    T("record_payment",     OPEN,               None,             {FINANCE},  None,
      N_("Record a payment"), in_suspension=True),
    # The registry registers a claim once its lodging fee is paid or waived (filing.py).
    T("waive_fee",          {S.SUBMITTED},      None,             {CLERK},    accounts.lodging_due,
      N_("Waive the lodging fee"), needs_reason=True, in_suspension=True,
      reason_label=N_("Why the fee is waived")),
    # As mediation starts and once the tribunal is constituted (accounts/advances.py).
    T("request_advance",    {S.MEDIATION, S.ARBITRATION}, None, {CLERK},
      accounts.advance_unripe, N_("Request an advance on costs"), starts=("advance_payment",)),
    # Non-payment (accounts/defaults.py): the scheduler tells both sides and invites either
    # to pay in the other's place; then suspends; a payment in full resumes; the registry may
    # discontinue a proceeding suspended for the rule set's period.
    T("notify_advance_default", PROCEEDING,    None,             {SYSTEM},
      defaults.advance_defaulted, N_("Give notice that the advance is unpaid"),
      starts=("advance_substitution",)),
    T("suspend_for_non_payment", PROCEEDING,   None,             {SYSTEM},
      defaults.substitution_unpaid, N_("Suspend the proceeding for non-payment"),
      in_suspension=True),
    T("resume_after_payment", PROCEEDING,      None,             {SYSTEM},
      defaults.paid_while_suspended, N_("Resume the proceeding: the advance is paid"),
      in_suspension=True),
    T("discontinue_non_payment", PROCEEDING,   S.DISCONTINUED,   {CLERK},
      defaults.non_payment_ripe, N_("Discontinue for non-payment of the advance"),
      stamps=("decided_at",), ruling="discontinuance_order", in_suspension=True,
      reason_label=N_("Observations (optional)")),
    # The neutrals' fee notes (accounts/fee_notes.py): charged to the advance once approved.
    T("submit_fee_note",    OPEN,               None,   {MEDIATOR, FORMER_MEDIATOR, ARBITRATOR},
      None, N_("Submit a fee note"), in_suspension=True),
    T("approve_fee_note",   OPEN,               None,             {CLERK},
      settlement.notes_awaiting,
      N_("Approve a fee note"), in_suspension=True),
    T("reject_fee_note",    OPEN,               None,             {CLERK},
      settlement.notes_awaiting,
      N_("Reject a fee note"), needs_reason=True, in_suspension=True,
      reason_label=N_("Why the note is rejected")),
    T("pay_fee_note",       OPEN,               None,             {FINANCE},
      settlement.notes_unpaid,
      N_("Record the payment of a fee note"), in_suspension=True),
    # Statements (accounts/closing.py): as it stands, any time; the final one once the
    # proceeding has ended, with the refunds the registry or the officer then records paid.
    # Closing waits for it.
    T("issue_account_statement", OPEN,         None,             {CLERK, FINANCE}, None,
      N_("Issue a statement of account"), in_suspension=True),
    T("issue_final_statement", FINAL,          None,             {CLERK},
      settlement.final_statement_due, N_("Issue the final financial statement")),
    T("pay_refund",         FINAL,              None,             {CLERK, FINANCE},
      settlement.refunds_unpaid, N_("Record the payment of a refund")),
)  # fmt: skip
