"""The answer model interface: one `execute()` that drafts an answer from numbered passages."""

import re
from abc import ABC, abstractmethod
from collections.abc import Generator

from pydantic import BaseModel

from app.reading import RankedSentence, SpanCheck
from app.understanding import QuestionAnalysis
from retrieval.search import Passage

CANNOT_ANSWER = "CANNOT_ANSWER"
_SENTINEL = re.compile(rf"^\W*{CANNOT_ANSWER}\b")  # the reply itself, not an article it quotes
_DONT_KNOW = re.compile(
    r"^\W*(i don'?t know|i do not know|the (sources|articles|excerpts) (do not|don'?t) "
    r"(say|contain|mention|provide)|(this|that) is not (stated|mentioned|provided))",
    re.I,
)


class AnswerPrompt(BaseModel):
    """What a model gets: the (standalone) question, passages numbered from 1, and what the
    answering core read in them: the question's analysis and every sentence ranked."""

    question: str
    passages: list[Passage]
    order: str | None = None  # "newest" / "oldest": the passages are in that date order
    analysis: QuestionAnalysis | None = None
    ranked: list[RankedSentence] = []  # the passages' sentences, best answer first
    allowed: SpanCheck | None = None  # whether a short answer may answer (the names check)


class Draft(BaseModel):
    """A model's draft: claims with `[n]` markers, and the short answer it proposes (a name,
    place, number or date), which the answering core keeps only when a cited sentence holds it."""

    text: str
    short_answer: str | None = None
    rival: str | None = None  # another article's different answer, quoted in the draft too


class AnswerModel(ABC):
    """Drafts an answer whose claims carry `[n]` markers, or returns `CANNOT_ANSWER`.

    The draft is not trusted: the citation check verifies every marker afterwards.
    """

    name: str
    leads_with_short_answer = False  # answers read "Belarus [1]. “quote” (AP, 2024)"
    quotes_articles = False  # its drafts are the articles' sentences, never its own words

    @abstractmethod
    def execute(self, prompt: AnswerPrompt) -> "str | Draft":
        """Return the draft answer (text, or a `Draft` with a short answer), or
        `CANNOT_ANSWER`."""

    def rewrite(self, question: str, history: list) -> str | None:
        """A standalone version of a follow-up question, or None to use the rule-based one."""
        return None

    def stream(self, prompt: AnswerPrompt) -> Generator[str, None, "str | Draft | None"]:
        """The draft in pieces as it is written (by default all at once). A model whose pieces
        are only for display (JSON replies) returns the final draft from the generator."""
        draft = self.execute(prompt)
        yield draft.text if isinstance(draft, Draft) else draft
        return draft


def run_stream(pieces: Generator[str, None, "str | Draft | None"], on_piece=None) -> "str | Draft":
    """Consume `stream()`: hand each piece to `on_piece`; the final draft is the
    generator's return value when it gives one, else the pieces joined."""
    seen = []
    while True:
        try:
            piece = next(pieces)
        except StopIteration as stop:
            return stop.value if stop.value is not None else "".join(seen)
        seen.append(piece)
        if on_piece is not None:
            on_piece(piece)


def normalise_draft(draft: "str | Draft", quotes: bool = False) -> Draft:
    """A `Draft`, its text `CANNOT_ANSWER` for the ways a model says "I don't know" (or an empty
    reply). A model that `quotes` the articles abstains only by returning `CANNOT_ANSWER`
    itself: a quoted "I don't know which country joined," the spokesman said is an answer."""
    if isinstance(draft, str):
        draft = Draft(text=draft)
    text = draft.text.strip()
    if quotes:
        said_nothing = text == CANNOT_ANSWER or not text
    else:
        said_nothing = not text or bool(_SENTINEL.match(text) or _DONT_KNOW.search(text))
    if said_nothing:
        return Draft(text=CANNOT_ANSWER)
    short = (draft.short_answer or "").strip() or None
    return Draft(text=text, short_answer=short, rival=(draft.rival or "").strip() or None)
