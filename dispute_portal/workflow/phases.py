"""Where a case is in its life, as sets of states the workflow table's rows name."""

from __future__ import annotations

from .states import CaseState as S

# Where a case is still alive, and where it has ended (a final ruling, a withdrawal).
ACTIVE = frozenset({S.SUBMITTED, S.RETURNED, S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
FINAL = frozenset({S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN, S.DISCONTINUED})
PROCEEDING = frozenset({S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
OPEN = ACTIVE | FINAL  # everything but a draft and a closed case
SEATED = frozenset({S.MEDIATION, S.ARBITRATION})  # a mediator or a tribunal sits
DECIDING = frozenset({S.ARBITRATION, S.AWARDED})  # a tribunal decides (costs after the award)
