"""Secrets and deserialisation: an API key (a canary) is sent to the provider but never appears in
output, errors, logs or the UI; nothing is ever unpickled."""

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from app.settings import PROJECT_ROOT
from tests.openai_stub import OpenAIStub
from tests.reliability.conftest import QUESTION, run_app
from tests.test_hosted import engine_for

CANARY = "sk-canary-7d3f9a1b2c4e6f80"


@pytest.fixture
def stub():
    with OpenAIStub() as server:
        yield server


def sent_keys(stub) -> set[str]:
    return {h.get("Authorization") or h.get("authorization") for h in stub.state.headers}


@pytest.mark.parametrize("variable", ["OPENAI_API_KEY", "NEWSQA_OPENAI_API_KEY"])
@pytest.mark.parametrize(
    "fault, extra",
    [("500", ["--json"]), ("garbage", []), ("cut", ["--stream", "--json"]),
     ("500", ["--no-fallback"]), ("garbage", ["--no-fallback", "--json"])],
)  # fmt: skip
def test_the_key_never_reaches_the_terminal(index_copy, stub, variable, fault, extra):
    env = {variable: CANARY, "NEWSQA_OPENAI_BASE_URL": stub.url, "NEWSQA_LLM__MAX_RETRIES": "0",
           "NEWSQA_DEBUG": "1"}  # fmt: skip
    result = run_app("ask", QUESTION, "--model", f"openai:{fault}", *extra,
                     data_dir=index_copy, env=env)  # fmt: skip
    assert sent_keys(stub) == {f"Bearer {CANARY}"}  # it was used
    assert CANARY not in result.stdout and CANARY not in result.stderr
    assert "Traceback" not in result.stderr


def test_the_key_never_reaches_the_logs(seed_engine, stub, monkeypatch, caplog):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    caplog.set_level(logging.DEBUG)
    for fault in ("500", "garbage", "ok"):
        engine_for(seed_engine, stub).ask(QUESTION, model=f"openai:{fault}")
    assert caplog.records and CANARY not in caplog.text
    assert sent_keys(stub) == {f"Bearer {CANARY}"}


def test_the_key_never_reaches_the_chat(seed_engine, stub, monkeypatch):
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(seed_engine.settings.data_dir))
    monkeypatch.setenv("NEWSQA_OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("NEWSQA_OPENAI_BASE_URL", stub.url)
    monkeypatch.setenv("NEWSQA_MODEL", "openai:500")
    monkeypatch.setenv("NEWSQA_LLM__MAX_RETRIES", "0")
    for fallback in ("true", "false"):
        monkeypatch.setenv("NEWSQA_FALLBACK", fallback)
        app = AppTest.from_file(str(PROJECT_ROOT / "app" / "ui.py"), default_timeout=180).run()
        app.chat_input[0].set_value(QUESTION).run()
        shown = [e.value for kind in ("markdown", "error", "warning", "caption", "info")
                 for e in getattr(app, kind)]  # fmt: skip
        assert shown and not any(CANARY in str(text) for text in shown)
        assert CANARY not in repr(app.session_state)
    assert sent_keys(stub) == {f"Bearer {CANARY}"}


UNSAFE = re.compile(
    r"\bimport pickle\b|\bpickle\.loads?\(|\bjoblib\.load\(|\btorch\.load\(|allow_pickle\s*=\s*True"
    r"|allow_dangerous_deserialization|\bdill\b|\bcloudpickle\b|\bmarshal\.loads?\("
)


def test_no_code_path_unpickles_anything():
    sources = [*PROJECT_ROOT.glob("app/**/*.py"), *PROJECT_ROOT.glob("retrieval/**/*.py")]
    assert len(sources) > 20
    offenders = [str(p) for p in sources if UNSAFE.search(p.read_text())]
    assert offenders == []
    store = (PROJECT_ROOT / "retrieval" / "store.py").read_text()
    assert "faiss.read_index(" in store
