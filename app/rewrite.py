"""Rule-based rewrite of a follow-up question into a standalone one, using the chat history.

A question that leans on the conversation (a pronoun like "it" or "they", or an elliptic "And
...?") is completed with the entities of the last user turn and the answer to it, so that
retrieval and the extractive model see what the follow-up is about. An elliptic follow-up with
no verb of its own ("And the first one?", "What about Kyrgyzstan?") asks the last question
again with one thing changed: the word of the same kind in it (an ordinal, a country, a year, a
person) is replaced, "Where did the second summit take place?" becoming "Where did the first
summit take place?".
"""

import re
from typing import Literal

from pydantic import BaseModel

from app.nlp import parse

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
    asked_again = substituted(question, as_asked(users[-1]))
    if asked_again is not None and not needs_context(asked_again):
        return asked_again
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


# entity kinds a verbless follow-up may swap for the same kind in the last question
_SWAPPED = {"GPE": "place", "LOC": "place", "NORP": "place", "PERSON": "person", "ORG": "org",
            "DATE": "date", "ORDINAL": "ordinal", "EVENT": "event", "FAC": "place"}  # fmt: skip


def substituted(question: str, previous: str) -> str | None:
    """The last question asked again with the one thing a verbless elliptic follow-up
    changes ("And the first one?" after "... the second summit ...?"); None when the
    follow-up has a verb, or names nothing the last question has a counterpart of."""
    match = _ELLIPTIC.match(question)
    rest = question[match.end() :].strip(" ?.!,") if match else ""
    doc = parse(rest) if rest else None
    if doc is None or any(t.pos_ in ("VERB", "AUX") for t in doc):
        return None
    before = parse(previous)
    for new in doc.ents:
        old = _counterpart(before, new)
        if old is not None:
            return f"{previous[: old.start_char]}{new.text}{previous[old.end_char :]}"
    return None


def _counterpart(doc, new):
    """The entity of `doc` of the same kind as `new` (and not the same words)."""
    kind = _SWAPPED.get(new.label_)
    return next(
        (
            e
            for e in doc.ents
            if kind is not None
            and _SWAPPED.get(e.label_) == kind
            and e.text.lower() != new.text.lower()
        ),
        None,
    )
