"""Who did it: a 'why' question's named subject or object against the best sentences (real
spaCy parses, no index)."""

import pytest

from app.actors import clashing_actor, denied_deed
from app.understanding import analyse


class Ranked:
    def __init__(self, text: str) -> None:
        self.text = text


@pytest.mark.parametrize(
    ("question", "sentence", "clash"),
    [
        (
            "Why did Nancy Reagan endorse Mike Huckabee for president in March 2008?",
            "Former First Lady Nancy Reagan, widow of the late President Ronald Reagan, endorsed "
            "Senator John McCain for the Presidency of the United States on Tuesday.",
            "“Senator John McCain”, not “Mike Huckabee”",
        ),
        (
            "Why did Hillary Clinton win the Iowa caucus?",
            "Illinois senator Barack Obama won the Iowa Democratic caucus on Thursday.",
            "“Barack Obama”, not “Hillary Clinton”",
        ),
        (
            "Why did Nancy Reagan endorse John McCain?",
            "Former First Lady Nancy Reagan endorsed Senator John McCain on Tuesday.",
            "",
        ),
        ("Why did Belarus join the SCO?", "Belarus joined the SCO on Thursday.", ""),
        ("Why did Obama win the caucus?", "Voters turned out in record numbers.", ""),
        (
            "Why did Modi not attend the Astana summit?",
            "Iranian President Mohammad Mokhbar attended the Astana summit.",
            "",
        ),
    ],
)
def test_a_why_question_whose_doer_the_articles_name_otherwise(question, sentence, clash):
    assert clashing_actor(analyse(question), [Ranked(sentence)], 3) == clash


def test_a_use_naming_no_one_neither_agrees_nor_clashes_and_the_object_s_names_count():
    question = analyse("Why did Hillary Clinton win the Democratic Iowa caucus?")
    elsewhere = Ranked(
        "Senator Hillary Clinton has won the Nevada Democratic Caucus with 52% of the votes "
        "needed to win."
    )
    other = Ranked("Illinois senator Barack Obama won the Iowa Democratic caucus.")
    clash = clashing_actor(question, [other, elsewhere], 3)
    assert clash == "“Barack Obama”, not “Hillary Clinton”"
    assert clashing_actor(question, [elsewhere], 3).startswith("“Nevada")


def test_one_sentence_doing_it_as_asked_is_enough_and_depth_zero_is_off():
    question = analyse("Why did Hillary Clinton win the Iowa caucus?")
    other = Ranked("Illinois senator Barack Obama won the Iowa Democratic caucus.")
    asked = Ranked("Hillary Clinton won the Iowa caucus, officials said.")
    assert clashing_actor(question, [other, asked], 3) == ""
    assert clashing_actor(question, [other], 0) == ""


@pytest.mark.parametrize(
    ("question", "sentence", "denial"),
    [
        (
            "Why did Turkmenistan join the SCO in 2024?",
            "Turkmenistan is not a member of the SCO, but the four other Central Asian states are.",
            "Turkmenistan is not a member of the SCO",
        ),
        ("Why did Belarus join the SCO?", "Belarus joined the SCO on Thursday.", ""),
        # someone else's negation, or one about something else, denies nothing
        ("Why was the team touring Spain?", "They were not meant to be there, but stayed.", ""),
        ("Why did Putin travel to Dushanbe?", "Putin did not mention the Taliban.", ""),
        ("Why did Modi not attend the summit?", "Modi did not attend the summit.", ""),
    ],
)
def test_a_why_question_whose_deed_the_best_sentence_denies(question, sentence, denial):
    assert denied_deed(analyse(question), [Ranked(sentence)], 1) == denial
    assert denied_deed(analyse(question), [Ranked(sentence)], 0) == ""
