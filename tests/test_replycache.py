"""The reply cache: the real bundled model answers once, and the same prompt is read back."""

from langchain_core.messages import HumanMessage

from app.models import get_model
from app.settings import Settings


def test_a_repeated_prompt_is_read_back_from_the_cache(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    settings.llm.reply_cache = tmp_path / "replies.sqlite"
    settings.llm.max_tokens = 24
    chat = get_model("writer", settings).chat
    question = [HumanMessage("Name the capital of France in one word.")]
    first = chat.invoke(question).text
    again = get_model("writer", settings).chat  # a new process would build it afresh, too
    second = again.invoke(question).text
    assert second == first and "paris" in first.lower()
    assert again._llama is None  # no llama.cpp call: the model was not even loaded
    other = again.invoke([HumanMessage("Name the capital of Italy in one word.")]).text
    assert "rome" in other.lower()
