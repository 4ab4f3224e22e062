"""The Streamlit app's entry point (`streamlit run app/ui.py`): the chat and evaluation pages."""

import streamlit as st

st.set_page_config(page_title="newsqa", page_icon="📰", layout="wide")
st.navigation(
    [
        st.Page("ui_chat.py", title="Chat", icon=":material/chat:", default=True),
        st.Page("ui_eval.py", title="Evaluation", icon=":material/monitoring:"),
    ]
).run()
