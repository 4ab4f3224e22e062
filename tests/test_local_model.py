"""The bundled local model for real: in-process llama.cpp, and llama.cpp's OpenAI server."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from app.engine import Engine
from app.models.llamacpp import LOCAL_MODEL_SIZE, local_model_path
from app.rewrite import ChatTurn

IRAN = "Who represented Iran at the SCO summit in Astana?"


@pytest.fixture(scope="module")
def gguf(seed_engine):
    return local_model_path(seed_engine.settings.local_models_dir())


def test_the_local_model_is_assembled_once_and_checked(gguf, seed_engine):
    assert gguf.stat().st_size == LOCAL_MODEL_SIZE and gguf.read_bytes()[:4] == b"GGUF"
    before = gguf.stat().st_mtime_ns
    assert local_model_path(seed_engine.settings.local_models_dir()).stat().st_mtime_ns == before


def engine_with_output(seed_engine, output: str) -> Engine:
    settings = seed_engine.settings.model_copy(deep=True)
    settings.llm = settings.llm.model_copy(update={"output": output})
    return Engine(settings, embedder=seed_engine.embedder)


@pytest.mark.parametrize("output", ["json", "text"])
def test_the_local_writer_answers_with_a_checked_citation(seed_engine, gguf, output):
    tokens: list[str] = []
    engine = engine_with_output(seed_engine, output)
    result = engine.ask(IRAN, model="writer", k=3, on_token=tokens.append)
    assert not result.fallback, result.model_error
    assert not result.abstained and ("Mokhbar" in result.answer or "Mokhber" in result.answer)
    assert any("Mokhb" in c.quote and c.verified for c in result.citations)
    assert len(tokens) > 1 and "{" not in "".join(tokens)  # streamed, readable text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(gguf):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--n_threads",
        "2",
        "--model_alias",
        "qwen-local",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2)
                break
            except OSError:
                assert server.poll() is None, "llama_cpp.server exited"
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_openai_compatible_llama_cpp_server_answers(seed_engine, llama_server):
    settings = seed_engine.settings.model_copy(deep=True)
    settings.openai_base_url = llama_server
    settings.fallback = False
    settings.llm = settings.llm.model_copy(update={"timeout_s": 120, "max_retries": 0})
    engine = Engine(settings, embedder=seed_engine.embedder)
    tokens: list[str] = []
    result = engine.ask(IRAN, model="openai:qwen-local", k=3, on_token=tokens.append)
    # This checks the transport (OpenAI protocol, streaming, citation check); the served model
    # words its answer differently from the in-process one, so only the grounding is asserted.
    assert not result.abstained and not result.fallback and "Iran" in result.answer
    assert "001_f8d36b30d32ee174" in {c.doc_id for c in result.citations}
    assert len(tokens) > 1 and "".join(tokens).strip()


def test_the_local_model_abstains_when_the_articles_cannot_answer(seed_engine, gguf):
    result = seed_engine.ask("How do I bake sourdough bread?", model="local", k=3)
    assert result.abstained and result.citations == [] and result.passages


def test_json_mode_answers_and_rewrites_follow_ups_in_plain_text(seed_engine, gguf):
    engine = engine_with_output(seed_engine, "json")
    history = [
        ChatTurn(role="user", content=IRAN),
        ChatTurn(role="assistant", content="Acting President Mohammad Mokhber represented Iran."),
    ]
    result = engine.ask("Whose message did he pass on to Putin?", model="writer", k=3,
                        history=history)  # fmt: skip
    assert not result.fallback, result.model_error
    assert "{" not in result.standalone_question and "Putin" in result.standalone_question
    assert not result.abstained and "Khamenei" in result.answer


@pytest.mark.xfail(
    strict=True,
    reason="regression of 4115ea0 (nations named elsewhere), open in issue 14: with Xi and Putin "
    "no longer candidates the 1.5B reader names Khamenei from Mokhbar's sentence",
)
def test_the_reader_names_the_short_answer_from_a_listed_sentence(seed_engine, gguf):
    result = seed_engine.ask(IRAN, model="local")  # the reader is `local`
    assert not result.fallback, result.model_error
    assert not result.abstained and "Mokhb" in (result.short_answer or "")
    assert result.answer.startswith(result.short_answer)
    assert "Mokhb" in result.citations[0].quote and result.citations[0].verified


def test_the_reader_abstains_when_the_articles_cannot_answer(seed_engine, gguf):
    result = seed_engine.ask("What is the population of Kazakhstan?", model="local")
    assert result.abstained and result.citations == []


def engine_with_verifier(seed_engine, min_verified: float = 0.32) -> Engine:
    settings = seed_engine.settings.model_copy(deep=True)
    update = {"verifier": "local", "min_verified": min_verified}
    settings.answer = settings.answer.model_copy(update=update)
    return Engine(settings, embedder=seed_engine.embedder)


def test_the_verifier_keeps_an_answer_its_quote_states(seed_engine, gguf):
    engine = engine_with_verifier(seed_engine)
    result = engine.ask(
        "Which country joined the Shanghai Cooperation Organization at the Astana summit?"
    )
    assert not result.abstained and result.short_answer == "Belarus"
    assert result.verified is not None and result.verified >= 0.32


def test_the_verifier_abstains_on_a_number_about_something_else(seed_engine, gguf):
    question = "How many people died in the Azerbaijan Airlines plane crash?"
    # the answerability model's typed_gap now abstains here by itself: without it the ranking
    # quotes a number about something else, and the verifier must catch that
    engine = engine_with_verifier(seed_engine)
    weights = engine.settings.answer.answerable.model_copy(update={"typed_gap": 0.0})
    engine.settings.answer = engine.settings.answer.model_copy(update={"answerable": weights})
    unverified = Engine(engine.settings.model_copy(deep=True), embedder=seed_engine.embedder)
    unverified.settings.answer = unverified.settings.answer.model_copy(update={"verifier": ""})
    unverified = unverified.ask(question)
    result = Engine(engine.settings, embedder=seed_engine.embedder).ask(question)
    assert result.abstained and result.verified is not None and result.verified < 0.32
    assert "verifier" in result.abstain_reason and result.passages  # closest passages shown
    assert unverified.abstained or unverified.short_answer != result.short_answer


def test_the_verifier_shares_the_local_model_s_llama_cpp(seed_engine, gguf):
    answerer = engine_with_verifier(seed_engine).answerer("local")
    assert answerer.verifier.chat is answerer.model.chat
