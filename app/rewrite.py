"""Rule-based rewrite of a follow-up question into a standalone one, using the chat history.

A question that leans on the conversation (a pronoun like "it" or "they", or an elliptic "And
...?") is completed with the entities of the last user turn and the answer to it, so that
retrieval and the extractive model see what the follow-up is about.
"""

import re
from typing import Literal

from pydantic import BaseModel

_REFERRING = re.compile(
    r"\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|the same)\b",
    re.I,
)
_ELLIPTIC = re.compile(r"^\s*(and|what about|how about|also)\b", re.I)
_ENTITY = re.compile(r"\b(?:[A-Z][\w’'.-]*|\d[\d.,–-]*)(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*")


class ChatTurn(BaseModel):
    """One turn of a conversation."""

    role: Literal["user", "assistant", "system"]
    content: str


def needs_context(question: str) -> bool:
    """Does the question lean on earlier turns?"""
    return bool(_REFERRING.search(question) or _ELLIPTIC.search(question))


def standalone_question(question: str, history: list[ChatTurn]) -> str:
    """The question with the entities of the last exchange appended when it needs them."""
    users = [t.content for t in history if t.role == "user"]
    if not users or not needs_context(question):
        return question
    answers = [t.content for t in history if t.role == "assistant"]
    context = users[-1] + (" " + _entities(answers[-1]) if answers else "")
    return f"{question.strip()}{ABOUT}{context.strip()})"


ABOUT = " (about: "  # what a standalone question's context follows


def as_asked(question: str) -> str:
    """The question as it was asked, without the context a follow-up or a question's second
    part was given."""
    return question.split(ABOUT)[0].strip()


def _entities(text: str) -> str:
    text = re.sub(r"\[\d+\]", "", text)
    found = [m.group() for m in _ENTITY.finditer(text) if m.group() not in {"The", "It", "A"}]
    return ", ".join(dict.fromkeys(found))
