"""Prompt files and the model registry (wiring only: fakes stand in for a chat model here)."""

import pytest
from langchain_core.language_models import FakeListChatModel

from app import prompts
from app.errors import AppError, ModelError, UnknownModelError, UsageError
from app.models import CANNOT_ANSWER, AnswerPrompt, get_model
from app.models.base import normalise_draft
from app.models.chat import ChatAnswerModel
from app.settings import Settings


def test_every_prompt_file_loads_with_exactly_its_variables():
    for name, expected in prompts.VARIABLES.items():
        assert set(prompts.load_prompt(name).input_variables) == expected


def test_a_prompt_with_wrong_variables_is_refused(tmp_path, monkeypatch):
    (tmp_path / "answer.txt").write_text("Sources: {sources}\nQ: {question} {oops}")
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path)
    prompts.load_prompt.cache_clear()
    try:
        with pytest.raises(AppError, match="oops"):
            prompts.load_prompt("answer")
    finally:
        prompts.load_prompt.cache_clear()


def test_passages_go_into_the_prompt_as_numbered_quoted_data(seed_engine):
    passages = seed_engine.search("Which country joined the SCO?", k=2)
    model = ChatAnswerModel("fake", FakeListChatModel(responses=["Belarus [1]."]))
    system, human = model.messages(AnswerPrompt(question="Which country?", passages=passages))
    assert CANNOT_ANSWER in system.text and "quoted data" in system.text
    assert human.text.index("[1]") < human.text.index("[2]") < human.text.index("Which country?")
    assert passages[0].chunk.text[:200] in human.text


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("CANNOT_ANSWER", CANNOT_ANSWER),
        ("  ", CANNOT_ANSWER),
        ("I don't know.", CANNOT_ANSWER),
        ("The sources do not mention it.", CANNOT_ANSWER),
        ("Belarus [1].", "Belarus [1]."),
    ],
)
def test_ways_of_saying_i_dont_know_become_the_sentinel(draft, expected):
    assert normalise_draft(draft) == expected


def test_model_names_resolve_or_fail_clearly(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert get_model("extractive", settings).name == "extractive"
    with pytest.raises(UnknownModelError, match="available: extractive, local"):
        get_model("gpt-5", settings)
    with pytest.raises(UsageError, match="GGUF model file not found"):
        get_model("llamacpp:/no/such/model.gguf", settings)


def test_a_json_reply_becomes_a_cited_draft_or_the_sentinel():
    from app.models.chat import draft_from_json

    reply = '{"answerable": true, "sentences": [{"text": "Belarus joined.", "sources": [1, 3]}]}'
    assert draft_from_json(reply) == "Belarus joined.[1][3]"
    assert draft_from_json('{"answerable": false, "sentences": []}') == CANNOT_ANSWER
    with pytest.raises(ModelError, match="malformed"):
        draft_from_json('{"sentences": [{"text": "x", "sources": ["a"]}]')
