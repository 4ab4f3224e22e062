"""Bad questions and options, on the CLI and in the chat: one clear message, nothing changed."""

import json
import os

import pytest
from streamlit.testing.v1 import AppTest

from app.settings import PROJECT_ROOT
from tests.reliability.conftest import QUESTION, assert_one_clear_line, fingerprint, run_app

GARBAGE = bytes(b for b in os.urandom(4096) if b not in (0, 10, 13))[:600]  # argv holds no NUL

BAD_ASKS = [
    (["ask", ""], "question is empty"),
    (["ask", "  \t  "], "question is empty"),
    (["ask", "\x07\x1b\x08\x7f"], "question is empty"),
    (["ask", "x" * 100_000], "longer than 2000 characters"),
    (["ask", GARBAGE], "not valid UTF-8"),
    (["ask", "Caf\xe9 question".encode("latin-1")], "not valid UTF-8"),
    (["ask", QUESTION, "-k", "0"], "-k must be between 1 and 100"),
    (["ask", QUESTION, "-k", "-3"], "-k must be between 1 and 100"),
    (["ask", QUESTION, "-k", "1000000000000"], "-k must be between 1 and 100"),
    (["ask", QUESTION, "-k", "many"], "invalid int value"),
    (["ask", QUESTION, "--model", "gpt-9000"], "unknown model"),
    (["search", "", "--json"], "question is empty"),
    (["search", QUESTION, "-k", "0"], "-k must be between 1 and 100"),
]


@pytest.mark.parametrize("args, message", BAD_ASKS, ids=range(len(BAD_ASKS)))
def test_bad_cli_input_is_one_line_exit_2_and_changes_nothing(index_copy, args, message):
    before = fingerprint(index_copy)
    result = run_app(*args, data_dir=index_copy)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stdout == ""
    assert_one_clear_line(result.stderr)
    assert fingerprint(index_copy) == before


def test_control_characters_inside_a_question_are_stripped(index_copy):
    result = run_app("ask", "\x1b[31mWhich country\x07 joined the SCO\u202e at the Astana summit?",
                     "--json", data_dir=index_copy)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Belarus" in result.stdout and "\\u001b" not in result.stdout


@pytest.mark.parametrize(
    "question, message",
    [("   ", "question is empty"), ("\x07\x1b", "question is empty"),
     ("y" * 100_000, "longer than 2000 characters")],
)  # fmt: skip
def test_bad_questions_in_the_chat_are_friendly_errors(index_copy, monkeypatch, question, message):
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(index_copy))
    before = fingerprint(index_copy)
    app = AppTest.from_file(str(PROJECT_ROOT / "app" / "ui.py"), default_timeout=180).run()
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    assert message in app.error[0].value
    assert fingerprint(index_copy) == before


def _line(qid: str, question: str) -> str:
    return json.dumps({"id": qid, "question": question, "facts": [["Belarus"]]})


BAD_FILES = [
    ("eval", [_line("a", QUESTION), _line("a", QUESTION)], "id 'a' is used already on line 1"),
    ("eval", [_line("a", QUESTION), _line("b", "   ")], "2: the question is empty"),
    ("eval", [_line("a", "w" * 3000)], "1: the question is 3000 characters long (at most 2000)"),
    ("history", "[" * 100_000 + "]" * 100_000, "is not a JSON list of turns"),
    ("history", json.dumps([{"role": "user", "content": "v" * 30_000}]), "has a turn of 30,000"),
    ("history", json.dumps([{"role": "user", "content": "u" * 900}] * 1200), "1,000,000 bytes"),
]


@pytest.mark.parametrize("kind, content, message", BAD_FILES, ids=range(len(BAD_FILES)))
def test_bad_question_and_history_files_are_refused_before_anything_runs(
    index_copy, tmp_path, kind, content, message
):
    path = tmp_path / f"{kind}.json"
    path.write_text("\n".join(content) if isinstance(content, list) else content)
    args = ["eval", "--questions", path] if kind == "eval" else ["ask", QUESTION, "--history", path]
    result = run_app(*map(str, args), data_dir=index_copy)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert_one_clear_line(result.stderr)


def test_an_eval_out_that_is_a_file_is_refused_before_the_run(index_copy, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(_line("a", QUESTION))
    taken = tmp_path / "taken"
    taken.write_text("my notes")
    result = run_app("eval", "--questions", str(questions), "--out", str(taken),
                     data_dir=index_copy)  # fmt: skip
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr
    assert taken.read_text() == "my notes"


def test_question_and_history_files_may_start_with_a_byte_order_mark(index_copy, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\ufeff" + _line("a", QUESTION), encoding="utf-8")
    result = run_app("eval", "--questions", str(questions), "--json", data_dir=index_copy)
    assert result.returncode == 0, result.stderr
    history = tmp_path / "h.json"
    turns = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "Belarus."}]
    history.write_text("\ufeff" + json.dumps(turns), encoding="utf-8")
    asked = run_app("ask", "Who hosted it?", "--history", str(history), data_dir=index_copy)
    assert asked.returncode == 0, asked.stderr
