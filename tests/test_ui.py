"""The Streamlit chat page, driven with `streamlit.testing.v1.AppTest` over the real seed index."""

from streamlit.testing.v1 import AppTest

from app.settings import PROJECT_ROOT


def test_asking_in_the_chat_shows_a_cited_answer_and_its_sources(seed_engine, monkeypatch):
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(seed_engine.settings.data_dir))
    app = AppTest.from_file(str(PROJECT_ROOT / "app" / "ui.py"), default_timeout=180)
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("Which country joined the SCO at the Astana summit?").run()
    assert not app.exception
    markdown = " ".join(m.value for m in app.markdown)
    assert "Belarus" in markdown and "[1]" in markdown
    assert app.expander and "Sources" in app.expander[0].label


def test_an_empty_question_shows_a_friendly_error(seed_engine, monkeypatch):
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(seed_engine.settings.data_dir))
    app = AppTest.from_file(str(PROJECT_ROOT / "app" / "ui.py"), default_timeout=180)
    app.run()
    app.chat_input[0].set_value("   ").run()
    assert not app.exception and "question is empty" in app.error[0].value
