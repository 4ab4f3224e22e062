"""The extractive answer model: no LLM, it quotes the passage sentences that best answer.

Each candidate sentence is scored by its MiniLM similarity to the question (computed during
search), plus the IDF-weighted share of the question's content words it contains, plus a smaller
share for words found only elsewhere in its passage (the context a sentence leans on). IDF is
taken over the candidate sentences, so words every passage shares ("summit", "SCO") count little.
The best one or two non-redundant sentences become the answer, each cited with its passage number.
"""

import math
import re
from collections import Counter

from pydantic import BaseModel

from app.citations import names_and_numbers
from app.injection import drop_markers, is_instruction_like
from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt
from app.news import asks_for_list, disagreement
from retrieval.terms import content_terms
from retrieval.timefilter import sort_key

REDUNDANT_OVERLAP = 0.6


class ExtractiveWeights(BaseModel):
    """Weights of the sentence score (set from the question set)."""

    similarity: float = 0.6
    sentence_terms: float = 0.6
    context_terms: float = 0.4
    answer_type: float = 0.2
    keep_ratio: float = 0.8
    list_ratio: float = 0.5  # a list answer's line scores at least this share of the best
    conflict_ratio: float = 0.7  # a disagreeing sentence scores at least this share of the best


class _Candidate(BaseModel):
    score: float
    n: int
    doc_id: str
    text: str
    terms: set[str]


class ExtractiveModel(AnswerModel):
    """Answers with whole sentences copied from the passages."""

    name = "extractive"

    def __init__(self, max_sentences: int = 2, weights: ExtractiveWeights | None = None):
        self.max_sentences = max_sentences
        self.weights = weights or ExtractiveWeights()

    def execute(self, prompt: AnswerPrompt) -> str:
        ranked = self.rank(prompt)
        if not ranked:
            return CANNOT_ANSWER
        if asks_for_list(prompt.question) and (lines := self._one_line_per_article(prompt, ranked)):
            return lines
        if both_sides := self._disagreement(prompt.question, ranked):
            return "\n\n".join(f"{drop_markers(c.text)} [{c.n}]" for c in both_sides)
        if prompt.order:  # of the good answers, the one from the newest / oldest article
            good = [c for c in ranked if c.score >= ranked[0].score * self.weights.keep_ratio]
            first = min(good, key=lambda c: c.n)
            return f"{drop_markers(first.text)} [{first.n}]"
        chosen = [ranked[0]]
        for candidate in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if candidate.score < ranked[0].score * self.weights.keep_ratio:
                break
            if all(_overlap(candidate.terms, c.terms) < REDUNDANT_OVERLAP for c in chosen):
                chosen.append(candidate)
        return "\n\n".join(f"{drop_markers(c.text)} [{c.n}]" for c in chosen)

    def _one_line_per_article(self, prompt: AnswerPrompt, ranked: list[_Candidate]) -> str:
        """The best sentence of each article whose passage names what the question names,
        one line each, oldest article first ("" when no article does)."""
        names = names_and_numbers(prompt.question)
        best: dict[str, _Candidate] = {}
        for candidate in ranked:
            passage = prompt.passages[candidate.n - 1]
            if candidate.score < ranked[0].score * self.weights.list_ratio:
                break
            if candidate.doc_id not in best and names <= content_terms(passage.chunk.text):
                best[candidate.doc_id] = candidate
        lines = sorted(best.values(), key=lambda c: sort_key(prompt.passages[c.n - 1].chunk))
        return "\n".join(f"- {drop_markers(c.text)} [{c.n}]" for c in lines)

    def _disagreement(self, question: str, ranked: list[_Candidate]) -> list[_Candidate] | None:
        """The best sentence and a near-best one from another article that gives another date
        or number for the same subject, or None."""
        top = ranked[0]
        for other in ranked[1:]:
            if other.score < top.score * self.weights.conflict_ratio:
                return None
            if other.doc_id != top.doc_id and disagreement(question, top.text, other.text):
                return [top, other]
        return None

    def rank(self, prompt: AnswerPrompt) -> list[_Candidate]:
        """Every sentence of every passage, best answer first."""
        sentences = [
            (n, s, content_terms(s.text))
            for n, passage in enumerate(prompt.passages, start=1)
            for s in passage.sentences
            if not is_instruction_like(s.text)
        ]
        passage_terms = [
            set().union(*(t for m, _, t in sentences if m == n))
            for n in range(1, len(prompt.passages) + 1)
        ]
        idf = _idf([terms for _, _, terms in sentences])
        wanted = content_terms(prompt.question)
        total = sum(idf.get(t, idf["<unseen>"]) for t in wanted) or 1.0
        ranked = []
        for n, sentence, terms in sentences:
            own = sum(idf.get(t, 0.0) for t in wanted & terms) / total
            context = sum(idf.get(t, 0.0) for t in (wanted & passage_terms[n - 1]) - terms) / total
            typed = answer_type_match(prompt.question, sentence.text, wanted)
            score = (
                self.weights.similarity * sentence.similarity
                + self.weights.sentence_terms * own
                + self.weights.context_terms * context
                + self.weights.answer_type * typed
            )
            doc_id = prompt.passages[n - 1].chunk.doc_id
            ranked.append(
                _Candidate(score=score, n=n, doc_id=doc_id, text=sentence.text, terms=terms)
            )
        ranked.sort(key=lambda c: c.score, reverse=True)
        return ranked


_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_ANSWER_TYPES = [
    (
        re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|share|amount)\b", re.I),
        re.compile(
            r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|"
            r"thousand|million|billion)\b",
            re.I,
        ),
    ),
    (
        re.compile(
            r"\bwhen\b|\bwhat (year|date|day|month)\b|\bwhich (year|date|day|month)\b", re.I
        ),
        re.compile(rf"\b(1[89]\d\d|20\d\d|{_MONTHS}|\w+day)\b"),
    ),
    (
        re.compile(
            r"\bwho(m|se)?\b|\bwhich (\w+ )?(leader|president|minister|official)\b|"
            r"\bwhere\b|\bwhich (city|country|capital|organization|group|bloc)\b",
            re.I,
        ),
        re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+"),
    ),
]


def answer_type_match(question: str, sentence: str, question_terms: set[str]) -> float:
    """1.0 when the sentence holds a new token of the kind the question asks for (a number for
    "how many", a date for "when", a name for "who"/"where"), 0.0 when it holds none, 0.5 when
    the question asks for no recognised kind."""
    for asks, holds in _ANSWER_TYPES:
        if asks.search(question):
            found = {m.group() for m in holds.finditer(sentence)}
            return 1.0 if any(content_terms(f) - question_terms for f in found) else 0.0
    return 0.5


def _idf(documents: list[set[str]]) -> dict[str, float]:
    counts = Counter(term for terms in documents for term in terms)
    n = len(documents)
    idf = {term: math.log((n + 1) / (df + 0.5)) for term, df in counts.items()}
    idf["<unseen>"] = math.log((n + 1) / 0.5)
    return idf


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))
