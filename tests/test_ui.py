"""The Streamlit pages, driven with `streamlit.testing.v1.AppTest` over a real index on disk.

Each test points the app at its own copy of the seed index (settings come from `NEWSQA_*`
variables, as for a user), so uploads and removals never touch the repository's files.
"""

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from app.settings import PROJECT_ROOT
from tests.openai_stub import OpenAIStub

APP = str(PROJECT_ROOT / "app" / "ui.py")
EVAL_PAGE = str(PROJECT_ROOT / "app" / "ui_eval.py")
NEW_ARTICLE = (
    b"Kelmar Works finishes the Zorvath Bridge\n\n"
    b"TASHKENT, Uzbekistan -- The Zorvath Bridge over the Chirchiq river opened on Monday. "
    b"It was built by the engineering company Kelmar Works over four years.\n\n"
    b"The bridge carries six lanes of traffic and a tram line between two districts of the city."
)


@pytest.fixture
def workspace(seed_engine, seeds_copy, tmp_path, monkeypatch):
    """A writable articles folder and a copy of the seed index, as the app's settings."""
    data = tmp_path / "data"
    shutil.copytree(seed_engine.settings.data_dir, data)
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(data))
    monkeypatch.setenv("NEWSQA_SEEDS_DIR", str(seeds_copy))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("NEWSQA_OPENAI_API_KEY", raising=False)
    return seeds_copy, data


def started(page: str = APP) -> AppTest:
    app = AppTest.from_file(page, default_timeout=180)
    app.run()
    assert not app.exception
    return app


def ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    return app


def plain(markdown: str) -> str:
    """Markdown as the reader sees it: the app escapes every special character of article text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(app: AppTest, kind: str = "markdown") -> str:
    return " ".join(plain(m.value) for m in getattr(app, kind))


def test_a_question_gets_a_cited_answer_with_highlighted_sources(workspace):
    app = ask(started(), "Which country joined the SCO at the Astana summit?")
    shown = texts(app)
    assert "Belarus" in shown and "[1]" in shown
    assert app.chat_message[-1].markdown[0].value.startswith("**Belarus")  # the short answer
    assert "**Sources (" in shown and "<mark>" in shown
    assert any("Leaders of Russia, China attend summit" in m.value for m in app.markdown)
    assert any(e.label.startswith("Whole article") for e in app.expander)


def test_a_follow_up_uses_the_chat_history(workspace):
    app = ask(started(), "When was the Shanghai Cooperation Organization established?")
    ask(app, "Which countries founded it?")
    follow_up = app.session_state.messages[-1]["result"]
    assert "Shanghai Cooperation Organization" in follow_up.standalone_question
    assert "Kyrgyzstan" in plain(app.chat_message[-1].markdown[0].value)
    assert len(app.session_state.messages) == 4


def test_a_question_the_articles_cannot_answer_shows_the_closest_passages(workspace):
    app = ask(started(), "Who won the football World Cup final in 2030?")
    assert "Not found in the articles" in texts(app, "info")
    assert "Why" in texts(app, "info")  # which check found it unanswerable
    assert "**Closest passages**" in texts(app)


def test_new_chat_clears_the_history(workspace):
    app = ask(started(), "Which country joined the SCO at the Astana summit?")
    app.button(key="new_chat").click().run()
    assert app.session_state.messages == [] and not app.chat_message


def test_an_uploaded_article_is_indexed_and_answers_questions(workspace):
    seeds, _ = workspace
    app = started()
    app.file_uploader[0].set_value(("zorvath bridge.txt", NEW_ARTICLE, "text/plain")).run()
    app.button(key="add").click().run()
    assert not app.exception
    assert (seeds / "zorvath_bridge.txt").read_bytes() == NEW_ARTICLE
    assert "6 articles" in texts(app, "caption")
    ask(app, "Which company built the Zorvath Bridge?")
    assert "Kelmar" in plain(app.chat_message[-1].markdown[0].value)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("../../escape.txt", b"\x00\x01binary", "binary content"),
        ("copy.txt", None, "same content as"),
        ("empty.md", b"   \n", "no article text"),
    ],
)
def test_a_bad_upload_gets_a_message_and_changes_nothing(workspace, name, content, message):
    seeds, data = workspace
    content = content or next(seeds.iterdir()).read_bytes()
    before = sorted(p.name for p in seeds.iterdir())
    app = started()
    app.file_uploader[0].set_value((name, content, "text/plain")).run()
    app.button(key="add").click().run()
    assert message in texts(app, "error")
    assert sorted(p.name for p in seeds.iterdir()) == before
    assert not (data.parent / "escape.txt").exists()


def test_removing_an_article_moves_it_aside_and_reindexes(workspace):
    seeds, data = workspace
    app = started()
    app.selectbox(key="remove_choice").select("000_eb7fae85ced59253").run()
    app.button(key="remove").click().run()
    assert not app.exception
    assert not (seeds / "000_eb7fae85ced59253.txt").exists()
    assert len(list((data / "removed-articles").glob("*000_eb7fae85ced59253.txt"))) == 1
    assert "4 articles" in texts(app, "caption")


def test_hosted_models_without_a_key_are_greyed_out_with_the_reason(workspace):
    app = started()
    assert "openai:gpt-4o-mini" not in app.selectbox(key="chat_model").options
    assert "openai:gpt-4o-mini — needs OPENAI_API_KEY" in texts(app, "caption")


@pytest.mark.parametrize("fallback, shown", [("false", "error"), ("true", "warning")])
def test_a_failing_model_is_a_friendly_message(workspace, monkeypatch, fallback, shown):
    with OpenAIStub() as stub:
        monkeypatch.setenv("NEWSQA_OPENAI_BASE_URL", stub.url)
        monkeypatch.setenv("NEWSQA_MODEL", "openai:500")
        monkeypatch.setenv("NEWSQA_FALLBACK", fallback)
        monkeypatch.setenv("NEWSQA_LLM__MAX_RETRIES", "0")
        app = ask(started(), "Which country joined the SCO at the Astana summit?")
    assert "openai:500 failed" in texts(app, shown)


def test_an_empty_question_is_a_friendly_error(workspace):
    app = ask(started(), "   ")
    assert "question is empty" in texts(app, "error")


def test_the_evaluation_page_runs_a_question_set_and_filters_failures(workspace):
    seeds, _ = workspace
    lines = [
        {"id": "a", "question": "Which country joined the SCO at the Astana summit?",
         "facts": [["Belarus"]], "sources": ["001_f8d36b30d32ee174"]},
        {"id": "b", "question": "Which country joined the SCO at the Astana summit?",
         "facts": [["Atlantis"]], "sources": ["001_f8d36b30d32ee174"]},
        {"id": "c", "question": "Who won the football World Cup final in 2030?",
         "answerable": False, "kind": "unanswerable"},
    ]  # fmt: skip
    (seeds.parent / "small.jsonl").write_text("\n".join(json.dumps(q) for q in lines))
    app = started(EVAL_PAGE)
    app.button(key="eval_run").click().run()
    assert not app.exception and not app.error
    labels = {m.label: m.value for m in app.metric}
    assert labels["Accuracy"] == "0.50" and labels["Abstention recall"] == "1.00"
    assert list(app.dataframe[-1].value["id"]) == ["a", "b", "c"]
    app.toggle(key="eval_failures").set_value(True).run()
    assert list(app.dataframe[-1].value["id"]) == ["b"]


def test_a_corrupt_index_is_reported_and_can_be_rebuilt_from_the_sidebar(workspace):
    _, data = workspace
    (data / "CURRENT").write_text("no-such-generation\n")
    app = ask(started(), "Which country joined the SCO at the Astana summit?")
    assert "rebuild" in texts(app, "error")
    app.button(key="rebuild").click().run()
    assert not app.exception and "5 articles ·" in texts(app, "caption")


def test_an_invalid_setting_is_named_instead_of_a_traceback(workspace, monkeypatch):
    monkeypatch.setenv("NEWSQA_TOP_K", "many")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception and "NEWSQA_TOP_K" in texts(app, "error")


def test_the_timeline_of_a_topic_is_drawn_as_a_chart_with_cited_events(workspace):
    app = started()
    app.text_input(key="timeline_topic").input("Shanghai Cooperation Organization").run()
    assert not app.exception
    (chart,) = app.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["x"] == {"field": "day", "title": "Date", "type": "temporal"}
    assert chart.proto.data.data  # the events, as Arrow bytes
    shown = texts(app)
    assert "17 September 2021" in shown and "[1: " in shown


def test_the_date_range_filter_keeps_answers_inside_it(workspace):
    from datetime import date

    app = started()
    app.sidebar.checkbox(key="date_filter_on").check().run()
    app.sidebar.date_input(key="date_range").set_value((date(2021, 1, 1), date(2021, 12, 31))).run()
    ask(app, "What did Putin and Xi say about security?")
    result = app.session_state.messages[-1]["result"]
    assert result.window.strict and result.window.until == date(2021, 12, 31)
    assert {c.doc_id for c in result.citations} == {"002_76736a5005c162cc"}
