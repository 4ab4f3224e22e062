"""Dates in news text: article dates stated or inferred, event dates resolved, time in questions."""

from datetime import date

import pytest

from retrieval.ingest import read_document
from retrieval.temporal import (
    ArticleDate,
    describe,
    find_event_dates,
    infer_article_date,
    stated_date,
)
from retrieval.timefilter import TimeWindow, time_window, without_time_words
from tests.conftest import SEEDS

WEDNESDAY = stated_date("2024-07-03")  # Wed 3 July 2024, as a page states it


def resolved(text: str, article: ArticleDate) -> dict[str, str | None]:
    return {m.text: m.date for m in find_event_dates(text, article)}


def test_relative_dates_resolve_against_the_article_date():
    text = (
        "Belarus is set to formally join the SCO on Thursday. Leaders met on Monday. "
        "China offered a peace plan last year. The bloc was founded in 2001. "
        "A crash happened in May. The first summit was held on Oct. 14, 2022."
    )
    assert resolved(text, WEDNESDAY) == {
        "Thursday": "2024-07-04",  # future tense: the next Thursday
        "Monday": "2024-07-01",  # past: the nearest Monday before
        "last year": "2023",
        "2001": "2001",
        "in May": "2024-05",
        "Oct. 14, 2022": "2022-10-14",
    }


def test_a_month_and_day_the_sentence_looks_ahead_to_is_the_next_one():
    february = stated_date("2007-02-12")
    assert resolved("He will wed his partner this summer, August 5.", february) == {
        "August 5": "2007-08-05"
    }
    assert resolved("He married his partner on August 5.", february) == {"August 5": "2006-08-05"}
    assert resolved("A vote is scheduled for January 10.", february) == {"January 10": "2008-01-10"}


def test_unknown_stays_unknown_without_an_article_date():
    text = "Leaders met on Thursday and again in May, as they did last year."
    mentions = find_event_dates(text, ArticleDate())
    assert [m.text for m in mentions] == ["Thursday", "in May", "last year"]
    assert all(m.date is None for m in mentions)


def test_a_date_resolved_against_an_inferred_article_date_is_marked_inferred():
    article = ArticleDate(earliest="2024-07-03", inferred=True, evidence=["mentions July 3"])
    (mention,) = find_event_dates("The summit ends on Thursday.", article)
    assert (mention.date, mention.inferred) == ("2024-07-04", True)


@pytest.mark.parametrize(
    ("name", "expected", "evidence"),
    [
        ("000_eb7fae85ced59253", "between 1997 and 27 July 2016 (inferred)", "Last Updated"),
        ("001_f8d36b30d32ee174", "2024 (inferred)", "Copyright"),
        ("002_76736a5005c162cc", "17 September 2021", None),
        ("003_8a3b2beb2ba57f63", "not before December 2024 (inferred)", "December 2024"),
        ("004_c8b71dc69254530b", "not before 3 July 2024 (inferred)", "July 3, 2024"),
    ],
)
def test_seed_articles_get_a_stated_or_an_inferred_date_with_evidence(name, expected, evidence):
    document = read_document(SEEDS / f"{name}.txt")
    assert describe(document.article_date) == expected
    if evidence is None:
        assert not document.article_date.inferred and document.published == "2021-09-17"
    else:
        assert any(evidence in line for line in document.article_date.evidence)


def test_plans_and_periods_are_not_taken_for_the_article_date():
    text = (
        "Ministers will adopt a plan until 2030. The programme covers 2026-2030. "
        "In March 2019 talks began."
    )
    article = infer_article_date(text, text)
    assert (article.earliest, article.inferred) == ("2019-03", True)


def test_an_article_with_no_date_in_it_stays_undated():
    article = infer_article_date("Leaders met on Thursday.", "Leaders met on Thursday.")
    assert not article.known and describe(article) == "date unknown"


@pytest.mark.parametrize(
    ("question", "since", "until", "order"),
    [
        ("What did Putin and Xi pledge in 2021?", date(2021, 1, 1), date(2021, 12, 31), None),
        ("What happened in Astana before 2010?", None, date(2009, 12, 31), None),
        ("What was agreed after 2020?", date(2021, 1, 1), None, None),
        (
            "Which talks took place between 2000 and 2005?",
            date(2000, 1, 1),
            date(2005, 12, 31),
            None,
        ),
        ("Which summit in these articles is the latest?", None, None, "newest"),
        ("Which meeting was held first?", None, None, "oldest"),
        ("When was the first Russia-Central Asia summit held?", None, None, None),
        ("Which years does the 2025-2027 plan cover?", None, None, None),
        (
            "How many died in the 2012 explosion at the mine?",
            date(2012, 1, 1),
            date(2012, 12, 31),
            None,
        ),
        (
            "What sold at Tsukiji's 2013 New Year auction?",
            date(2013, 1, 1),
            date(2013, 12, 31),
            None,
        ),
        ("Who won the 2012 and 2013 polls?", None, None, None),
        ("For which 2023 crash did he apologise?", date(2023, 1, 1), date(2023, 12, 31), None),
        ("What did the 2013–14 budget cut?", None, None, None),
        (
            "At what rate were tolars exchanged when Slovenia adopted the euro in January 2006?",
            date(2006, 1, 1),
            date(2006, 12, 31),
            None,
        ),
        ("Who won the vote on March 5, 2006?", date(2006, 1, 1), date(2006, 12, 31), None),
    ],
)
def test_questions_give_their_time_window(question, since, until, order):
    window = time_window(question)
    assert (window.since, window.until, window.order) == (since, until, order)
    assert not window.strict  # a question's own dates rank passages; they don't exclude


def test_time_words_do_not_count_as_missing_key_words():
    assert "latest" not in without_time_words("Which summit is the latest?")
    assert "2021" not in without_time_words("What did they pledge in 2021?")
    assert without_time_words("Who won the 2009 election?").split() == [
        "Who",
        "won",
        "the",
        "election?",
    ]


def test_an_explicit_range_narrows_the_questions_own():
    asked = time_window("What happened in 2024?")
    merged = asked.merged(TimeWindow(since=date(2024, 6, 1)))
    assert (merged.since, merged.until, merged.strict) == (
        date(2024, 6, 1),
        date(2024, 12, 31),
        True,
    )


def test_a_mention_that_is_no_calendar_day_is_no_date():
    text = (
        "He was a co-builder of August 80. The Fiscal Year ended with June 31, 2006, and the "
        "plant closed on June 30, 2006."
    )
    found = [(m.text, m.date) for m in find_event_dates(text, ArticleDate(earliest="2007-05"))]
    assert found == [("2006", "2006"), ("June 30, 2006", "2006-06-30")]


def test_impossible_dates_an_older_index_stored_never_fail_a_window():
    from retrieval.timefilter import article_bounds, date_in_window

    spring = TimeWindow(since=date(2007, 3, 1), until=date(2007, 9, 30))
    assert not date_in_window("2007-08-80", spring)
    assert article_bounds(ArticleDate(earliest="2006-06-31", inferred=True)) is None
    assert date_in_window("2007-08", spring)


def test_questions_over_articles_with_impossible_dates_are_answered(tmp_path, embedder):
    from app.engine import Engine
    from app.settings import Settings

    seeds = tmp_path / "articles"
    seeds.mkdir()
    (seeds / "gdansk.txt").write_text(
        "Title: Shipyard veteran dies\nPublished: 2007-05-02\n\nAnna Walentynowicz, a "
        "co-builder of August 80, died in the spring of 2007 in Gdansk.\n",
        encoding="utf-8",
    )
    (seeds / "budget.txt").write_text(
        "Title: City budget closes\nPublished: 2007-01-10\n\nThe Fiscal Year of the city "
        "ended with June 31 and left a surplus of 3 million dollars.\n",
        encoding="utf-8",
    )
    engine = Engine(Settings(data_dir=tmp_path / "data", seeds_dir=seeds), embedder=embedder)
    engine.update_index(progress=False)
    result = engine.ask("Who died in the spring of 2007?", model="extractive")
    assert "Walentynowicz" in result.answer
    events = [m.date for p in engine.search("fiscal year surplus", 2) for m in p.chunk.events]
    assert "2006-06-31" not in events and "2007-06-31" not in events


def test_an_undated_article_is_neither_the_newest_nor_the_oldest(tmp_path, embedder):
    from app.engine import Engine
    from app.settings import Settings

    seeds = tmp_path / "articles"
    seeds.mkdir()
    for name, header, event in (
        ("old", "Published: 2020-01-06\n", "opened with a parade of tall ships and music"),
        ("new", "Published: 2023-05-08\n", "closed for repairs after a storm broke its pier"),
        ("undated", "", "was renamed after a local poet by the city council"),
    ):
        (seeds / f"{name}.txt").write_text(
            f"Title: Varna harbour {name}\n{header}\nThe harbour of Varna {event}.\n"
        )
    engine = Engine(Settings(data_dir=tmp_path / "data", seeds_dir=seeds), embedder=embedder)
    engine.update_index(progress=False)
    for order, expected in (("newest", ["new", "old"]), ("oldest", ["old", "new"])):
        found = engine.search("Varna harbour", 3, window=TimeWindow(order=order))
        assert [p.chunk.doc_id for p in found] == [*expected, "undated"], order


def test_an_open_ended_inferred_date_is_no_evidence_of_a_later_window():
    from retrieval.timefilter import dates_fit

    not_before = ArticleDate(earliest="2024-07-03", inferred=True)
    assert not dates_fit(not_before, [], TimeWindow(since=date(2030, 1, 1)))
    assert dates_fit(not_before, [], TimeWindow(since=date(2024, 7, 1), until=date(2024, 7, 31)))
    assert not dates_fit(not_before, [], TimeWindow(until=date(2023, 12, 31)))
