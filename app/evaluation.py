"""Evaluation on a question set: retrieval, answer accuracy, citations, abstention, latency.

The question set is JSON Lines, one object per question (see `Question`). An answer is correct
when, for every alias group in `facts`, at least one alias appears in it after normalising case,
whitespace and punctuation, and, when `must_cite` is set, it cites an article of every group of
it (multi-article and conflict questions). Metrics are exact and reported per question kind.
"""

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ValidationError

from app.answering import AnswerResult
from app.citations import split_claims
from app.errors import UsageError
from app.rewrite import ChatTurn

Kind = Literal[
    "factoid", "descriptive", "multi_doc", "temporal", "conflict", "unanswerable", "followup"
]
Unanswerable = Literal["detail", "out_of_corpus", "false_premise", "wrong_date"]
SPAN_ANSWERS = {"person", "place", "country", "organisation", "number", "date", "day"}


class Question(BaseModel):
    """One line of a question set."""

    id: str
    question: str
    facts: list[list[str]] = []
    sources: list[str] = []
    must_cite: list[list[str]] = []  # articles the answer must all cite (alternatives per group)
    answerable: bool = True
    kind: Kind = "factoid"
    history: list[ChatTurn] = []
    answer_type: str | None = None  # person, place, country, ..., description, list, yes_no
    unanswerable: Unanswerable | None = None  # why the articles cannot answer it

    @property
    def wants_span(self) -> bool:
        """Whether the answer is a short span (a name, place, number or date)."""
        return self.answer_type in SPAN_ANSWERS


class QuestionOutcome(BaseModel):
    """How one question went."""

    id: str
    kind: str
    question: str
    answer: str
    abstained: bool
    answerable: bool
    citations: list[dict]
    correct: bool
    retrieved_doc_ids: list[str]
    reciprocal_rank: float
    cited_precise: int
    cited_total: int
    sentences: int
    sentences_cited: int
    seconds: float
    judged_correct: bool | None = None
    wants_span: bool = False
    short_answer: str | None = None
    short_exact: bool = False
    words: int = 0
    confidence: float = 0.0
    verified: float | None = None  # the verifier's P(yes), when one is set
    unanswerable: str | None = None
    abstain_reason: str | None = None
    error: str | None = None  # why answering failed; the question then counts as wrong

    @property
    def passed(self) -> bool:
        """Right answer to an answerable question, or an abstention on an unanswerable one."""
        return self.correct if self.answerable else self.abstained


def load_questions(path: Path, max_chars: int | None = None) -> list[Question]:
    """Read and check a whole question set before any is asked: a bad line, an empty or
    over-long question (`max_chars`) or a repeated id is reported with its line number."""
    if not path.is_file():
        raise UsageError(f"question set not found: {path}")
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):  # blank, or a comment (attribution)
            continue
        question = _question_at(path, number, line, max_chars)
        if question.id in seen:
            raise UsageError(
                f"{path}:{number}: id {question.id!r} is used already on line {seen[question.id]}"
            )
        seen[question.id] = number
        questions.append(question)
    if not questions:
        raise UsageError(f"question set {path} is empty")
    return questions


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark is allowed
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read question set {path}: {exc}") from None


def _question_at(path: Path, number: int, line: str, max_chars: int | None) -> Question:
    try:
        question = Question.model_validate_json(line)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"{path}:{number}: {first['msg']} at {first['loc']}") from None
    if not question.question.strip():
        raise UsageError(f"{path}:{number}: the question is empty")
    if max_chars is not None and len(question.question) > max_chars:
        raise UsageError(
            f"{path}:{number}: the question is {len(question.question)} characters long "
            f"(at most {max_chars})"
        )
    return question


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces, padded for whole-word matching."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


def facts_found(answer: str, facts: list[list[str]]) -> bool:
    """True when every alias group has an alias in `answer`."""
    said = normalise(answer)
    return all(any(normalise(alias) in said for alias in group) for group in facts)


def score_outcome(question: Question, result: AnswerResult, seconds: float) -> QuestionOutcome:
    """Compare one answer with the gold facts and sources."""
    retrieved = [p.doc_id for p in result.passages]
    rank = next((i for i, d in enumerate(retrieved, 1) if d in question.sources), None)
    precise = sum(1 for c in result.citations if _citation_is_precise(c, question))
    claims = [] if result.abstained else split_claims(result.claims or result.answer)
    return QuestionOutcome(
        id=question.id,
        kind=question.kind,
        question=question.question,
        answer=result.answer,
        abstained=result.abstained,
        answerable=question.answerable,
        citations=[c.model_dump() for c in result.citations],
        correct=question.answerable
        and not result.abstained
        and facts_found(result.answer, question.facts)
        and cites_all(result, question.must_cite),
        retrieved_doc_ids=retrieved,
        reciprocal_rank=1.0 / rank if rank else 0.0,
        cited_precise=precise,
        cited_total=len(result.citations),
        sentences=len(claims),
        sentences_cited=sum(1 for _, numbers in claims if numbers),
        seconds=seconds,
        wants_span=question.wants_span,
        short_answer=result.short_answer,
        short_exact=short_answer_matches(result.short_answer, question.facts),
        words=answer_words(result.answer),
        confidence=result.confidence,
        verified=result.verified,
        unanswerable=question.unanswerable,
        abstain_reason=result.abstain_reason,
    )


def answer_words(answer: str) -> int:
    """Words of an answer, citation markers left out."""
    return len(re.sub(r"\[\d+\]", " ", answer).split())


def short_answer_matches(short: str | None, facts: list[list[str]]) -> bool:
    """Whether the short answer equals an alias after normalisation (a leading "the" aside),
    or, for an answer in several parts ("July 3" and "2024"), holds an alias of every part and
    at most two words more."""
    if not short or not facts:
        return False
    said = normalise(re.sub(r"^\s*the\s+", "", short, flags=re.I))
    aliases = [normalise(re.sub(r"^\s*the\s+", "", a, flags=re.I)) for g in facts for a in g]
    if said in aliases:
        return True
    if len(facts) < 2 or not facts_found(short, facts):
        return False
    shortest = sum(min(len(normalise(a).split()) for a in group) for group in facts)
    return len(said.split()) <= shortest + 2


def cites_all(result: AnswerResult, must_cite: list[list[str]]) -> bool:
    """True when the answer cites an article of every group (a copy of one counts as it)."""
    cited = {c.doc_id for c in result.citations} | {d for c in result.citations for d in c.copies}
    return all(cited & set(group) for group in must_cite)


def _citation_is_precise(citation, question: Question) -> bool:
    if citation.doc_id in question.sources:
        return True
    return any(facts_found(citation.quote, [group]) for group in question.facts)


def run_questions(
    questions: list[Question],
    answer: Callable[[Question], AnswerResult],
    progress: Iterable | None = None,
) -> list[QuestionOutcome]:
    """Answer every question with `answer` and score it; `progress` wraps the iteration."""
    outcomes = []
    for question in progress if progress is not None else questions:
        started = time.perf_counter()
        try:
            result = answer(question)
        except Exception as exc:  # noqa: BLE001 - one failed question must not end the run
            outcomes.append(failed_outcome(question, exc, time.perf_counter() - started))
            continue
        outcomes.append(score_outcome(question, result, time.perf_counter() - started))
    return outcomes


def failed_outcome(question: Question, exc: Exception, seconds: float) -> QuestionOutcome:
    """A question whose answering raised: wrong (an unanswerable one not abstained on), with
    the error kept."""
    return QuestionOutcome(
        id=question.id,
        kind=question.kind,
        question=question.question,
        answer="",
        abstained=False,
        answerable=question.answerable,
        citations=[],
        correct=False,
        retrieved_doc_ids=[],
        reciprocal_rank=0.0,
        cited_precise=0,
        cited_total=0,
        sentences=0,
        sentences_cited=0,
        seconds=seconds,
        wants_span=question.wants_span,
        unanswerable=question.unanswerable,
        error=f"{type(exc).__name__}: {exc}",
    )


def evaluate(
    engine,
    questions: list[Question],
    model: str,
    k: int | None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[QuestionOutcome]:
    """Run a question set through `engine.ask`; progress goes to `on_progress(done, total)`
    when given, else to a bar on stderr."""
    from tqdm import tqdm

    answerer = engine.answerer(model)
    k = k if k is not None else engine.settings.top_k

    def answer(question: Question) -> AnswerResult:
        return answerer.ask(question.question, k, question.history)

    if on_progress is None:
        bar = tqdm(questions, desc=f"eval {model}", unit="q", leave=False)
        return run_questions(questions, answer, bar)
    return run_questions(questions, answer, _reporting(questions, on_progress))


def _reporting(questions: list[Question], on_progress: Callable[[int, int], None]):
    for done, question in enumerate(questions):
        on_progress(done, len(questions))
        yield question
    on_progress(len(questions), len(questions))


def judge_outcomes(outcomes: list[QuestionOutcome], questions: list[Question], judge) -> None:
    """Ask a language model to grade the answers the fact matcher marked wrong (in place).

    `judge` is a `ChatAnswerModel`; its verdicts go to `judged_correct`, never into `correct`."""
    from langchain_core.messages import HumanMessage

    from app.prompts import load_prompt

    by_id = {q.id: q for q in questions}
    for outcome in outcomes:
        if not outcome.answerable or outcome.correct or outcome.abstained:
            continue
        facts = "; ".join(" or ".join(group) for group in by_id[outcome.id].facts)
        text = load_prompt("judge").format(
            question=outcome.question, facts=facts, answer=outcome.answer
        )
        reply = judge.chat.invoke([HumanMessage(text)]).text.strip().upper()
        outcome.judged_correct = reply.startswith("YES")


def summarise(outcomes: list[QuestionOutcome]) -> dict:
    """All metrics, overall and per kind."""
    kinds = sorted({o.kind for o in outcomes})
    return {
        "overall": _metrics(outcomes),
        "by_kind": {kind: _metrics([o for o in outcomes if o.kind == kind]) for kind in kinds},
    }


def _metrics(outcomes: list[QuestionOutcome]) -> dict:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    abstained = [o for o in outcomes if o.abstained]
    answered = [o for o in answerable if not o.abstained]
    seconds = [o.seconds for o in outcomes]
    spans = [o for o in answerable if o.wants_span]
    factoid_words = [o.words for o in spans if not o.abstained]
    return {
        "n": len(outcomes),
        "recall_at_k": _mean([o.reciprocal_rank > 0 for o in answerable]),
        "mrr": _mean([o.reciprocal_rank for o in answerable]),
        "accuracy": _mean([o.correct for o in answerable]),
        "judge_accuracy": _judge_accuracy(answerable),
        "citation_precision": _ratio(
            sum(o.cited_precise for o in answered), sum(o.cited_total for o in answered)
        ),
        "cited_sentence_share": _ratio(
            sum(o.sentences_cited for o in answered), sum(o.sentences for o in answered)
        ),
        "abstain_precision": _ratio(sum(not o.answerable for o in abstained), len(abstained)),
        "abstain_recall": _ratio(sum(o.abstained for o in unanswerable), len(unanswerable)),
        "false_abstain_rate": _ratio(sum(o.abstained for o in answerable), len(answerable)),
        "short_answer_em": _mean([o.short_exact for o in spans]),
        "factoid_words_p50": float(np.median(factoid_words)) if factoid_words else None,
        "latency_p50_s": float(np.percentile(seconds, 50)) if seconds else None,
        "latency_p95_s": float(np.percentile(seconds, 95)) if seconds else None,
    }


def _judge_accuracy(answerable: list[QuestionOutcome]) -> float | None:
    """Accuracy counting the judge's YES verdicts too; None when no judge ran."""
    if not any(o.judged_correct is not None for o in answerable):
        return None
    return _mean([o.correct or bool(o.judged_correct) for o in answerable])


def _mean(values: list) -> float | None:
    return float(np.mean(values)) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def outcomes_json(model: str, outcomes: list[QuestionOutcome]) -> dict:
    """The `--json` document of one evaluation run."""
    keep = (
        "id",
        "kind",
        "question",
        "answerable",
        "answer",
        "abstained",
        "citations",
        "correct",
        "retrieved_doc_ids",
        "seconds",
        "short_answer",
        "short_exact",
        "wants_span",
        "words",
        "confidence",
        "verified",
        "unanswerable",
        "abstain_reason",
        "error",
    )
    return {
        "n": len(outcomes),
        "model": model,
        "metrics": summarise(outcomes),
        "questions": [o.model_dump(include=set(keep)) for o in outcomes],
    }


def dump(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
