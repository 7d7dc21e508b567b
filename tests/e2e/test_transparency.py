"""The public keeps the transparency log's latest checkpoint and checks a ruling's inclusion
proof against it, from /verify alone (the demo portal: `make run` signs a checkpoint)."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from dispute_portal.integrity import merkle
from dispute_portal.integrity.note import Checkpoint

from .auditor import Auditor
from .test_journey import heading

pytestmark = pytest.mark.e2e


def _an_award_code(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(
                    text("SELECT verification_code FROM rulings WHERE kind = 'award' ORDER BY id")
                )
                .scalars()
                .first()
            )
    finally:
        engine.dispose()


def test_the_public_keeps_the_checkpoint_and_checks_a_rulings_proof(
    new_context, demo_server
) -> None:
    code = _an_award_code(demo_server.env["DATABASE_URL"])
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/verify")
    expect(heading(page, "Verify a ruling")).to_be_visible()
    log = page.get_by_role("region", name="The centre's transparency log")
    expect(log).to_contain_text("Latest checkpoint:")
    note = log.locator("pre").inner_text()
    served = page.request.get("/verify/checkpoint")
    assert served.ok and served.headers["content-type"].startswith("text/plain")
    assert served.text().strip() == note.strip()
    audit.check()
    audit.check_narrow()

    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()
    verdict = page.get_by_role("status")
    expect(verdict.get_by_role("heading", name="Authentic", exact=True)).to_be_visible()
    verdict.get_by_text("Proof that this ruling is in the centre's transparency log").click()
    expect(verdict).to_contain_text("Entry hash")
    audit.check()
    audit.check_narrow()

    # What the page shows is a proof anyone can check against the checkpoint they kept.
    facts = verdict.locator("details dd")
    leaf = bytes.fromhex(facts.nth(0).inner_text().strip())
    proof = [bytes.fromhex(h.strip()) for h in facts.nth(1).locator("li").all_inner_texts()]
    index = int(verdict.locator("details p").inner_text().split("entry ")[1].split()[0])
    checkpoint = Checkpoint.parse(note.split("\n\n")[0] + "\n")
    assert merkle.verify_inclusion(leaf, index, checkpoint.size, proof, checkpoint.root)
    assert base64.b64encode(checkpoint.root).decode() in note
