"""What must hold before a seal is lifted (the workflow table asks it)."""

from __future__ import annotations

from ..cases.models import Case
from ..texts import N_


def nothing_sealed(case: Case) -> str | None:
    return None if case.seals else N_("Nothing of this case is sealed.")
