"""Real news through the date code: two months of English Wikinews (July 2006 and July 2008,
178 articles of `../shared/newscorpus/`, CC BY 2.5) indexed once into a cache folder kept
between runs. Among them are the articles whose "co-builder of August 80" and "the Fiscal Year
... ended with June 31" an earlier release stored as impossible dates that failed every question
whose date window reached them."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.engine import Engine
from app.evaluation import Question, run_questions
from app.settings import PROJECT_ROOT, Settings

CORPUS = Path(os.environ.get("NEWSQA_NEWSCORPUS", PROJECT_ROOT.parent / "shared" / "newscorpus"))
MONTHS = ("2006-07", "2008-07")
CACHE = PROJECT_ROOT / ".newsqa" / "test-cache" / "wikinews-2006-07-2008-07"


def _articles() -> list[Path]:
    folder = CORPUS / "articles"
    if not folder.is_dir():
        pytest.skip(f"the Wikinews corpus is not at {CORPUS} (set NEWSQA_NEWSCORPUS)")
    return [
        path
        for path in sorted(folder.glob("*.txt"))
        if any(f"\nPublished: {month}" in path.read_text(encoding="utf-8") for month in MONTHS)
    ]


@pytest.fixture(scope="module")
def news_engine(embedder) -> Engine:
    """An engine over the two months, its articles copied and indexed once per cache folder."""
    articles = CACHE / "articles"
    if not articles.is_dir():
        staging = CACHE / "articles.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for path in _articles():
            shutil.copy2(path, staging / path.name)
        staging.rename(articles)
    engine = Engine(Settings(data_dir=CACHE / "data", seeds_dir=articles), embedder=embedder)
    engine.update_index(progress=False)
    return engine


def _is_calendar_date(value: str) -> bool:
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def test_every_date_stored_from_real_news_is_a_calendar_date(news_engine):
    index = news_engine.manager.load()
    assert len(index.documents) >= 170
    stored = [m.date for chunk in index.chunks for m in chunk.events]
    assert len(stored) > 400  # real text names many dates
    assert [d for d in stored if not _is_calendar_date(d)] == []
    geremek = [c for c in index.chunks if c.doc_id == "wikinews-p109676"]
    assert geremek and not any("-80" in m.date for c in geremek for m in c.events)


def test_questions_whose_windows_reach_the_articles_are_answered(news_engine):
    died = news_engine.ask("Which former Polish foreign minister died in the summer of 2008?")
    assert "Geremek" in died.answer, died.answer
    budget = news_engine.ask(
        "Why did parts of the New Jersey government stop in the summer of 2006?"
    )
    assert not budget.abstained and "budget" in budget.answer.lower(), budget.answer


def test_an_eval_over_real_news_records_every_question(news_engine):
    questions = [
        Question(id="a", question="Who died in a car crash in July 2008?", facts=[["Geremek"]]),
        Question(
            id="b",
            question="Which state's budget failed to clear its Legislature in July 2006?",
            facts=[["New Jersey"]],
        ),
    ]
    outcomes = run_questions(questions, lambda q: news_engine.ask(q.question))
    assert [o.error for o in outcomes] == [None, None]
    assert all(o.correct for o in outcomes), [o.answer for o in outcomes]
