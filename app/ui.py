"""The Streamlit chat page (thin): state in `st.session_state`, answers from `app.engine`."""

import streamlit as st

from app.answering import AnswerResult
from app.engine import Engine
from app.errors import AppError
from app.settings import Settings
from retrieval.errors import RetrievalError


@st.cache_resource(show_spinner="Loading the index…")
def get_engine() -> Engine:
    engine = Engine(Settings())
    engine.ensure_index(progress=False)
    return engine


def show_answer(result: AnswerResult) -> None:
    st.markdown(result.answer)
    if result.abstained:
        st.caption("Not found in the articles. Closest passages:")
        for passage in result.passages[:3]:
            st.caption(f"{passage.chunk_id}: {passage.text[:300]}…")
        return
    with st.expander(f"Sources ({len(result.citations)})", expanded=True):
        for c in result.citations:
            st.markdown(f"**[{c.n}] {c.title or c.doc_id}** · {c.published or 'date unknown'}")
            st.markdown(f"> {c.quote}")


st.set_page_config(page_title="newsqa", page_icon="📰")
st.title("newsqa")
st.caption("Ask about the articles; every claim cites its passage.")
messages = st.session_state.setdefault("messages", [])
for message in messages:
    with st.chat_message(message["role"]):
        show_answer(message["result"]) if "result" in message else st.markdown(message["content"])

if question := st.chat_input("Ask a question about the articles"):
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            result = get_engine().ask(question)
            show_answer(result)
            messages.append({"role": "assistant", "result": result})
        except (AppError, RetrievalError) as exc:
            st.error(str(exc))
