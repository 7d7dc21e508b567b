"""Published decisions as the public reads them beyond the entry's page: in the open data
(CSV, JSON), in the Atom feed, and withdrawn while a name sealed after publication holds."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - the portal's own feed

from dispute_portal.cases.subject import Consent
from dispute_portal.clock import ALMATY
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.parties.models import Side
from dispute_portal.publication import entries, publishing, sealing
from dispute_portal.publication.models import SealTarget
from dispute_portal.rulings.models import Ruling

from .conftest import browser_for
from .test_redaction import AFTER_THE_PERIOD, REASONS, _awarded
from .test_seals import PUBLIC_STARTS, _crawl

ATOM = "{http://www.w3.org/2005/Atom}"
EXCERPT = "The tribunal finds that the termination breached Article 12."


def _publish_both(factory, session):
    """A case published in full and one published as an excerpt."""
    full_case, award, clerk, _, _ = _awarded(factory, session, REASONS)
    other, other_award, _, _, other_chair = _awarded(
        factory, session, REASONS, consent=Consent.REFUSED
    )
    with frozen_time(utcnow() + AFTER_THE_PERIOD):
        full = publishing.publish_in_full(full_case, award, user=clerk, expected_version=None)
        excerpt = publishing.publish_excerpt(
            other, other_award, chair=other_chair, excerpt=EXCERPT, expected_version=None
        )
    entries.refresh_pending(session)
    session.commit()
    code = session.get(Ruling, full.published_id).verification_code
    return full_case, full, code, other, excerpt


def test_the_open_data_lists_each_entrys_published_decisions(app, factory, session):
    full_case, full, code, other, excerpt = _publish_both(factory, session)
    public = browser_for(app)
    url = f"http://localhost/public-register/{full_case.number}/decisions/{code}"
    day = full.published_at.astimezone(ALMATY).date().isoformat()

    records = {r["number"]: r for r in json.loads(public.get("/public-register.json").data)}
    assert records[full_case.number]["publications"] == [
        {"decision": "award", "published_on": day, "url": url, "excerpt": None}
    ]
    assert records[other.number]["publications"] == [
        {"decision": "award", "published_on": day, "url": None, "excerpt": EXCERPT}
    ]
    rows = csv.DictReader(io.StringIO(public.get("/public-register.csv").get_data(as_text=True)))
    cells = {row["number"]: row["publications"] for row in rows}
    assert cells == {full_case.number: f"award {day}: {url}", other.number: f"award {day}: excerpt"}
    assert public.get(url.removeprefix("http://localhost")).data[:5] == b"%PDF-"


def test_the_feed_tells_new_entries_and_publications(app, factory, session):
    full_case, _full, code, other, _excerpt = _publish_both(factory, session)
    feed = ET.fromstring(browser_for(app).get("/public-register.atom").data)  # noqa: S314
    items = list(feed.iter(f"{ATOM}entry"))
    # Two registrations and two publications, the publications (61 days later) first.
    assert len(items) == 4 and len({i.findtext(f"{ATOM}id") for i in items}) == 4
    published = {i.findtext(f"{ATOM}title").split(":")[0]: i for i in items[:2]}
    assert set(published) == {full_case.number, other.number}
    enclosure = published[full_case.number].find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("href").endswith(f"/public-register/{full_case.number}/decisions/{code}")
    assert EXCERPT in published[other.number].findtext(f"{ATOM}summary")
    assert all(i.find(f"{ATOM}link[@rel='enclosure']") is None for i in items[2:])


def test_a_name_sealed_after_publication_withdraws_what_names_it(app, factory, session):
    name = "Qoryqpau Zhetysu Holdings"
    case, award, clerk, _, _ = _awarded(factory, session, REASONS, name=name)
    later = utcnow() + AFTER_THE_PERIOD
    with frozen_time(later):
        publication = publishing.publish_in_full(case, award, user=clerk, expected_version=None)
    entries.refresh_pending(session)
    session.commit()
    code = session.get(Ruling, publication.published_id).verification_code
    address = f"/public-register/{case.number}/decisions/{code}"
    public = browser_for(app)
    assert public.get(address).status_code == 200
    assert name in "".join(_crawl(public, PUBLIC_STARTS).values())

    with frozen_time(later + AFTER_THE_PERIOD):
        seal = sealing.seal(case, user=clerk, target=SealTarget.PARTY_NAME, side=Side.CLAIMANT,
                            reason="Order.", expected_version=None)  # fmt: skip
    entries.refresh_pending(session)
    session.commit()
    assert public.get(address).status_code == 404
    pages = _crawl(public, [*PUBLIC_STARTS, f"/public-register/{case.number}", address])
    assert [url for url, page in pages.items() if name.lower() in page.lower()] == []
    assert code not in "".join(pages.values())

    with frozen_time(later + 2 * AFTER_THE_PERIOD):
        sealing.unseal(case, seal, user=clerk, reason="Lifted.", expected_version=None)
    entries.refresh_pending(session)
    session.commit()
    assert public.get(address).status_code == 200
