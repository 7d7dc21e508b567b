"""Full-text case search: the tokeniser, who finds what, the index following every change,
hostile input, and a page's cost that does not grow with the number of matches."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from dispute_portal.auth.models import Role
from dispute_portal.parties.models import Side, Standing
from dispute_portal.registry import operations as registry
from dispute_portal.search import operations as search
from dispute_portal.workflow.states import CaseState

from .conftest import Browser

# The tokeniser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("investments", "Investment"),
        ("investing", "INVESTED"),
        ("ministries", "ministry"),
        ("инвестиций", "инвестиции"),
        ("горнодобывающей", "Горнодобывающая"),
        ("ёлка", "Елка"),
        ("00042", "42"),
    ],
)
def test_words_are_found_in_their_other_forms(asked, written):
    assert search.query_terms(asked) == search.terms(written)


def test_a_case_number_is_a_term_by_each_of_its_parts():
    assert search.terms("ADR-2026-0042") == ["adr", "2026", "42"]
    assert search.query_terms("ADR-2026-0042") == ["adr", "2026", "42"]
    assert search.query_terms("0042") == ["42"]


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "OR", "-", ":", "^", '" OR "a', "a*", "document:x", "x -y", "'a' & !b"],
)
def test_query_syntax_is_only_ever_words(query):
    for term in search.query_terms(query):
        assert re.fullmatch(r"[^\W_]+", term), term


def test_a_long_query_is_cut_to_a_few_terms():
    assert len(search.query_terms(" ".join(f"w{n}" for n in range(5000)))) == search.MAX_TERMS
    assert len(search.query_terms("x" * 10_000)[0]) == search.MAX_TERM_CHARS


# Helpers ---------------------------------------------------------------------------------------


def _make(factory, state=CaseState.SUBMITTED, **fields):
    """A case; `fields` are Case attributes, or claimant / respondent / counsel (names)."""
    case = factory.case(state, **{k: fields.pop(k) for k in ("claimant", "clerk") if k in fields})
    if "claimant_name" in fields:
        case.party(Side.CLAIMANT).name = fields.pop("claimant_name")
    if "respondent_name" in fields:
        case.party(Side.RESPONDENT).name = fields.pop("respondent_name")
    if "counsel" in fields:
        case.party(Side.CLAIMANT).counsel_name = fields.pop("counsel")
    for name, value in fields.items():
        setattr(case, name, value)
    factory.session.flush()
    return case


def _found(session, user, query) -> set[int]:
    return {hit.id for hit in search.search(session, user, query).hits}


def _index(session) -> dict[int, set[str]]:
    """What the index holds: each case's terms."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT case_id, tsvector_to_array(document) FROM case_search"))
        return {case_id: set(terms) for case_id, terms in rows}
    rows = session.execute(text("SELECT rowid, document FROM case_search"))
    return {case_id: set(document.split()) for case_id, document in rows}


@pytest.fixture
def clerk(factory):
    return factory.user(Role.CLERK)


@pytest.fixture(params=["few matches", "many matches"])
def either_plan(request, monkeypatch):
    """PostgreSQL pages few matches from all of them, many by walking the newest cases:
    the same answers either way (a probe of 1 makes every search take the second)."""
    if request.param == "many matches":
        monkeypatch.setattr(search, "PROBE", 1)


# What is found ---------------------------------------------------------------------------------


def test_english_and_russian_words_are_found_by_their_stems(session, factory, clerk):
    case = _make(
        factory,
        project_name="Горнодобывающая компания",
        summary="Foreign investments were expropriated; инвестиции утрачены.",
    )
    for query in ("investment", "INVESTMENTS", "инвестиций", "горнодобывающей", "компании"):
        assert _found(session, clerk, query) == {case.id}, query
    assert _found(session, clerk, "expropriation investor") == set()


def test_numbers_and_party_names_are_found(session, factory, clerk):
    case = _make(
        factory,
        CaseState.REGISTERED,
        clerk=clerk,
        claimant_name="Zhetysu Copper LLP",
        respondent_name="Министерство энергетики",
        counsel="Aigerim Bekova",
    )
    other = _make(factory, CaseState.REGISTERED, clerk=clerk)
    number = case.number
    assert number and number != other.number
    tail = number.rsplit("-", 1)[1]
    for query in (number, number.lower(), tail, str(int(tail)), "zhetysu", "copper llp"):
        assert case.id in _found(session, clerk, query), query
        assert other.id not in _found(session, clerk, query), query
    for query in ("министерства энергетики", "Bekova"):
        assert _found(session, clerk, query) == {case.id}, query


def test_every_word_must_match(session, factory, clerk, either_plan):
    mine = _make(factory, summary="The copper mine was closed by decree.")
    smelter = _make(factory, summary="The copper smelter lost its licence.")
    assert _found(session, clerk, "copper") >= {mine.id, smelter.id}
    assert _found(session, clerk, "copper mine") == {mine.id}
    assert _found(session, clerk, "mine smelter") == set()


# Who finds what --------------------------------------------------------------------------------


@pytest.fixture
def cast(factory, clerk):
    """Investor A's registered case with a mediator, a respondent and counsel, and A's draft;
    and people with no part in them."""
    investor = factory.user(Role.INVESTOR)
    case = _make(
        factory, CaseState.REGISTERED, claimant=investor, clerk=clerk, summary="Quixotic lease"
    )
    mediator = factory.mediate(case, clerk)
    respondent = factory.join(case, clerk)
    counsel = factory.join(case, investor, side=Side.CLAIMANT, standing=Standing.COUNSEL)
    draft = _make(factory, CaseState.DRAFT, claimant=investor, summary="Quixotic zanzibarian")
    people = {
        "clerk": clerk,
        "owner": investor,
        "counsel (an investor who joined)": counsel,
        "other investor": factory.user(Role.INVESTOR),
        "respondent": respondent,
        "other respondent": factory.user(Role.RESPONDENT),
        "mediator": mediator,
        "other mediator": factory.user(Role.MEDIATOR),
        "admin": factory.user(Role.ADMIN),
    }
    return case, draft, people


def test_a_search_finds_only_the_cases_its_user_may_see(session, cast, either_plan):
    case, draft, people = cast
    sees_case = {"clerk", "owner", "counsel (an investor who joined)", "respondent", "mediator"}
    for role, user in people.items():
        expected = ({case.id} if role in sees_case else set()) | (
            {draft.id} if role == "owner" else set()
        )
        assert _found(session, user, "quixotic") == expected, role
        assert _found(session, user, "zanzibarian") == ({draft.id} if role == "owner" else set())


def test_the_page_tells_nothing_of_a_case_its_reader_may_not_see(app, session, factory, cast):
    case, _draft, people = cast
    case.party(Side.CLAIMANT).name = "Uniquename Holdings"
    session.commit()
    outsider = Browser(app)
    outsider.login(people["other investor"])
    page = outsider.get("/search?q=Uniquename").get_data(as_text=True)
    assert "No cases match." in page
    assert f"/cases/{case.id}" not in page and "Holdings" not in page
    owner = Browser(app)
    owner.login(people["owner"])
    page = owner.get("/search?q=Uniquename").get_data(as_text=True)
    assert f'href="/cases/{case.id}"' in page and "Uniquename Holdings" in page
    assert case.number in page


def test_the_search_needs_a_login(browser):
    response = browser.get("/search?q=anything")
    assert response.status_code == 302 and "/login" in response.location


# The index follows the cases ---------------------------------------------------------------------


def test_the_index_follows_edits_and_registration(session, factory, clerk):
    case = _make(factory, summary="Original wording")
    assert _found(session, clerk, "original") == {case.id}
    case.summary = "Revised wording"
    case.party(Side.RESPONDENT).name = "Renamed Akimat"
    session.flush()
    assert _found(session, clerk, "original") == set()
    assert _found(session, clerk, "revised renamed") == {case.id}
    factory.settle_lodging_fee(case, clerk)
    registry.register_case(session, case, clerk=clerk)
    session.flush()
    assert _found(session, clerk, case.number) == {case.id}


def test_a_rolled_back_edit_leaves_the_index_as_it_was(session, factory, clerk):
    case = _make(factory, summary="Steady wording")
    savepoint = session.begin_nested()
    case.summary = "Fleeting wording"
    session.flush()
    assert _found(session, clerk, "fleeting") == {case.id}
    savepoint.rollback()
    assert _found(session, clerk, "fleeting") == set()
    assert _found(session, clerk, "steady") == {case.id}


def test_rebuild_makes_the_index_the_edits_made(session, factory, clerk):
    _make(factory, summary="Одна инвестиция", claimant_name="First Ltd", counsel="Ann Law")
    _make(factory, CaseState.REGISTERED, clerk=clerk, respondent_name="Second Ministry")
    _make(factory, CaseState.DRAFT, project_name=None, summary=None)
    incremental = _index(session)
    assert incremental
    assert search.rebuild(session) == len(incremental)
    assert _index(session) == incremental


def test_the_command_makes_the_index_anew(app, session, factory, clerk):
    case = _make(factory, summary="Reindexed wording")
    session.execute(text("DELETE FROM case_search"))
    session.commit()
    assert _found(session, clerk, "reindexed") == set()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed" in result.output, result.output
    assert _found(session, clerk, "reindexed") == {case.id}


# The page ----------------------------------------------------------------------------------------

HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "river OR zebra",
    "-river",
    "document:river",
    "^river",
    '"river" AND NOT "x',
    "\x01\x02\x1b[31m river \u202e",
    "'; DROP TABLE cases; --",
    "\\",
    "river" * 2000,
]


def test_hostile_input_is_searched_as_words_never_as_syntax(app, session, factory, login_as):
    case = _make(factory, summary="A plot near the river, or so.")
    b, _clerk = login_as("clerk")
    link = f'href="/cases/{case.id}"'
    for query in HOSTILE:
        response = b.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
    pages = {
        q: b.get("/search", query_string={"q": q}).get_data(as_text=True)
        for q in ("NEAR(", "-river", "^river", "river OR zebra", "x" * 10_000)
    }
    assert link in pages["NEAR("] and link in pages["-river"] and link in pages["^river"]
    assert link not in pages["river OR zebra"]  # OR is a word to find, not an operator
    assert "No cases match." in pages["river OR zebra"]
    assert link not in pages["x" * 10_000] and "field-error" in pages["x" * 10_000]
    assert b.get("/search", query_string={"q": "a\x00b"}).status_code == 400
    assert "Type a word" in b.get("/search?q=%22*%5E").get_data(as_text=True)


def test_an_empty_query_shows_just_the_form(login_as):
    b, _ = login_as("investor")
    page = b.get("/search").get_data(as_text=True)
    assert 'role="search"' in page and "Results" not in page


@pytest.mark.parametrize("reader", ["clerk", "investor"])
def test_more_results_continue_after_the_last_case_shown(
    app, session, factory, clerk, login_as, monkeypatch, either_plan, reader
):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    user = clerk if reader == "clerk" else factory.user(Role.INVESTOR)
    owner = None if reader == "clerk" else user
    ids = [_make(factory, summary="Paginated claim", claimant=owner).id for _ in range(3)]
    if reader == "clerk":
        ids += [_make(factory, summary="Paginated claim").id for _ in range(2)]
    else:
        _make(factory, summary="Paginated claim")  # someone else's: never shown
    b, _ = login_as(reader, user)
    seen, url = [], "/search?q=paginated"
    while url:
        page = b.get(url).get_data(as_text=True)
        seen += [int(i) for i in re.findall(r'<th scope="row"><a href="/cases/(\d+)"', page)]
        more = re.search(r'href="(/search\?[^"]*after=\d+[^"]*)"', page)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert seen == sorted(ids, reverse=True)


@pytest.mark.parametrize("reader", ["clerk", "investor"])
def test_a_page_runs_as_many_queries_for_twelve_matches_as_for_two(
    session, factory, clerk, login_as, reader, count_queries
):
    user = clerk if reader == "clerk" else factory.user(Role.INVESTOR)
    owner = None if reader == "clerk" else user
    b, _ = login_as(reader, user)

    def page_queries() -> list[str]:
        with count_queries() as queries:
            assert b.get("/search?q=countable").status_code == 200
        return queries.statements

    def add(n: int) -> None:
        for _ in range(n):
            _make(factory, summary="Countable claim", claimant=owner)
        session.commit()

    add(2)
    few = page_queries()
    add(10)
    many = page_queries()
    assert b.get("/search?q=countable").get_data(as_text=True).count('<th scope="row">') == 12
    assert len(many) == len(few), "\n".join(many)
