"""The Streamlit chat page (thin): state in `st.session_state`, answers from `app.engine`."""

import streamlit as st

from app.answering import AnswerResult
from app.engine import Engine
from app.errors import AppError
from app.models.registry import selectable_models
from app.rewrite import ChatTurn
from app.settings import Settings
from retrieval.errors import RetrievalError


@st.cache_resource(show_spinner="Loading the index…")
def get_engine() -> Engine:
    engine = Engine(Settings())
    engine.ensure_index(progress=False)
    return engine


def show_answer(result: AnswerResult) -> None:
    st.markdown(result.answer)
    if result.fallback:
        st.warning(f"The model failed, so this answer is extractive. ({result.model_error})")
    if result.abstained:
        st.caption("Not found in the articles. Closest passages:")
        for passage in result.passages[:3]:
            st.caption(f"{passage.chunk_id}: {passage.text[:300]}…")
        return
    with st.expander(f"Sources ({len(result.citations)})", expanded=True):
        for c in result.citations:
            st.markdown(f"**[{c.n}] {c.title or c.doc_id}** · {c.published or 'date unknown'}")
            st.markdown(f"> {c.quote}")


def history(messages: list[dict]) -> list[ChatTurn]:
    return [
        ChatTurn(role=m["role"], content=m["result"].answer if "result" in m else m["content"])
        for m in messages
    ]


def answer(question: str, model: str) -> None:
    engine = get_engine()
    draft = st.empty()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        pieces.append(piece)
        draft.markdown("".join(pieces) + " ▌")

    earlier = history(st.session_state.messages[:-1])
    result = engine.ask(question, model=model, history=earlier, on_token=on_token)
    draft.empty()
    show_answer(result)
    st.session_state.messages.append({"role": "assistant", "result": result})


st.set_page_config(page_title="newsqa", page_icon="📰")
st.title("newsqa")
st.caption("Ask about the articles; every claim cites its passage.")
choices, reasons = selectable_models(get_engine().settings)
model = st.sidebar.selectbox("Answer model", choices, help="; ".join(reasons) or None)
if st.sidebar.button("New chat"):
    st.session_state.messages = []
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
            answer(question, model)
        except (AppError, RetrievalError) as exc:
            st.error(str(exc))
