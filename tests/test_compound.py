"""Questions in two parts: split where the second question begins, answered part by part on the
real seed index, joined under one citation numbering."""

import re

import pytest

from app.compound import split_question


@pytest.mark.parametrize(
    "question, parts",
    [
        (
            "Who replaced Steve Jobs as Apple's CEO, and how old was Jobs when he died?",
            [
                "Who replaced Steve Jobs as Apple's CEO?",
                "How old was Jobs when he died? (about: Steve Jobs, Apple, CEO)",
            ],
        ),
        (  # a second part with names of its own is left as it is
            "Who led China at the Dushanbe summit and who represented China at the 2024 "
            "Astana summit?",
            [
                "Who led China at the Dushanbe summit?",
                "Who represented China at the 2024 Astana summit?",
            ],
        ),
        (  # a preposition before the question word; the first part's names, not its dates
            "Which rocket carried SpaceX's Dragon capsule in December 2010, and off which "
            "country's coast did the capsule splash down?",
            [
                "Which rocket carried SpaceX's Dragon capsule in December 2010?",
                "Off which country's coast did the capsule splash down? (about: SpaceX, Dragon)",
            ],
        ),
        (  # nothing named to carry: the first part itself, less the dates it asks about
            "Which minister resigned first in 2009, and what did she say about the coalition?",
            [
                "Which minister resigned first in 2009?",
                "What did she say about the coalition? (about: Which minister resigned first)",
            ],
        ),
        (  # two question marks
            "Who led the Icelandic coalition in 2009? And who was prime minister when the "
            "Icesave deal passed?",
            [
                "Who led the Icelandic coalition in 2009?",
                "Who was prime minister when the Icesave deal passed?",
            ],
        ),
    ],
)
def test_a_second_question_is_split_off_and_given_the_names_it_leans_on(question, parts):
    assert split_question(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Which city hosted the Shanghai Five summit, the 2021 SCO-CSTO meeting, and the "
        "second Russia-Central Asia summit?",
        "What did the SCO agree, and when?",  # an elliptic second part stays with the first
        "Putin and Xi met in Astana and what did they sign?",  # no question before "and"
        "Who was Putin's spokesman?",
    ],
)
def test_one_question_stays_whole(question):
    assert split_question(question) == [question]


def test_a_follow_ups_context_goes_with_every_part():
    question = "Who chaired the talks, and where were they held? (about: the second summit)"
    assert split_question(question) == [
        "Who chaired the talks? (about: the second summit)",
        "Where were they held? (about: the second summit)",
    ]


def test_each_part_is_answered_from_its_own_article_under_one_numbering(seed_engine):
    result = seed_engine.ask(
        "Which country joined the Shanghai Cooperation Organization at the Astana summit, "
        "and who was Putin's spokesman in Dushanbe?",
        model="extractive",
    )
    assert not result.abstained
    first, second = result.answer.split("\n\n")
    assert first.startswith("Belarus [1].") and second.startswith("Alexei Gromov [2].")
    assert [c.n for c in result.citations] == [1, 2]
    assert len({c.doc_id for c in result.citations}) == 2
    assert result.short_answer == "Belarus; Alexei Gromov"
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.answer)}
    assert markers == {1, 2}


def test_a_part_the_articles_do_not_answer_is_said_so_and_the_other_stands(seed_engine):
    result = seed_engine.ask(
        "Which country joined the SCO at the Astana summit, and what is the population of "
        "Kazakhstan?",
        model="extractive",
    )
    assert not result.abstained
    assert result.answer.startswith("Belarus [1].")
    assert result.answer.endswith("What is the population of Kazakhstan? The articles don't say.")
    assert result.short_answer is None  # not every part has one


def test_a_question_no_part_of_which_is_answered_abstains(seed_engine):
    result = seed_engine.ask(
        "What is the population of Kazakhstan, and what did Joe Biden say about the SCO "
        "summit in Astana?",
        model="extractive",
    )
    assert result.abstained and result.citations == []
    assert result.question.startswith("What is the population of Kazakhstan, and")
