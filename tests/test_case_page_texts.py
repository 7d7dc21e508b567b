"""What the case page says around its facts (issue 12): the timeline's lines, the
correction window after the award, the expedited track, the sessions of past phases."""

from __future__ import annotations

import datetime as dt
import re

from dispute_portal.auth.models import Role
from dispute_portal.db import utcnow
from dispute_portal.proceedings.models import Meeting, MeetingKind
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .test_proceedings_views import section


def timeline(page: str) -> str:
    start = page.index('id="timeline-heading"')
    return page[start : page.index("</section>", start)]


def test_a_downloaded_ruling_reads_without_a_dangling_separator(app, factory, session):
    case = factory.case(CaseState.SUBMITTED)
    (receipt,) = rulings.case_rulings(case)
    session.commit()
    browser = browser_for(app, case.claimant_user)
    assert browser.get(f"/cases/{case.id}/rulings/{receipt.id}").status_code == 200
    for url in (f"/cases/{case.id}", f"/cases/{case.id}/trail"):
        page = browser.get(url).text
        assert not re.search(r"·\s*</", page), url  # nothing after the separator
        code = rulings.display_code(receipt.verification_code)
        assert f"Filing receipt · {code}" in page, url  # the issue still shows its code
