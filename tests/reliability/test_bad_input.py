"""Bad questions and options, on the CLI and in the chat: one clear message, nothing changed."""

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
