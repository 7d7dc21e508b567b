"""The README's API example is code that works: it runs, as printed there, against the
portal in this process (through requests, the library it uses) as counsel for the claimant
in an arbitration: it lists the cases, files a submission with a document and downloads the
latest ruling, and each of these is what the portal then holds."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import requests

from dispute_portal.auth.models import Role
from dispute_portal.parties.models import Side, Standing
from dispute_portal.proceedings.models import Submission
from dispute_portal.rulings.kinds import KINDS
from dispute_portal.rulings.models import display_code
from dispute_portal.rulings.operations import case_rulings
from dispute_portal.workflow.states import CaseState
from tests.api_client import WsgiAdapter, make_token
from tests.factories import pdf_bytes


def gettext_en(ruling) -> str:
    return KINDS[ruling.kind].title  # the caller's language is English


README = Path(__file__).resolve().parent.parent / "README.md"
BASE = "http://localhost"  # the address the test client answers as (links come back so)


def example() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- api-example -->\n```python\n(.*?)```", text, re.S)
    assert found, "the README's API example is marked <!-- api-example -->"
    return found.group(1)


def test_the_readme_example_files_and_downloads(
    app, factory, session, tmp_path, monkeypatch, capsys
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    counsel = factory.join(case, case.claimant_user, side=Side.CLAIMANT, standing=Standing.COUNSEL)
    token = make_token(session, counsel)
    session.commit()  # the rulings enter the transparency log as they commit

    transport = WsgiAdapter(app)
    real_session = requests.Session

    def session_to_the_portal() -> requests.Session:
        made = real_session()
        made.mount(BASE, transport)
        return made

    monkeypatch.setattr(requests, "Session", session_to_the_portal)
    monkeypatch.setenv("PORTAL_URL", BASE)
    monkeypatch.setenv("PORTAL_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    reply = pdf_bytes("Reply on jurisdiction")
    (tmp_path / "reply.pdf").write_bytes(reply)

    exec(compile(example(), "README.md", "exec"), {"__name__": "readme"})  # noqa: S102

    printed = capsys.readouterr().out
    assert case.number in printed
    [submission] = session.query(Submission).filter_by(case_id=case.id).all()
    assert submission.title == "Reply on jurisdiction" and submission.author_id == counsel.id
    assert f"filed reply.pdf {hashlib.sha256(reply).hexdigest()}" in printed
    latest = case_rulings(case)[-1]
    saved = tmp_path / f"{display_code(latest.verification_code)}.pdf"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == latest.sha256
    assert f"saved {gettext_en(latest)} {display_code(latest.verification_code)}" in printed
