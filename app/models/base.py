"""The answer model interface: one `execute()` that drafts an answer from numbered passages."""

from abc import ABC, abstractmethod

from pydantic import BaseModel

from retrieval.search import Passage

CANNOT_ANSWER = "CANNOT_ANSWER"


class AnswerPrompt(BaseModel):
    """What a model gets: the (standalone) question and passages numbered from 1."""

    question: str
    passages: list[Passage]


class AnswerModel(ABC):
    """Drafts an answer whose claims carry `[n]` markers, or returns `CANNOT_ANSWER`.

    The draft is not trusted: the citation check verifies every marker afterwards.
    """

    name: str

    @abstractmethod
    def execute(self, prompt: AnswerPrompt) -> str:
        """Return the draft answer text, or `CANNOT_ANSWER`."""
