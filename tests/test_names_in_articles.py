"""The names a question asks about, which the articles behind its answer must name too: each
with the other ways an article writes it (a demonym by its country, a capital standing for its
government), and the check itself over real article texts."""

import pytest

from app.evidence import NamedWith, asked_names
from app.understanding import analyse


@pytest.mark.parametrize(
    ("question", "name", "also"),
    [
        ("How many British dairy farmers took part in the study?", "British", "uk"),
        ("Which American president was weighing the missile system?", "American", "u.s."),
        ("What price was put on Washington's proposed missile defense?", "Washington", "u.s."),
        ("Which Pakistani leader attended the summit?", "Pakistani", "Pakistan"),
    ],
)
def test_a_name_may_be_written_another_way(question, name, also):
    names = asked_names(analyse(question))
    assert also in names[name]


def test_a_capital_as_a_place_is_only_itself():
    names = asked_names(analyse("How many heads of state met at the summit in Dushanbe?"))
    assert names["Dushanbe"] == []


def test_short_names_and_two_part_questions_ask_for_nothing():
    assert "US" not in asked_names(analyse("Which US president weighed the missile system?"))
    assert asked_names(analyse("Who won in Ghana, and who lost in Mali?")) == {}


def test_an_answer_is_allowed_only_from_articles_naming_what_was_asked():
    articles = [
        "Facebook acquires Instagram for US$1 billion. The photo app has 30 million users.",
        "Facebook buys WhatsApp. The deal is worth US$19 billion in cash and shares.",
    ]
    check = NamedWith({"WhatsApp": []}, articles)
    assert check("US$19 billion") and not check("US$1 billion")
    assert check.unnamed == ["WhatsApp"]


def test_names_may_be_spread_over_the_articles_that_name_the_answer():
    articles = [
        "Jiang Zemin met the leaders in Dushanbe in 1997.",
        "Putin travelled to Dushanbe for the second Russia-Central Asia summit.",
    ]
    check = NamedWith({"Jiang Zemin": [], "Russia-Central Asia": []}, articles)
    assert check("Dushanbe") and not check("1997")


def test_a_possessive_name_is_asked_without_its_s():
    question = "What was the hotel in New Delhi's Karol Bagh area where a fire killed 17?"
    assert "New Delhi" in asked_names(analyse(question))


def test_a_capitalised_question_word_is_no_name():
    question = analyse("Whom did Michael Steele defeat to become chairman of the committee?")
    assert list(asked_names(question)) == ["Michael Steele"]
    assert "Whom" not in question.constraints
