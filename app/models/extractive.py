"""The extractive answer model: no LLM, it quotes the passage sentences that best answer.

Each candidate sentence is scored by its MiniLM similarity to the question (computed during
search) plus a bonus for the share of the question's content words it contains. The best one or
two non-redundant sentences become the answer, each cited with its passage number.
"""

from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt
from retrieval.terms import content_terms, coverage

REDUNDANT_OVERLAP = 0.6


class ExtractiveModel(AnswerModel):
    """Answers with whole sentences copied from the passages."""

    name = "extractive"

    def __init__(self, max_sentences: int = 2, lexical_weight: float = 0.3, keep_ratio: float = 0.9):
        self.max_sentences = max_sentences
        self.lexical_weight = lexical_weight
        self.keep_ratio = keep_ratio

    def execute(self, prompt: AnswerPrompt) -> str:
        ranked = self._ranked_sentences(prompt)
        if not ranked:
            return CANNOT_ANSWER
        chosen = [ranked[0]]
        for score, n, text, terms in ranked[1:]:
            if len(chosen) >= self.max_sentences or score < ranked[0][0] * self.keep_ratio:
                break
            if all(_overlap(terms, other[3]) < REDUNDANT_OVERLAP for other in chosen):
                chosen.append((score, n, text, terms))
        return " ".join(f"{text} [{n}]" for _, n, text, _ in chosen)

    def _ranked_sentences(self, prompt: AnswerPrompt) -> list[tuple[float, int, str, set[str]]]:
        wanted = content_terms(prompt.question)
        ranked = []
        for n, passage in enumerate(prompt.passages, start=1):
            for sentence in passage.sentences:
                terms = content_terms(sentence.text)
                bonus = self.lexical_weight * coverage(wanted, terms) if wanted else 0.0
                ranked.append((sentence.similarity + bonus, n, sentence.text, terms))
        ranked.sort(key=lambda item: item[0], reverse=True)
        return ranked


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))
