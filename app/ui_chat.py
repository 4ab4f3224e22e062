"""The chat page: questions in, streamed answers with `[n]` citations, a sources panel under each.

History lives in `st.session_state.messages` (one list per browser session). Each assistant entry
keeps its `AnswerResult` and the sources as they were when it was answered, so re-indexing later
does not change old answers. Errors become messages in the chat, never a traceback.
"""

import logging

import streamlit as st

from app.answering import AnswerResult
from app.engine import Engine
from app.errors import AppError
from app.rewrite import ChatTurn
from app.sources import SourceView, source_views
from app.ui_articles import index_panel
from app.ui_common import (
    escape,
    get_engine,
    marked_html,
    passages_slider,
    pick_model,
    progress_bar,
)
from app.ui_timeline import date_filter, timeline_panel
from retrieval.errors import RetrievalError
from retrieval.search import TimeWindow

log = logging.getLogger(__name__)


def show_sources(views: list[SourceView], title: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{title}**")
        for view in views:
            st.markdown(f"**{escape(view.heading())}**")
            st.markdown(marked_html(view.passage), unsafe_allow_html=True)
            with st.expander(f"Whole article: {escape(view.title or view.doc_id)}"):
                st.markdown(marked_html(view.article), unsafe_allow_html=True)


def show_answer(message: dict) -> None:
    if "error" in message:
        st.error(escape(message["error"]))
        return
    result: AnswerResult = message["result"]
    if result.fallback:
        st.warning(escape(f"The model failed, so this answer is extractive: {result.model_error}"))
    if result.abstained:
        why = f" (Why: {result.abstain_reason}.)" if result.abstain_reason else ""
        st.info(escape(f"Not found in the articles. {result.answer}{why}"))
        show_sources(message["sources"][:3], "Closest passages")
        return
    short, rest = split_short_answer(result)
    if short:
        st.markdown(f"**{escape(short)}**")
    st.markdown(escape(rest))
    show_sources(message["sources"], f"Sources ({len(message['sources'])})")


def split_short_answer(result: AnswerResult) -> tuple[str | None, str]:
    """The answer's lead ("Belarus [1]") and the rest (the quote), when it leads with its
    short answer; else (None, the whole answer)."""
    short = result.short_answer
    text = result.answer
    at = text.find(short) if short else -1
    end = text.find(". ", at) if at >= 0 else -1
    if at < 0 or end < 0:
        return None, text
    lead = text[:end].strip()
    return lead, text[end + 2 :].strip()


def chat_history(messages: list[dict]) -> list[ChatTurn]:
    """The conversation so far as turns for the follow-up rewrite (failed turns left out)."""
    turns = []
    for message in messages:
        if "result" in message:
            result = message["result"]  # its claims: the dates and conflict notes left out
            turns.append(ChatTurn(role="assistant", content=result.claims or result.answer))
        elif message["role"] == "user":
            turns.append(ChatTurn(role="user", content=message["content"]))
    return turns


def answer(engine: Engine, question: str, model: str, k: int, window: TimeWindow) -> dict:
    """Ask the engine, streaming the draft into the page; the assistant message to keep."""
    draft = st.empty()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        pieces.append(piece)
        draft.markdown(escape("".join(pieces)) + " ▌")

    earlier = chat_history(st.session_state.messages[:-1])
    try:
        result = engine.ask(
            question, model=model, k=k, history=earlier, on_token=on_token, window=window
        )
    except (AppError, RetrievalError) as exc:
        return {"role": "assistant", "error": str(exc)}
    except Exception as exc:  # a bug must not become a traceback in the chat
        log.exception("answering failed")
        return {"role": "assistant", "error": f"Something went wrong while answering ({exc})."}
    finally:
        draft.empty()
    sources = source_views(result, engine.loaded_index())
    return {"role": "assistant", "result": result, "sources": sources}


def sidebar(engine: Engine) -> tuple[str, int, TimeWindow]:
    with st.sidebar:
        model = pick_model(engine.settings, key="chat_model")
        k = passages_slider(engine.settings, key="chat_k")
        window = date_filter()
        if st.button("New chat", key="new_chat"):
            st.session_state.messages = []
        index_panel(engine)
    return model, k, window


def ensure_index(engine: Engine) -> None:
    """Build the index on first use, with a progress bar."""
    if engine.manager.exists():
        return
    start = "Building the index of the articles…"
    with progress_bar(start, start + " {done}/{total} chunks") as advance:
        engine.update_index(progress=advance)


def main() -> None:
    st.title("newsqa")
    st.caption("Ask about the articles; every claim cites the passage it comes from.")
    engine = get_engine()
    try:
        ensure_index(engine)
    except (RetrievalError, OSError) as exc:
        st.error(escape(f"The index cannot be built: {exc}"))
        st.stop()
    model, k, window = sidebar(engine)
    timeline_panel(engine, window)
    messages = st.session_state.setdefault("messages", [])
    for message in messages:
        with st.chat_message(message["role"]):
            if message["role"] == "assistant":
                show_answer(message)
            else:
                st.markdown(escape(message["content"]))
    if question := st.chat_input("Ask a question about the articles"):
        messages.append({"role": "user", "content": question})
        with st.chat_message("user"):
            st.markdown(escape(question))
        with st.chat_message("assistant"):
            reply = answer(engine, question, model, k, window)
            show_answer(reply)
        messages.append(reply)


main()
