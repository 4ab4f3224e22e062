"""Streamlit pieces shared by the chat and evaluation pages.

The engine is cached per process and per settings; text from articles and models is escaped
before Streamlit renders it as Markdown, so a page's markup or Markdown cannot restyle or inject
anything into the chat (it is shown as quoted data).
"""

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from pydantic import ValidationError

from app.engine import Engine
from app.models.registry import model_choices
from app.settings import Settings
from app.sources import Marked

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:<])")
# Streamlit turns bare URLs ("https://x", "www.x", "a@b.org") into live links whatever the
# escaping; an invisible word joiner inside each prefix keeps them text
_BARE_LINK = re.compile(r"(://|\bwww(?=\\\.)|@)", re.I)
WORD_JOINER = "\u2060"


@st.cache_resource(show_spinner="Loading the embedding model…")
def _engine(settings_key: str) -> Engine:
    return Engine(Settings())


def get_engine() -> Engine:
    """The engine for the current settings (one per distinct configuration, shared by sessions).

    Invalid settings stop the page with a message naming the setting, not a traceback.
    """
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "__".join(str(part) for part in first["loc"]).upper()
        st.error(escape(f"Invalid setting NEWSQA_{where}: {first['msg']}. Fix it in .env."))
        st.stop()
    return _engine(settings.model_dump_json())


def escape(text: str) -> str:
    """`text` as literal Markdown: no HTML, links (bare URLs included), emphasis, colour
    directives or maths."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))
    unlinked = _BARE_LINK.sub(lambda m: m.group(0)[:1] + WORD_JOINER + m.group(0)[1:], escaped)
    return unlinked.replace("\n", "  \n")


def marked_html(text: Marked) -> str:
    """A passage with its supporting span highlighted, safe for `unsafe_allow_html`."""
    middle = f"<mark>{escape(text.marked)}</mark>" if text.marked else ""
    return escape(text.before) + middle + escape(text.after)


@contextmanager
def progress_bar(start: str, step: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar shown while the block runs; yields the `(done, total)` callback that moves
    it. `step` is formatted with `done` and `total`."""
    bar = st.progress(0.0, text=start)

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=step.format(done=done, total=total))

    try:
        yield advance
    finally:
        bar.empty()


def passages_slider(settings: Settings, key: str) -> int:
    """The number of passages per answer (1-10, the setting by default)."""
    return st.slider("Passages per answer", 1, 10, min(settings.top_k, 10), key=key)


def pick_model(settings: Settings, key: str) -> str:
    """The answer-model picker: usable models to choose, the others greyed with the reason."""
    choices = model_choices(settings)
    usable = [c.name for c in choices if c.reason is None]
    model = st.selectbox("Answer model", usable, key=key)
    for choice in choices:
        if choice.reason:
            st.caption(f":gray[{escape(choice.name)} — {escape(choice.reason)}]")
    return model
