"""The answer model interface: one `execute()` that drafts an answer from numbered passages."""

import re
from abc import ABC, abstractmethod
from collections.abc import Generator

from pydantic import BaseModel

from retrieval.search import Passage

CANNOT_ANSWER = "CANNOT_ANSWER"
_DONT_KNOW = re.compile(
    r"^\W*(i don'?t know|i do not know|the (sources|articles|excerpts) (do not|don'?t) "
    r"(say|contain|mention|provide)|(this|that) is not (stated|mentioned|provided))",
    re.I,
)


class AnswerPrompt(BaseModel):
    """What a model gets: the (standalone) question and passages numbered from 1."""

    question: str
    passages: list[Passage]
    order: str | None = None  # "newest" / "oldest": the passages are in that date order


class AnswerModel(ABC):
    """Drafts an answer whose claims carry `[n]` markers, or returns `CANNOT_ANSWER`.

    The draft is not trusted: the citation check verifies every marker afterwards.
    """

    name: str

    @abstractmethod
    def execute(self, prompt: AnswerPrompt) -> str:
        """Return the draft answer text, or `CANNOT_ANSWER`."""

    def rewrite(self, question: str, history: list) -> str | None:
        """A standalone version of a follow-up question, or None to use the rule-based one."""
        return None

    def stream(self, prompt: AnswerPrompt) -> Generator[str, None, str | None]:
        """The draft in pieces as it is written (by default all at once). A model whose pieces
        are only for display (JSON replies) returns the final draft from the generator."""
        yield self.execute(prompt)
        return None


def run_stream(pieces: Generator[str, None, str | None], on_piece=None) -> str:
    """Consume `stream()`: hand each piece to `on_piece`; the final draft is the generator's
    return value when it gives one, else the pieces joined."""
    seen = []
    while True:
        try:
            piece = next(pieces)
        except StopIteration as stop:
            return stop.value if stop.value is not None else "".join(seen)
        seen.append(piece)
        if on_piece is not None:
            on_piece(piece)


def normalise_draft(draft: str) -> str:
    """Map the ways a model says "I don't know" (or an empty reply) to the sentinel."""
    text = draft.strip()
    if not text or CANNOT_ANSWER in text or _DONT_KNOW.search(text):
        return CANNOT_ANSWER
    return text
