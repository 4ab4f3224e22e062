"""The chat in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

The app runs as a user starts it (a subprocess on 127.0.0.1 with its settings in the
environment) over a copy of the seed index. The test types a question, waits for the answer,
checks its citation marker and the highlighted span in the sources panel, uploads an article
through the sidebar, and saves screenshots under tests/artifacts/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "Which country joined the SCO at the Astana summit?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s}s")


@pytest.fixture
def served_app(seed_engine, seeds_copy, tmp_path):
    """`streamlit run app/ui.py` on a free port over copies of the seed articles and index."""
    data = tmp_path / "data"
    shutil.copytree(seed_engine.settings.data_dir, data)
    port = free_port()
    env = os.environ | {"NEWSQA_DATA_DIR": str(data), "NEWSQA_SEEDS_DIR": str(seeds_copy)}
    command = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app" / "ui.py"),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, seeds_copy
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.set_default_timeout(120_000)
        yield page
        browser.close()


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def test_a_question_in_the_browser_streams_a_cited_answer_with_highlighted_sources(
    served_app, page
):
    url, _ = served_app
    page.goto(url)
    ask(page, QUESTION)
    page.get_by_text("Sources (", exact=False).wait_for()
    answer = page.get_by_test_id("stChatMessage").nth(1)
    assert "Belarus" in answer.inner_text() and "[1]" in answer.inner_text()
    highlight = answer.locator("mark").first
    highlight.wait_for(state="visible")  # the passages render after the "Sources (" heading
    assert len(highlight.inner_text()) > 20
    answer.get_by_text("Whole article", exact=False).first.click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)


def upload_and_ask(page, url: str, article, question: str):
    """Upload `article` through the sidebar, wait for the re-index, ask `question`; returns
    the answer's chat message once its sources are shown."""
    page.goto(url)
    page.get_by_text("Manage articles").click()
    page.locator("input[type=file]").set_input_files(str(article))
    page.get_by_role("button", name="Add and re-index").click()
    page.get_by_text("6 articles ·", exact=False).wait_for()
    ask(page, question)
    page.get_by_text("Sources (", exact=False).wait_for()
    return page.get_by_test_id("stChatMessage").nth(1)


def test_an_article_uploaded_in_the_browser_answers_questions(served_app, page, tmp_path):
    url, seeds = served_app
    article = tmp_path / "zorvath bridge.txt"
    article.write_text(
        "Kelmar Works finishes the Zorvath Bridge\n\nTASHKENT, Uzbekistan -- The Zorvath Bridge "
        "over the Chirchiq river opened on Monday. It was built by the engineering company "
        "Kelmar Works over four years.\n"
    )
    answer = upload_and_ask(page, url, article, "Which company built the Zorvath Bridge?")
    assert (seeds / "zorvath_bridge.txt").is_file()
    assert "Kelmar" in answer.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)


def test_bare_urls_in_an_article_are_shown_as_text_not_links(served_app, page, tmp_path):
    url, _ = served_app
    article = tmp_path / "quarn ferry.txt"
    article.write_text(
        "Quarn ferry resumes\n\nThe Quarn ferry resumed service on Monday, operated by Velloway "
        "Lines, see https://evil.example/phish and www.evil.example for the timetable.\n"
    )
    answer = upload_and_ask(page, url, article, "Which company operates the Quarn ferry?")
    answer.locator("mark").first.wait_for(state="visible")
    answer.get_by_text("Whole article", exact=False).first.click()
    assert "evil" in answer.inner_text()
    assert answer.locator("a[href*='evil']").count() == 0  # there were 6 live links
