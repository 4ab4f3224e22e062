"""Wiring of the local reader (a fake chat model stands in for llama.cpp; the real model is
exercised in test_local_model.py): its answer is kept only when a listed sentence holds it."""

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from app.errors import ModelError
from app.models.reader import ReaderModel, parse_reply
from app.models.registry import get_model

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
