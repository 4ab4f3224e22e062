"""The CLI contract, run as a user would: `python -m app ...` in a subprocess."""

import json
import os
import re
import subprocess
import sys

import pytest

from app.render import index_report
from app.settings import PROJECT_ROOT
from retrieval.index import UpdateReport
from tests.conftest import SEEDS

PASSAGE_KEYS = {"doc_id", "chunk_id", "score", "text"}
CITATION_KEYS = {"n", "doc_id", "chunk_id", "title", "published", "quote"}
ANSWER_KEYS = {"question", "answer", "abstained", "citations", "passages", "model"}


def run_app(*args: str, data_dir, **settings: str) -> subprocess.CompletedProcess:
    """`python -m app ARGS` in a child process; `settings` are extra environment variables."""
    env = {
        **os.environ,
        "NEWSQA_DATA_DIR": str(data_dir),
        "NEWSQA_SEEDS_DIR": str(SEEDS),
        "HF_HUB_OFFLINE": "1",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-data")


@pytest.fixture(scope="module")
def first_ask(data_dir):
    """`ask` with no index yet: it builds the index from the seeds first."""
    return run_app(
        "ask", "Which country joined the SCO at the Astana summit?", "--json", data_dir=data_dir
    )


def test_ask_builds_the_index_and_answers_belarus_with_a_citation(first_ask, data_dir):
    assert first_ask.returncode == 0, first_ask.stderr
    assert "no index yet" in first_ask.stderr and (data_dir / "CURRENT").is_file()
    result = json.loads(first_ask.stdout)
    assert set(result) >= ANSWER_KEYS and result["abstained"] is False
    assert "Belarus" in result["answer"]
    for citation in result["citations"]:
        assert set(citation) >= CITATION_KEYS
    used = {int(n) for n in re.findall(r"\[(\d+)\]", result["answer"])}
    assert used and used <= {c["n"] for c in result["citations"]}
    astana = {"001_f8d36b30d32ee174", "004_c8b71dc69254530b"}
    assert any(c["doc_id"] in astana and "Belarus" in c["quote"] for c in result["citations"])
    assert all(set(p) >= PASSAGE_KEYS for p in result["passages"])


def test_an_abstaining_answer_says_why_and_shows_the_closest_passages(first_ask, data_dir):
    done = run_app("ask", "What did Joe Biden say about the SCO summit?", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "The articles don't say."
    assert lines[1].startswith("Why: ") and "“Biden”" in lines[1]
    assert "Closest passages:" in lines


def test_search_json_lists_ranked_passages(first_ask, data_dir):
    done = run_app(
        "search", "anti-terrorist center in Bishkek", "--json", "-k", "3", data_dir=data_dir
    )
    assert done.returncode == 0, done.stderr
    passages = json.loads(done.stdout)
    assert len(passages) == 3 and all(set(p) == PASSAGE_KEYS for p in passages)
    assert passages[0]["doc_id"] == "000_eb7fae85ced59253"
    assert [p["score"] for p in passages] == sorted((p["score"] for p in passages), reverse=True)


def test_index_reports_an_up_to_date_index(first_ask, data_dir):
    done = run_app("index", data_dir=data_dir)
    assert done.returncode == 0 and "up to date" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   ", "--json"), "question is empty"),
        (("ask", "Who won?", "--model", "nope"), "unknown model 'nope'"),
        (("index", "--seeds", "/no/such/folder"), "seeds folder not found"),
        (("search", "Belarus", "-k", "0"), "-k must be between"),
        (("search", "Belarus", "-k", "many"), "invalid int value"),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(first_ask, data_dir, args, message):
    done = run_app(*args, data_dir=data_dir)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_text_output_is_readable(first_ask, data_dir):
    done = run_app("ask", "Which country joined the SCO at the Astana summit?", data_dir=data_dir)
    assert done.returncode == 0 and "Sources:" in done.stdout and "Belarus" in done.stdout


def test_eval_with_out_and_compare_writes_a_report(first_ask, data_dir, tmp_path):
    questions = tmp_path / "mini.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Which country joined the SCO at the Astana summit?", '
        '"facts": [["Belarus"]], "sources": ["001_f8d36b30d32ee174"], "kind": "factoid"}\n'
        '{"id": "b", "question": "How do I bake sourdough bread?", "answerable": false, '
        '"kind": "unanswerable"}\n'
    )
    out = tmp_path / "report"
    done = run_app(
        "eval",
        "--questions",
        str(questions),
        "--compare",
        "extractive",
        "extractive",
        "--out",
        str(out),
        data_dir=data_dir,
    )
    assert done.returncode == 0, done.stderr
    assert "accuracy factoid" in done.stdout and done.stdout.count("extractive") == 2
    for name in ("results.json", "report.md", "accuracy_by_kind.png", "latency.png"):
        assert (out / name).stat().st_size > 0, name
    runs = json.loads((out / "results.json").read_text())["runs"]
    assert [r["metrics"]["overall"]["accuracy"] for r in runs] == [1.0, 1.0]
    assert runs[0]["metrics"]["overall"]["abstain_recall"] == 1.0


def test_eval_json_follows_the_documented_shape(first_ask, data_dir, tmp_path):
    questions = tmp_path / "one.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Where is the anti-terrorist center?", '
        '"facts": [["Bishkek"]], "sources": ["000_eb7fae85ced59253"]}\n'
    )
    done = run_app("eval", "--questions", str(questions), "--json", data_dir=data_dir)
    document = json.loads(done.stdout)
    assert {"n", "model", "metrics", "questions"} <= set(document) and document["n"] == 1
    keys = {"id", "answer", "abstained", "citations", "correct", "retrieved_doc_ids"}
    assert keys <= set(document["questions"][0]) and document["questions"][0]["correct"]


def test_a_missing_question_set_is_a_usage_error(first_ask, data_dir):
    done = run_app("eval", "--questions", "/no/such.jsonl", data_dir=data_dir)
    assert done.returncode == 2 and "question set not found" in done.stderr


def test_ask_with_history_rewrites_the_follow_up(first_ask, data_dir, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "content": "Where was the 2024 SCO summit held?"},
                {"role": "assistant", "content": "It was held in Astana, Kazakhstan."},
            ]
        )
    )
    done = run_app(
        "ask", "Who hosted it?", "--history", str(history), "--json", "--stream", data_dir=data_dir
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert "Astana" in result["standalone_question"] and "Tokayev" in result["answer"]
    assert "Tokayev" in done.stderr  # the streamed draft goes to stderr when --json is on


def test_a_bad_history_file_is_a_usage_error(first_ask, data_dir, tmp_path):
    history = tmp_path / "history.json"
    history.write_text('{"role": "user"}')
    done = run_app("ask", "Who hosted it?", "--history", str(history), data_dir=data_dir)
    assert done.returncode == 2 and "not a JSON list of turns" in done.stderr


def test_a_question_that_raises_is_recorded_and_the_evaluation_goes_on():
    from app.evaluation import Question, run_questions

    questions = [Question(id="a", question="first?"), Question(id="b", question="second?")]

    def answer(question):  # wiring only: answering raises, as a bad date or a dead server did
        if question.id == "a":
            raise ValueError("day is out of range for month")
        raise RuntimeError("model server went away")

    outcomes = run_questions(questions, answer)
    assert [o.id for o in outcomes] == ["a", "b"]
    assert outcomes[0].error == "ValueError: day is out of range for month"
    assert not outcomes[0].correct and not outcomes[0].passed


def test_a_bulk_index_report_names_ten_articles_and_counts_the_rest(tmp_path):
    ids = [f"wikinews-p{n}" for n in range(675)]
    report = UpdateReport(added=ids, removed=ids[:3], wrote=True, total_documents=675)
    text = index_report(report, tmp_path)
    assert "added 675: wikinews-p0, wikinews-p1," in text and "… and 665 more" in text
    assert (
        "wikinews-p10," not in text and "removed 3: wikinews-p0, wikinews-p1, wikinews-p2\n" in text
    )
