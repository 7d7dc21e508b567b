"""When an advance on costs is not paid: where a case stands, read from its deadlines, its
invoices and its suspensions (the guards of the table's rows for non-payment).

The steps (ICSID Administrative and Financial Regulation 16, in the rule set's periods):
1. the advance's deadline (`advance_payment`) passes with a share unpaid: both sides are told,
   and either may pay the rest in the other's place by `advance_substitution`;
2. that passes too: the proceeding is suspended for non-payment (its deadlines pause);
3. paid in full meanwhile: the proceeding resumes at once;
4. suspended for longer than `non_payment_discontinuance_days`: the registry may discontinue.
"""

from __future__ import annotations

import datetime as dt

from ..cases.models import Case
from ..db import session_of
from ..deadlines.calendar import local_date
from ..deadlines.queries import is_open, is_overdue, rules_for, today
from ..deadlines.rules import setting
from ..suspensions.models import Cause
from ..suspensions.queries import open_suspension
from ..texts import N_
from .queries import advance_outstanding


def _unpaid(case: Case) -> bool:
    return advance_outstanding(session_of(case), case)


def advance_defaulted(case: Case) -> str | None:
    """The notice of default's guard: the advance's day has passed with a share unpaid, and
    no invitation to pay in substitution is running."""
    if not is_overdue(case, "advance_payment") or not _unpaid(case):
        return N_("No advance on costs of this case is overdue.")
    if is_open(case, "advance_substitution"):
        return N_("The parties were already told that the advance is overdue.")
    return None


def substitution_unpaid(case: Case) -> str | None:
    """The suspension's guard: the time to pay in substitution passed with the advance still
    unpaid, and the proceeding is not suspended for it yet."""
    if open_suspension(case, Cause.NON_PAYMENT) is not None:
        return N_("The proceeding is already suspended for non-payment.")
    if not is_overdue(case, "advance_substitution") or not _unpaid(case):
        return N_("The time to pay the advance in substitution has not passed.")
    return None


def paid_while_suspended(case: Case) -> str | None:
    """The resumption's guard: suspended for non-payment, and nothing of the advances is
    due any more."""
    if open_suspension(case, Cause.NON_PAYMENT) is None:
        return N_("The proceeding is not suspended for non-payment.")
    if _unpaid(case):
        return N_("Something of the advances on costs is still unpaid.")
    return None


def discontinuable_on(case: Case) -> dt.date | None:
    """The first day the registry may discontinue a proceeding suspended for non-payment
    (None: it is not suspended for non-payment)."""
    suspension = open_suspension(case, Cause.NON_PAYMENT)
    if suspension is None:
        return None
    days = int(setting(rules_for(case), "non_payment_discontinuance_days"))
    return local_date(suspension.started_at) + dt.timedelta(days=days)


def non_payment_ripe(case: Case) -> str | None:
    """The discontinuance's guard: suspended for non-payment for the rule set's period."""
    day = discontinuable_on(case)
    if day is None:
        return N_("The proceeding is not suspended for non-payment.")
    if today() < day:
        return N_(
            "The proceeding has not been suspended for non-payment for the period the rules "
            "set: it cannot be discontinued yet."
        )
    return None
