"""The years between two events: each dated by its own question, the difference computed from
the two cited years (never read off a sentence), an abstention when either is undated."""

import pytest

from app.intervals import event_questions


@pytest.mark.parametrize(
    ("question", "events"),
    [
        (
            "How many years passed between the founding of the SCO and the Astana summit?",
            ["When was the founding of the SCO?", "When was the Astana summit?"],
        ),
        (
            "How many years after the Shanghai Five's first meeting was the SCO established?",
            ["When was the Shanghai Five's first meeting?", "When was the SCO established?"],
        ),
        (
            "how many years before the crash did the airline ground its fleet",
            ["When was the crash?", "When did the airline ground its fleet?"],
        ),
    ],
)
def test_a_how_many_years_question_is_two_when_questions(question, events):
    assert event_questions(question) == events


@pytest.mark.parametrize(
    "question",
    [
        "How many years did the Taliban rule Afghanistan?",
        "How many members does the SCO have?",
        "When was the SCO founded?",
    ],
)
def test_other_questions_are_not_split(question):
    assert event_questions(question) is None


def test_the_years_between_two_cited_dates_are_computed_and_both_quotes_cited(seed_engine):
    result = seed_engine.ask(
        "How many years after the Shanghai Five's first meeting was the SCO established?"
    )
    assert not result.abstained and result.short_answer == "5"
    assert result.answer.startswith("5 years [1, 2]: 1996 [1] to 2001 [2].")
    quotes = [c.quote for c in result.citations]
    assert any("1996" in q for q in quotes) and any("2001" in q for q in quotes)


def test_an_event_the_articles_do_not_date_leaves_the_question_to_the_sentences(seed_engine):
    result = seed_engine.ask(
        "How many years passed between the Minsk metro bombing and the Astana summit?"
    )
    assert result.abstained and result.citations == [] and result.short_answer is None
    assert "Minsk" in result.abstain_reason  # the question's own reason, not the events'


def test_a_stated_interval_is_read_when_an_event_is_no_noun(seed_engine):
    result = seed_engine.ask("How many years after being ousted did the Taliban regain power?")
    assert not result.abstained and result.short_answer.startswith("20")
