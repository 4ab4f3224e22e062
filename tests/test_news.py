"""News-aware answering over the real seed index: dates, several articles, disagreements,
timelines, date filters on the command line, and near-duplicate articles in a real index."""

import json
import shutil
from datetime import date

import pytest

from app.engine import Engine
from app.models.extractive import _initials
from app.settings import Settings
from app.timeline import timeline
from retrieval.search import TimeWindow
from tests.conftest import SEEDS
from tests.test_cli import run_app

AP, FT, AA, PRESS_TV, SHANGHAI_5 = (
    "001_f8d36b30d32ee174",
    "002_76736a5005c162cc",
    "003_8a3b2beb2ba57f63",
    "004_c8b71dc69254530b",
    "000_eb7fae85ced59253",
)


def cited(result) -> set[str]:
    return {c.doc_id for c in result.citations}


def test_a_list_question_gets_one_cited_line_per_meeting(seed_engine):
    result = seed_engine.ask("Which meetings in these articles took place in Dushanbe?")
    lines = result.answer.splitlines()
    assert len(lines) == 3 and all(line.startswith("- ") for line in lines), result.answer
    assert cited(result) == {SHANGHAI_5, FT, AA}
    assert all("Dushanbe" in c.quote or "Dushanbe" in (c.title or "") for c in result.citations)


def test_passages_come_from_several_articles(seed_engine):
    passages = seed_engine.search("Putin and Xi at the summit", k=5)
    per_article = [
        sum(p.chunk.doc_id == d for p in passages) for d in {p.chunk.doc_id for p in passages}
    ]
    assert max(per_article) <= seed_engine.settings.search.max_per_article
    assert len(per_article) >= 3


def test_disagreeing_articles_are_both_cited_and_the_answer_says_so(seed_engine):
    result = seed_engine.ask("On which day did Putin and Xi attend the SCO summit in Astana?")
    assert result.answer.startswith("The articles disagree"), result.answer
    assert {AP, PRESS_TV} <= cited(result)
    assert "Wednesday" in result.answer and "Thursday" in result.answer
    assert result.conflicts and "Wednesday" in result.conflicts[0]


def test_an_answer_about_a_year_rests_on_that_years_article_and_says_its_date(seed_engine):
    result = seed_engine.ask("What did Putin and Xi pledge in 2021?")
    assert cited(result) == {FT}
    assert result.answer.startswith("As of the Financial Times article of 17 September 2021")
    assert result.window.since == date(2021, 1, 1) and not result.window.strict


def test_relative_dates_in_the_answer_are_resolved_and_marked_inferred(seed_engine):
    result = seed_engine.ask("On what date was Belarus set to formally join the SCO?")
    assert "Thursday [1]: 4 July 2024, inferred" in result.answer
    assert result.citations[0].article_date == "not before 3 July 2024 (inferred)"


def test_nothing_dated_in_the_asked_range_abstains(seed_engine):
    result = seed_engine.ask("What happened at the SCO summit in Astana before 2010?")
    assert result.abstained and "range" in result.abstain_reason


def test_the_latest_and_the_earliest_follow_the_article_dates(seed_engine):
    latest = seed_engine.ask("Which summit in these articles is the latest?")
    earliest = seed_engine.ask("Which meeting in these articles is the earliest?")
    assert cited(latest) == {AA}
    assert SHANGHAI_5 in cited(earliest) and "Shanghai Five" in earliest.answer


def test_a_strict_range_keeps_every_passage_inside_it(seed_engine):
    window = TimeWindow(since=date(2024, 1, 1), until=date(2024, 12, 31))
    passages = seed_engine.search("Putin Xi summit", k=8, window=window)
    assert passages and {p.chunk.doc_id for p in passages} <= {AP, PRESS_TV, AA}


def test_the_timeline_is_in_date_order_and_every_event_is_cited(seed_engine):
    events = timeline(seed_engine, "Shanghai Cooperation Organization")
    days = [e.date for e in events]
    assert len(events) >= 5 and days == sorted(days, key=lambda d: (d[:4], d))
    assert {"2001", "2021-09-17"} <= set(days)
    index = {c.chunk_id: c for c in seed_engine.loaded_index().chunks}
    for event in events:
        chunk = index[event.chunk_id]
        assert event.quote in chunk.text and event.summary.rstrip(" …")[:40] in event.quote


def test_cli_since_until_filter_and_timeline_json(tmp_path):
    data = tmp_path / "data"
    ask = run_app("ask", "What did Putin say?", "--since", "2024", "--json", data_dir=data)
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["window"]["since"] == "2024-01-01" and answer["window"]["strict"]
    assert FT not in {p["doc_id"] for p in answer["passages"]}
    events = run_app("timeline", "Afghanistan", "--json", data_dir=data)
    assert events.returncode == 0, events.stderr
    found = json.loads(events.stdout)
    assert found and all({"date", "summary", "chunk_id", "quote"} <= set(e) for e in found)
    bad = run_app("search", "x", "--since", "2025", "--until", "2024", data_dir=data)
    assert bad.returncode == 2 and "--since" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory, embedder) -> Engine:
    """The seeds plus a syndicated copy of the FT article under another name and masthead."""
    seeds = tmp_path_factory.mktemp("syndicated") / "articles"
    shutil.copytree(SEEDS, seeds)
    original = (SEEDS / f"{FT}.txt").read_text(encoding="utf-8")
    body = original.split("\n", 1)[1]
    copy = "Republished from the Financial Times\n\nRegional Herald\n" + body + "\nMore news at 11."
    (seeds / "zz_herald_copy.txt").write_text(copy, encoding="utf-8")
    settings = Settings(data_dir=seeds.parent / "data", seeds_dir=seeds)
    engine = Engine(settings, embedder=embedder)
    engine.update_index(progress=False)
    return engine


def test_a_syndicated_copy_is_detected_and_counts_as_one_source(syndicated):
    index = syndicated.loaded_index()
    assert [FT, "zz_herald_copy"] in index.manifest.duplicate_groups
    passages = syndicated.search("What did Xi and Putin pledge about Afghanistan?", k=5)
    docs = [p.chunk.doc_id for p in passages]
    assert not ({FT, "zz_herald_copy"} <= set(docs[:2]))
    top = next(p for p in passages if p.chunk.doc_id in (FT, "zz_herald_copy"))
    assert set(top.copies) == {FT, "zz_herald_copy"} - {top.chunk.doc_id}


def test_citations_list_the_copies_together(syndicated):
    result = syndicated.ask("What did Xi and Putin pledge about Afghanistan?")
    first = result.citations[0]
    assert {first.doc_id, *first.copies} == {FT, "zz_herald_copy"}


def test_an_article_without_an_outlet_is_named_by_its_title_not_its_file_id():
    from app.news import DatedSource, dated_answer

    source = DatedSource(
        doc_id="wikinews-p122401",
        outlet=None,
        title="Madoff jailed after pleading guilty …",
        date="12 March 2009",
    )
    said = dated_answer("Answer [1].", [source], [], lead=True)
    named = "the article “Madoff jailed after pleading guilty …” of 12 March 2009"
    assert said == f"As of {named}: Answer [1]."
    assert "wikinews-p122401" not in said
    # after a short answer, whose quote's citation names the article, the date alone
    assert dated_answer("11 [1].", [source], [], lead=False) == "11 [1].\nAs of 12 March 2009."


def test_several_sources_are_dated_by_their_citation_numbers():
    from app.news import DatedSource, dated_answer

    first = DatedSource(doc_id="a", outlet="Financial Times", date="17 September 2021", n=1)
    second = DatedSource(doc_id="b", outlet=None, title="Putin, Jiang Meet …", date="1997", n=3)
    said = dated_answer("Dushanbe [1].\n\nDushanbe [3].", [first, second], [], lead=False)
    assert said.endswith("\nDates: 17 September 2021 [1]; 1997 [3].")


RIVAL = """Armenia admitted to regional bloc in Astana

Source: Caspian Wire
Published: 2024-07-04

Armenia joined the Shanghai Cooperation Organization on Thursday at the bloc's summit in the \
Kazakh capital of Astana, officials said.

The leaders of the member states signed a declaration on regional security.
"""


@pytest.fixture(scope="module")
def rival_engine(tmp_path_factory, embedder) -> Engine:
    """The seed articles and one more that names another country as the one that joined."""
    root = tmp_path_factory.mktemp("rival")
    shutil.copytree(SEEDS, root / "articles")
    (root / "articles" / "caspian.txt").write_text(RIVAL)
    engine = Engine(Settings(data_dir=root / "data", seeds_dir=root / "articles"), embedder)
    engine.update_index(progress=False)
    return engine


@pytest.mark.parametrize(
    ("model", "organisation"),
    [("extractive", "SCO"), ("extractive", "Shanghai Cooperation Organization"), ("local", "SCO")],
)
def test_articles_that_name_different_answers_are_both_quoted_as_disagreeing(
    rival_engine, model, organisation
):
    """One article says Belarus joined the SCO at Astana, another (never naming Belarus) says
    Armenia joined the Shanghai Cooperation Organization: the answer says the articles disagree
    and quotes both, whichever the model picks and however the question names the bloc."""
    question = f"Which country joined the {organisation} at the Astana summit?"
    result = rival_engine.ask(question, model=model)
    assert result.answer.startswith("The articles disagree"), result.answer
    assert "Belarus" in result.answer and "Armenia" in result.answer
    assert {AP, "caspian"} <= cited(result)
    assert result.short_answer in ("Belarus", "Armenia") and result.conflicts


def test_an_answer_the_other_articles_also_name_is_no_disagreement(seed_engine):
    """Over the seed articles alone the AP and Press TV both name Belarus: no disagreement."""
    question = "Which country joined the Shanghai Cooperation Organization at the Astana summit?"
    result = seed_engine.ask(question)
    assert result.short_answer == "Belarus" and not result.conflicts, result.answer


def test_an_acronym_is_named_by_the_words_it_stands_for():
    text = (
        "Armenia joined the Shanghai Cooperation Organization, not the Collective Security Treaty"
    )
    found = _initials(text + " Organization.")
    assert {"sco", "csto"} <= found and "ajs" not in found  # "joined the" breaks a run
