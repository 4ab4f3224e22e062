"""The answering core shared by the CLI and the UI: question in, checked and cited answer out."""

import re
from collections.abc import Callable

from pydantic import BaseModel

from app.citations import Citation, check_citations
from app.errors import ModelError, UsageError
from app.models.base import (
    CANNOT_ANSWER,
    AnswerModel,
    AnswerPrompt,
    normalise_draft,
    run_stream,
)
from app.rewrite import ChatTurn, needs_context, standalone_question
from app.settings import AnswerConfig
from retrieval.search import HybridSearcher, Passage
from retrieval.terms import content_terms, coverage

NOT_FOUND = "The articles don't say."
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_UNDECODABLE = re.compile(r"[\ud800-\udfff]")  # bytes that were not UTF-8 (surrogate escapes)


class PassageOut(BaseModel):
    """A retrieved passage as the CLI contract prints it."""

    doc_id: str
    chunk_id: str
    score: float
    text: str


class AnswerResult(BaseModel):
    """The full answer: text with `[n]` markers, citations, passages, and whether it abstained."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[PassageOut]
    model: str
    standalone_question: str
    abstain_reason: str | None = None
    fallback: bool = False
    model_error: str | None = None


def clean_question(question: str, config: AnswerConfig) -> str:
    """Strip control characters and spaces; refuse empty or oversized questions."""
    if _UNDECODABLE.search(question):
        raise UsageError("the question is not valid UTF-8 text")
    cleaned = " ".join(_CONTROL.sub(" ", question).split())
    if not cleaned:
        raise UsageError("the question is empty")
    if len(cleaned) > config.max_question_chars:
        raise UsageError(f"the question is longer than {config.max_question_chars} characters")
    return cleaned


def passage_out(passage: Passage) -> PassageOut:
    chunk = passage.chunk
    return PassageOut(
        doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, score=passage.score, text=chunk.text
    )


class Answerer:
    """Retrieves passages, asks a model for a draft, checks its citations, or abstains."""

    def __init__(
        self,
        searcher: HybridSearcher,
        model: AnswerModel,
        config: AnswerConfig,
        fallback: AnswerModel | None = None,
    ) -> None:
        self.searcher = searcher
        self.model = model
        self.config = config
        self.fallback = fallback

    def ask(
        self,
        question: str,
        k: int,
        history: list[ChatTurn] | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> AnswerResult:
        """Answer `question`; `on_token` receives the model's draft as it is written."""
        question = clean_question(question, self.config)
        standalone = self._standalone(question, history or [])
        passages = self.searcher.search(standalone, k)
        base = {
            "question": question,
            "standalone_question": standalone,
            "model": self.model.name,
            "passages": [passage_out(p) for p in passages],
        }
        if weakness := self._weak_evidence(standalone, passages):
            return _abstained(base, weakness)
        draft = self._draft(AnswerPrompt(question=standalone, passages=passages), base, on_token)
        if draft == CANNOT_ANSWER:
            return _abstained(base, "the model found no answer")
        embed = self.searcher.embedder.encode
        checked = check_citations(draft, passages, self.config.min_support, embed)
        if not checked.citations:
            return _abstained(base, "no claim was supported by a passage")
        return AnswerResult(
            **base, answer=checked.text, abstained=False, citations=checked.citations
        )

    def _standalone(self, question: str, history: list[ChatTurn]) -> str:
        """The follow-up made standalone: by the model when it can, else by rule."""
        if not history or not needs_context(question):
            return question
        try:
            rewritten = self.model.rewrite(question, history)
        except ModelError:
            rewritten = None
        return rewritten or standalone_question(question, history)

    def _draft(self, prompt: AnswerPrompt, base: dict, on_token=None) -> str:
        """The model's draft; on a model failure, the fallback model's (noted in `base`)."""
        try:
            return normalise_draft(_collect(self.model, prompt, on_token))
        except ModelError as exc:
            if self.fallback is None:
                raise
            base.update(fallback=True, model_error=str(exc))
            return normalise_draft(_collect(self.fallback, prompt, on_token))

    def _weak_evidence(self, question: str, passages: list[Passage]) -> str | None:
        """Why the passages are too weak to answer from, or None when they are not."""
        similarity = max((p.best_similarity for p in passages), default=0.0)
        if similarity < self.config.min_evidence:
            return f"no passage sentence is close to the question (best {similarity:.2f})"
        wanted = content_terms(question)
        found = set().union(*(content_terms(p.chunk.text) for p in passages))
        share = coverage(wanted, found)
        if share < self.config.min_term_coverage:
            return f"the passages hold only {share:.0%} of the question's key words"
        return None


def _collect(model: AnswerModel, prompt: AnswerPrompt, on_token) -> str:
    if on_token is None:
        return model.execute(prompt)
    return run_stream(model.stream(prompt), on_token)


def _abstained(base: dict, reason: str) -> AnswerResult:
    return AnswerResult(
        **base, answer=NOT_FOUND, abstained=True, citations=[], abstain_reason=reason
    )
