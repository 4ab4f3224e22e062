"""Rule-based rewrite of a follow-up question into a standalone one, using the chat history.

A question that leans on the conversation (a pronoun like "it" or "they", or an elliptic "And
...?") is completed with the entities of the last user turn and the answer to it, so that
retrieval and the extractive model see what the follow-up is about. An elliptic follow-up with
no verb of its own ("And the first one?", "What about Kyrgyzstan?") asks the last question
again with one thing changed: the word of the same kind in it (an ordinal, a country, a year, a
person) is replaced, "Where did the second summit take place?" becoming "Where did the first
summit take place?". A pronoun (or "that country", "this leader") that stands for the last
answer is replaced by its name: after "Who represented Iran?" - "Mohammad Mokhber", "Whose
message did he pass on?" asks about Mokhber; after "Which country joined?" - "Belarus", "Who
attended on its behalf?" and "Who leads that country?" ask about Belarus. ("Who hosted it?"
after "Where was the summit held?" keeps "it": the summit, not the city.)
"""

import re
from typing import Literal

from pydantic import BaseModel

from app.injection import drop_markers
from app.mentions import TITLES
from app.nlp import parse
from app.understanding import AnswerType, analyse

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
    previous = as_asked(users[-1])
    asked_again = substituted(question, previous)
    if asked_again is not None and not needs_context(asked_again):
        return asked_again
    answers = [t.content for t in history if t.role == "assistant"]
    context = users[-1] + (" " + _entities(answers[-1]) if answers else "")
    if answers:
        question = resolved(question, previous, answers[-1])
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


# what kind of answer a pronoun can stand for: the pronouns, and the entity labels of the name
_PERSONAL = {"he", "him", "his", "she", "her"}
_BEFORE_A_NAME = TITLES | {"the", "acting", "former"}  # words an answer's name may open with
_THING = {"it", "its"}
_REFERENTS = {
    AnswerType.PERSON: (_PERSONAL, {"PERSON"}),
    AnswerType.COUNTRY: (_THING, {"GPE"}),
    AnswerType.ORGANISATION: (_THING, {"ORG"}),
    AnswerType.ENTITY: (_THING, {"ORG", "GPE", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}),
}


# the nouns "that ..." / "this ..." may stand for the last answer with ("that country")
_KIND_NOUNS = {
    AnswerType.PERSON: {"man", "woman", "person", "leader", "official"},
    AnswerType.COUNTRY: {"country", "nation", "state"},
    AnswerType.ORGANISATION: {"organisation", "organization", "group", "company", "bloc"},
}


def resolved(question: str, previous: str, answer: str) -> str:
    """The follow-up with the pronouns that stand for the last answer ("he" after a "who"
    question, "its" after "which country", "that country") replaced by the answer's name."""
    kind = analyse(previous).answer_type
    pronouns, labels = _REFERENTS.get(kind, (set(), set()))
    name = _answer_name(drop_markers(answer), labels, previous) if labels else None
    if name is None:
        return question
    out, end, doc = [], 0, parse(question)
    for token in doc:
        if token.idx < end:  # the noun of a "that country" replaced
            continue
        if _names_the_kind(doc, token, kind):
            noun = doc[token.i + 1]
            out += [question[end : token.idx], name]
            end = noun.idx + len(noun.text)
        elif token.lower_ in pronouns:
            owner = token.lower_ in ("his", "its") or token.dep_ == "poss"
            out += [question[end : token.idx], f"{name}'s" if owner else name]
            end = token.idx + len(token.text)
    return "".join(out) + question[end:]


def _names_the_kind(doc, token, kind: AnswerType) -> bool:
    """Whether `token` opens "that country" (or "this leader") of the last answer's kind."""
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        token.lower_ in ("that", "this")
        and following is not None
        and following.lemma_.lower() in _KIND_NOUNS.get(kind, set())
    )


def _answer_name(answer: str, labels: set[str], previous: str) -> str | None:
    """The name an answer gives: a person entity for a person, else the capitalised words it
    opens with ("The CSTO, ..." -> "CSTO"), else an entity of the kind; none the last question
    already names."""
    doc = parse(answer)
    named = [e.text for e in doc.ents if e.label_ in labels and e.text not in previous]
    if "PERSON" in labels and named:
        return named[0]
    words = []
    for token in doc:
        if token.pos_ == "PRON" or not token.text[:1].isupper() and token.text not in "-.’'":
            break
        if token.lower_ not in _BEFORE_A_NAME or words:
            words.append(token.text_with_ws)
    lead = "".join(words).strip(" .,")
    if lead and lead not in previous:
        return lead
    return named[0] if named else None
