"""Wiring of the local reader (a fake chat model stands in for llama.cpp; the real model is
exercised in test_local_model.py): its answer is kept only when a listed sentence holds it."""

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from app.errors import ModelError
from app.models.base import CANNOT_ANSWER
from app.models.reader import ReaderModel, parse_reply
from app.models.registry import get_model

IRAN = "Who represented Iran at the SCO summit in Astana?"
BELARUS = "Which country joined the Shanghai Cooperation Organization at the Astana summit?"


def reader(seed_engine, reply: str) -> ReaderModel:
    extractive = get_model("extractive", seed_engine.settings)
    return ReaderModel("reader", FakeListChatModel(responses=[reply]), extractive)


def test_a_span_found_in_a_listed_sentence_is_the_short_answer(seed_engine):
    model = reader(seed_engine, '{"answer": "belarus", "sentences": [1]}')
    result = seed_engine.ask(BELARUS, model=model)
    assert result.short_answer == "Belarus"  # the quote's own spelling
    assert "Belarus" in result.citations[0].quote


def test_an_answer_no_sentence_holds_falls_back_to_a_strong_extractive_one(seed_engine):
    model = reader(seed_engine, '{"answer": "Atlantis", "sentences": [1]}')
    model.unheld_min_score = -100.0
    result = seed_engine.ask(BELARUS, model=model)
    assert result.short_answer == "Belarus" and "Atlantis" not in result.answer
    model = reader(seed_engine, '{"answer": "Atlantis", "sentences": [1]}')
    model.unheld_min_score = 100.0
    assert seed_engine.ask(BELARUS, model=model).abstained


def test_a_null_reply_keeps_a_strong_extractive_answer(seed_engine):
    model = reader(seed_engine, '{"answer": null, "sentences": []}')
    model.min_score = -100.0
    assert seed_engine.ask(BELARUS, model=model).short_answer == "Belarus"
    model = reader(seed_engine, '{"answer": null, "sentences": []}')
    model.min_score = 100.0
    assert seed_engine.ask(BELARUS, model=model).abstained


def test_an_answer_the_question_already_names_counts_as_unheld(seed_engine):
    """An echo ("Putin" for "Who was Putin's spokesman?") is no answer, but the reader did find
    the topic: like an answer no sentence holds, it keeps an extractive answer above
    `unheld_min_score` and abstains below it."""
    question = "Who was Putin's spokesman?"
    model = reader(seed_engine, '{"answer": "Putin", "sentences": [1]}')
    model.min_score, model.unheld_min_score = -100.0, 100.0
    result = seed_engine.ask(question, model=model)
    assert result.abstained and result.abstain_reason == "the model found no answer"
    model = reader(seed_engine, '{"answer": "Putin", "sentences": [1]}')
    model.min_score, model.unheld_min_score = 100.0, -100.0
    result = seed_engine.ask(question, model=model)
    assert result.short_answer is not None and "Putin" not in result.short_answer


def test_a_far_better_extractive_answer_outvotes_the_readers(seed_engine):
    """ "Russia", from "Russia's western neighbor and ally, Belarus, joined the SCO", scores far
    below "Belarus" in the same sentence in the extractive ranking (a possessor, not the one who
    joined): with a vote margin the extractive answer stands; without one the reader's is kept."""
    model = reader(seed_engine, '{"answer": "Russia", "sentences": [1]}')
    model.vote_margin = 1.5
    assert seed_engine.ask(BELARUS, model=model).short_answer == "Belarus"
    model = reader(seed_engine, '{"answer": "Russia", "sentences": [1]}')
    assert seed_engine.ask(BELARUS, model=model).short_answer == "Russia"


def test_an_answer_the_names_check_refuses_is_read_as_null(seed_engine):
    """The reader's span passes the names check the extractive candidates pass (an answer from
    articles that name, between them, every name the question gives)."""
    seen = []
    model = reader(seed_engine, '{"answer": "Belarus", "sentences": [1]}')
    model.min_score, model.unheld_min_score = 100.0, 100.0  # null and unheld abstain
    execute = model.execute
    model.execute = lambda prompt: seen.append(prompt) or execute(prompt)
    assert seed_engine.ask(BELARUS, model=model).short_answer == "Belarus"
    refused = seen[0].model_copy(update={"allowed": lambda span: span != "Belarus"})
    model.chat = FakeListChatModel(responses=['{"answer": "Belarus", "sentences": [1]}'])
    assert execute(refused) == CANNOT_ANSWER


@pytest.mark.parametrize(
    ("question", "answer", "echoed"),
    [
        ("Who warned Buffalo councilman David Franczyk about the sickout?", "Franczyk", True),
        ("Who warned Buffalo councilman David Franczyk about the sickout?", "John Smith", False),
        ("Which did Google buy first: Adscape or DoubleClick?", "Adscape", False),  # a choice
        ("Which country joined the SCO at the Astana summit?", "Belarus", False),
        ("Who did Narendra Modi send to the SCO summit?", "Prime Minister Narendra Modi", True),
        ("Who is India's prime minister?", "Prime Minister Narendra Modi", False),
        (
            "Who became acting Chief Justice after Musharraf suspended Iftikhar Chaudhry?",
            "Justice Javed Iqbal",
            False,
        ),
    ],
)
def test_an_answer_echoes_the_question_only_when_it_repeats_a_name_it_gives(
    question, answer, echoed
):
    from app.spans import echoes_question
    from app.understanding import analyse

    assert echoes_question(answer, analyse(question)) is echoed


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"answer": " Belarus ", "sentences": [2, 99]}', ("Belarus", [2])),
        ('{"answer": "", "sentences": []}', (None, [])),
        ('{"answer": null, "sentences": null}', (None, [])),
        ('{"answer": "null", "sentences": [1]}', (None, [1])),  # the small model's "no answer"
        ('{"answer": "None", "sentences": []}', (None, [])),
    ],
)
def test_replies_are_parsed_and_invalid_numbers_dropped(reply, expected):
    assert parse_reply(reply, 12) == expected


def test_a_malformed_reply_is_a_model_error():
    with pytest.raises(ModelError):
        parse_reply("not json", 12)


class RecordingChat(FakeListChatModel):
    """A fake chat model that keeps the messages it was sent."""

    seen: list = []

    def invoke(self, messages, *args, **kwargs):
        self.seen.append(messages)
        return super().invoke(messages, *args, **kwargs)


def test_reading_passages_sends_them_whole_and_finds_the_span_in_their_sentences(seed_engine):
    chat = RecordingChat(responses=['{"answer": "belarus"}'], seen=[])
    extractive = get_model("extractive", seed_engine.settings)
    model = ReaderModel("reader", chat, extractive, reads="passages", passages=3)
    result = seed_engine.ask(BELARUS, model=model)
    assert result.short_answer == "Belarus" and "Belarus" in result.citations[0].quote
    sent = chat.seen[0][-1].content
    assert sent.count('"""\n') == 2 * 3  # three passages, each quoted as data
    assert "[1] (from " in sent and '"sentences"' not in sent


def test_a_why_answer_adds_the_extractive_sentences_to_the_one_the_reader_chose(seed_engine):
    question = "Why did the Taliban call China a main partner?"
    model = reader(seed_engine, '{"answer": "31 million in economic aid", "sentences": [1]}')
    result = seed_engine.ask(question, model=model)
    assert "economic aid" in result.citations[0].quote
    assert 1 < len(result.citations) <= model.extractive.explain_sentences
    assert len({c.quote for c in result.citations}) == len(result.citations)


def test_a_list_question_keeps_one_line_per_article_without_asking_the_model(seed_engine):
    chat = RecordingChat(responses=['{"answer": "Dushanbe", "sentences": [1]}'], seen=[])
    model = ReaderModel("reader", chat, get_model("extractive", seed_engine.settings))
    result = seed_engine.ask("Which meetings took place in Dushanbe?", model=model)
    assert chat.seen == [] and len({c.doc_id for c in result.citations}) >= 2


def test_a_follow_up_is_made_standalone_by_the_rules_not_by_the_model(seed_engine):
    from app.rewrite import ChatTurn

    chat = RecordingChat(responses=['{"answer": "Khamenei", "sentences": [1]}'], seen=[])
    model = ReaderModel("reader", chat, get_model("extractive", seed_engine.settings))
    history = [
        ChatTurn(role="user", content="Who represented Iran at the SCO summit in Astana?"),
        ChatTurn(role="assistant", content="Acting President Mohammad Mokhber."),
    ]
    result = seed_engine.ask("Whose message did he pass on to Putin?", model=model,
                             history=history)  # fmt: skip
    assert len(chat.seen) == 1  # the reading only: no rewriting call
    assert result.standalone_question != result.question


@pytest.mark.parametrize(
    ("question", "reply", "short"),
    [
        (IRAN, "acting President Mohammad Mokhbar", "Mohammad Mokhbar"),  # a title before it
        (IRAN, "Mohammad Mokhbar attended the summit", "Mohammad Mokhbar"),  # a clause after it
        ("Who convened in Astana?", "Putin and Xi", "Putin and Xi"),  # two answers, not one
    ],
)
def test_a_span_is_narrowed_to_the_candidate_it_holds_only_past_qualifying_words(
    seed_engine, question, reply, short
):
    """ "acting President Mohammad Mokhbar" is the candidate "Mohammad Mokhbar" with a title
    before it: the short answer is the name. Across "and", "or" or another number the reader's
    span stays whole: "Putin and Xi" is no "Xi" with words around it."""
    model = reader(seed_engine, f'{{"answer": "{reply}", "sentences": [1]}}')
    assert seed_engine.ask(question, model=model).short_answer == short
