"""Hosted (OpenAI-compatible) models against a real HTTP server on 127.0.0.1 that misbehaves."""

import pytest

from app.engine import Engine
from app.errors import ModelError, UsageError
from app.models import get_model
from tests.openai_stub import OpenAIStub

CANARY = "sk-canary-0123456789abcdef"
QUESTION = "Which country joined the SCO at the Astana summit?"


@pytest.fixture
def stub():
    with OpenAIStub() as server:
        yield server


def engine_for(seed_engine, stub, **llm) -> Engine:
    settings = seed_engine.settings.model_copy(deep=True)
    settings.openai_base_url = stub.url
    settings.llm = settings.llm.model_copy(update={"timeout_s": 1.0, "max_retries": 0, **llm})
    engine = Engine(settings, embedder=seed_engine.embedder)
    return engine


def test_a_hosted_answer_is_checked_and_cited(seed_engine, stub):
    stub.state.reply = "Belarus joined the SCO on Thursday [9]."
    result = engine_for(seed_engine, stub).ask(QUESTION, model="openai:ok")
    assert not result.abstained and not result.fallback
    assert "Belarus" in result.answer and "[9]" not in result.answer
    assert any("Belarus" in c.quote for c in result.citations)
    sent = stub.state.requests[-1]["messages"]
    assert sent[0]["role"] == "system" and "[1]" in sent[1]["content"]
    assert QUESTION in sent[1]["content"]


def test_the_sentinel_reply_abstains(seed_engine, stub):
    stub.state.reply = "CANNOT_ANSWER"
    result = engine_for(seed_engine, stub).ask(QUESTION, model="openai:ok")
    assert result.abstained and result.abstain_reason == "the model found no answer"


def test_an_unsupported_hosted_answer_abstains(seed_engine, stub):
    stub.state.reply = "Penguins took over the summit [1]."
    result = engine_for(seed_engine, stub).ask(QUESTION, model="openai:ok")
    assert result.abstained


@pytest.mark.parametrize("behaviour", ["slow", "429", "500", "garbage", "cut"])
def test_provider_failures_fall_back_to_an_extractive_answer(seed_engine, stub, behaviour):
    result = engine_for(seed_engine, stub).ask(QUESTION, model=f"openai:{behaviour}")
    assert result.fallback and result.model_error and "Belarus" in result.answer


@pytest.mark.parametrize("behaviour", ["slow", "500"])
def test_without_fallback_a_failure_is_a_clear_model_error(seed_engine, stub, behaviour):
    engine = engine_for(seed_engine, stub)
    engine.settings.fallback = False
    with pytest.raises(ModelError, match=f"openai:{behaviour} failed"):
        engine.ask(QUESTION, model=f"openai:{behaviour}")


def test_the_api_key_is_sent_but_never_shown(seed_engine, stub, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    engine = engine_for(seed_engine, stub)
    engine.settings.fallback = True
    result = engine.ask(QUESTION, model="openai:500")
    headers = {k.lower(): v for k, v in stub.state.headers[-1].items()}
    assert headers["authorization"] == f"Bearer {CANARY}"
    assert CANARY not in result.model_dump_json() and CANARY not in repr(engine.settings)


def test_a_missing_key_names_the_variable(seed_engine, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    settings = seed_engine.settings.model_copy(update={"openai_base_url": None})
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        get_model("openai:gpt-4o-mini", settings)
    with pytest.raises(UsageError, match="ANTHROPIC_API_KEY"):
        get_model("anthropic:claude-3-5-haiku-latest", settings)


def test_the_judge_grades_only_answers_the_fact_matcher_marked_wrong(seed_engine, stub):
    from app.evaluation import Question, evaluate, judge_outcomes, summarise

    questions = [
        Question(id="right", question=QUESTION, facts=[["Belarus"]], sources=[]),
        Question(id="wrong", question=QUESTION, facts=[["Minsk"]], sources=[]),
    ]
    engine = engine_for(seed_engine, stub)
    outcomes = evaluate(engine, questions, "extractive", k=5)
    stub.state.reply = "YES"
    judge_outcomes(outcomes, questions, get_model("openai:ok", engine.settings))
    assert [o.judged_correct for o in outcomes] == [None, True]
    assert len(stub.state.requests) == 1 and "Minsk" in str(stub.state.requests[0]["messages"])
    overall = summarise(outcomes)["overall"]
    assert (overall["accuracy"], overall["judge_accuracy"]) == (0.5, 1.0)
