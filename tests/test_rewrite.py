"""Follow-ups made standalone by rule: context appended, or the last question asked again."""

import pytest

from app.rewrite import ChatTurn, resolved, standalone_question, substituted


def _history(question: str, answer: str) -> list[ChatTurn]:
    return [ChatTurn(role="user", content=question), ChatTurn(role="assistant", content=answer)]


@pytest.mark.parametrize(
    ("follow_up", "previous", "expected"),
    [
        (
            "And the first one?",
            "Where did the second Russia-Central Asia summit take place?",
            "Where did the first Russia-Central Asia summit take place?",
        ),
        (
            "What about Kyrgyzstan?",
            "What did Kazakhstan say about the summit?",
            "What did Kyrgyzstan say about the summit?",
        ),
        ("And in 2019?", "Who won the election in 2018?", "Who won the election in 2019?"),
    ],
)
def test_a_verbless_follow_up_asks_the_last_question_again_with_one_thing_changed(
    follow_up, previous, expected
):
    assert substituted(follow_up, previous) == expected
    assert standalone_question(follow_up, _history(previous, "In Astana [1].")) == expected


def test_a_follow_up_with_a_verb_or_nothing_to_swap_keeps_the_context_form():
    previous = "Where did the second Russia-Central Asia summit take place?"
    assert substituted("And when did it start?", previous) is None
    assert substituted("What about his wife?", previous) is None
    standalone = standalone_question("And when did it start?", _history(previous, "In Dushanbe."))
    assert standalone.startswith("And when did it start? (about: Where did the second")
    assert "Dushanbe" in standalone


def test_a_swap_that_leaves_a_pronoun_keeps_the_context_form():
    assert substituted("And in 2019?", "Who hosted it in 2018?") == "Who hosted it in 2019?"
    history = _history("Who hosted it in 2018?", "Kassym-Jomart Tokayev [1].")
    standalone = standalone_question("And in 2019?", history)
    assert standalone.startswith("And in 2019? (about: Who hosted it in 2018?")


@pytest.mark.parametrize(
    ("follow_up", "previous", "answer", "expected"),
    [
        (
            "Whose message did he pass on to Putin?",
            "Who represented Iran at the SCO summit in Astana?",
            "Acting President Mohammad Mokhber represented Iran.",
            "Whose message did Mohammad Mokhber pass on to Putin?",
        ),
        (
            "Who attended on its behalf?",
            "Which country joined the SCO at the Astana summit?",
            "Belarus [1]. “Russia’s ally, Belarus, joined the SCO.” (AP, 2024)",
            "Who attended on Belarus's behalf?",
        ),
        (
            "Besides Russia, which countries belong to it?",
            "Which organization did Putin want the SCO to join efforts with in 2021?",
            "The CSTO, the Russia-led security alliance of former Soviet states.",
            "Besides Russia, which countries belong to CSTO?",
        ),
        (
            "Who leads that country, and what is this country's capital?",
            "Which country joined the SCO at the Astana summit?",
            "Belarus [1]. “Russia’s ally, Belarus, joined the SCO.” (AP, 2024)",
            "Who leads Belarus, and what is Belarus's capital?",
        ),
        # "that group" is no country: kept
        ("Who founded that group?", "Which country joined the SCO?", "Belarus [1].", None),
        # "it" after a "where" question is the event, not the place: kept
        ("Who hosted it?", "Where was the 2024 SCO summit held?", "In Astana.", "Who hosted it?"),
        # an abstention names no one
        ("What did he say?", "Who spoke at the summit?", "The articles don't say.", None),
    ],
)
def test_a_pronoun_for_the_last_answer_is_replaced_by_its_name(
    follow_up, previous, answer, expected
):
    assert resolved(follow_up, previous, answer) == (expected or follow_up)
    standalone = standalone_question(follow_up, _history(previous, answer))
    assert standalone.startswith((expected or follow_up) + " (about: " + previous)
