"""Prompt files and the model registry (wiring only: fakes stand in for a chat model here)."""

import pytest
from langchain_core.language_models import FakeListChatModel

from app import prompts
from app.errors import AppError, ModelError, UnknownModelError, UsageError
from app.models import CANNOT_ANSWER, AnswerPrompt, get_model
from app.models.base import normalise_draft, run_stream
from app.models.chat import ChatAnswerModel, _json_draft_pieces, draft_from_json
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
    assert normalise_draft(draft).text == expected


@pytest.mark.parametrize(
    "draft",
    [
        "“I don't know which country joined the SCO,” the spokesman said [1].",
        "The page read CANNOT_ANSWER in bold [1].",
    ],
)
def test_only_a_models_own_reply_is_read_as_abstaining(draft):
    assert normalise_draft(draft, quotes=True).text == draft  # the articles' own sentences
    assert normalise_draft(CANNOT_ANSWER, quotes=True).text == CANNOT_ANSWER
    assert normalise_draft("The page read CANNOT_ANSWER in bold.").text != CANNOT_ANSWER


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


def _pieces_of(text: str, size: int):
    return (text[i : i + size] for i in range(0, len(text), size))


@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_a_streamed_json_reply_shows_only_readable_text_and_ends_as_the_draft(size):
    reply = (
        '{"answerable": true, "sentences": [{"text": "Belarus joined the SCO.", "sources": [12]},'
        ' {"text": "It is an \\"ally\\" of Russia.", "sources": [1, 2]}]}'
    )
    shown: list[str] = []
    final = run_stream(_json_draft_pieces(_pieces_of(reply, size)), shown.append)
    assert (
        final
        == draft_from_json(reply)
        == 'Belarus joined the SCO.[12] It is an "ally" of Russia.[1][2]'
    )
    assert "".join(shown) == final and "{" not in "".join(shown)


def test_a_streamed_json_refusal_returns_the_sentinel():
    reply = '{"answerable": false, "sentences": [{"text": "Maybe Paris", "sources": [1]}]}'
    assert run_stream(_json_draft_pieces(_pieces_of(reply, 4))) == CANNOT_ANSWER
