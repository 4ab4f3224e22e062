"""The extractive answer model: no LLM, it quotes the passage sentences that best answer.

It reads the ranking the answering core made (`app.reading`): for a factoid, the best sentence
that holds a span of the asked type, with that span as the short answer; otherwise the best one
or two non-redundant sentences (a why/how/what answer: up to three, the third from the best
one's passage). List questions get the best sentence of each article that names
what the question names; disagreeing articles are quoted side by side.
"""

import re

from app.citations import names_and_numbers
from app.injection import drop_markers
from app.mentions import mentions
from app.models.base import CANNOT_ANSWER, AnswerModel, AnswerPrompt, Draft
from app.news import asks_for_list, compares_things, disagreement
from app.reading import RankedSentence, passage_terms_of
from app.understanding import AnswerType
from retrieval.terms import content_terms
from retrieval.timefilter import sort_key

REDUNDANT_OVERLAP = 0.6
_EXPLAINED = {AnswerType.REASON, AnswerType.DESCRIPTION}
_NAMES = {
    AnswerType.PERSON,
    AnswerType.PLACE,
    AnswerType.COUNTRY,
    AnswerType.ORGANISATION,
    AnswerType.ENTITY,
}


class ExtractiveModel(AnswerModel):
    """Answers with whole sentences copied from the passages."""

    name = "extractive"
    leads_with_short_answer = True
    quotes_articles = True

    def __init__(
        self,
        max_sentences: int = 2,
        keep_margin: float = 1.0,
        list_margin: float = 3.0,
        conflict_margin: float = 2.0,
        explain_sentences: int = 3,
        name_conflict_margin: float = 0.0,
    ):
        self.max_sentences = max_sentences
        self.explain_sentences = explain_sentences  # past max_sentences: the best one's passage
        # how far below the best score (a log-odds) a sentence may be and still be quoted: a
        # second sentence, a list answer's line, the other side of a disagreement
        self.keep_margin = keep_margin
        self.list_margin = list_margin
        self.conflict_margin = conflict_margin
        self.name_conflict_margin = name_conflict_margin  # 0: names never disagree

    def execute(self, prompt: AnswerPrompt) -> str | Draft:
        ranked = prompt.ranked
        if not ranked:
            return CANNOT_ANSWER
        if (shaped := self.news_shaped(prompt)) is not None:
            return shaped
        return self.unshaped(prompt)

    def unshaped(self, prompt: AnswerPrompt) -> str | Draft:
        """The answer to a question that asks for neither a list nor a disagreement: a
        factoid's span and sentence, or the best one or two sentences."""
        ranked = prompt.ranked
        analysis = prompt.analysis
        if analysis is not None and analysis.factoid:
            return self._factoid(prompt)
        if prompt.order:  # of the good answers, those from the newest / oldest article
            article = self._first_in_order(ranked).doc_id
            own = [r for r in ranked if r.doc_id == article]
            return "\n\n".join(_quoted(r) for r in self._best_sentences(own))
        chosen = self._best_sentences(ranked, self.sentences_for(prompt))
        return "\n\n".join(_quoted(r) for r in chosen)

    def sentences_for(self, prompt: AnswerPrompt) -> int:
        """How many sentences an unshaped answer may quote: `explain_sentences` for a why /
        how / what-happened question, else `max_sentences`."""
        analysis = prompt.analysis
        explains = analysis is not None and analysis.answer_type in _EXPLAINED
        return self.explain_sentences if explains else self.max_sentences

    def news_shaped(self, prompt: AnswerPrompt) -> str | None:
        """A list question's one line per article, or disagreeing articles quoted side by
        side; None when the question asks for neither."""
        if asks_for_list(prompt.question) and (lines := self._one_line_per_article(prompt)):
            return lines
        if both_sides := self._disagreement(prompt.question, prompt.ranked):
            return "\n\n".join(_quoted(r) for r in both_sides)
        return None

    def _factoid(self, prompt: AnswerPrompt) -> Draft | str:
        """The best sentence holding a span of the asked type, that span the short answer; for
        a question that asks for several ("Who ..., and who ...?"), one line per answer."""
        typed = [r for r in prompt.ranked if r.span is not None]
        if not typed:
            return CANNOT_ANSWER
        best = self._first_in_order(typed) if prompt.order else typed[0]
        parts = prompt.analysis.parts if prompt.analysis else 1
        if parts < 2:
            return self.quoting(prompt, best, best.span.text)
        chosen = [best]
        for other in typed:
            if len(chosen) >= parts or other.score < best.score - self.list_margin:
                break
            if not any(mentions(other.span.text, c.text) for c in chosen):
                chosen.append(other)  # each line names an answer the others do not
        return "\n".join(f"- {_quoted(r)}" for r in chosen)

    def quoting(self, prompt: AnswerPrompt, best: RankedSentence, answer: str) -> Draft:
        """A factoid's draft: the sentence that holds `answer`, then another article's that
        names it too or, failing that, one that names another answer (`rival`)."""
        if others := self.corroboration(prompt, best, answer):
            return Draft(text="\n".join(_quoted(r) for r in [best, *others]), short_answer=answer)
        if (other := self.rival(prompt, best, answer)) is not None:
            text = f"{_quoted(best)}\n{_quoted(other)}"
            return Draft(text=text, short_answer=answer, rival=other.span.text)
        return Draft(text=_quoted(best), short_answer=answer)

    def rival(
        self, prompt: AnswerPrompt, best: RankedSentence, answer: str
    ) -> RankedSentence | None:
        """A sentence of another article, scoring within `name_conflict_margin` of the best,
        whose answer of the asked type differs and is governed by the question's predicate as
        the best one's is ("Armenia joined", "Belarus ... joined"), when neither article names
        the other's answer anywhere: the articles disagree on the name. Dates and numbers are
        `disagreement`'s; a list or a comparison has none."""
        names = names_and_numbers(prompt.question)
        if not self._may_disagree(prompt, best, names):
            return None
        for other in prompt.ranked:
            if other.score < best.score - self.name_conflict_margin:
                return None
            if (
                other.doc_id != best.doc_id
                and _governed(other)
                and _names_all(prompt, other, names)
                and not _names_either(prompt, best.doc_id, other.span.text)
                and not _names_either(prompt, other.doc_id, answer)
            ):
                return other
        return None

    def _may_disagree(self, prompt: AnswerPrompt, best: RankedSentence, names: set[str]) -> bool:
        """Whether a name answer may have a rival: one name asked for, the best answer governed
        by the predicate in a passage naming all the question names."""
        analysis = prompt.analysis
        return (
            self.name_conflict_margin > 0
            and analysis is not None
            and analysis.answer_type in _NAMES
            and not compares_things(prompt.question)
            and _governed(best)
            and _names_all(prompt, best, names)
        )

    def corroboration(
        self, prompt: AnswerPrompt, best: RankedSentence, answer: str
    ) -> list[RankedSentence]:
        """A sentence of another article that names `answer` too (spelled alike: "Rakhmon",
        "Rahmon") and holds words of the question the best one's passage lacks ("Which city
        hosted X and Y?": the article on Y), when one scores within `list_margin`; else none."""
        analysis = prompt.analysis
        lacking = analysis.terms - passage_terms_of(prompt.passages[best.n - 1])
        for other in prompt.ranked:
            if other.score < best.score - self.list_margin:
                break
            passage = prompt.passages[other.n - 1]
            if (
                other.doc_id != best.doc_id
                and mentions(answer, other.text)
                and (lacking & passage_terms_of(passage))
            ):
                return [other]
        return []

    def _first_in_order(self, ranked: list[RankedSentence]) -> RankedSentence:
        good = [r for r in ranked if r.score >= ranked[0].score - self.keep_margin]
        return min(good, key=lambda r: r.n)

    def _best_sentences(self, ranked: list[RankedSentence], most: int = 0) -> list[RankedSentence]:
        """The best sentence and the next non-redundant ones within `keep_margin`: up to
        `max_sentences`, then up to `most` when they come from the best sentence's passage (a
        reason is often told over the sentences that follow)."""
        chosen = [ranked[0]]
        for candidate in ranked[1:]:
            if len(chosen) >= max(self.max_sentences, most):
                break
            if candidate.score < ranked[0].score - self.keep_margin:
                break
            if len(chosen) >= self.max_sentences and candidate.n != ranked[0].n:
                continue
            if all(_overlap(candidate.terms, c.terms) < REDUNDANT_OVERLAP for c in chosen):
                chosen.append(candidate)
        return chosen

    def _one_line_per_article(self, prompt: AnswerPrompt) -> str:
        """The best sentence of each article whose passage names what the question names,
        one line each, oldest article first ("" when no article does)."""
        ranked = prompt.ranked
        names = names_and_numbers(prompt.question)
        best: dict[str, RankedSentence] = {}
        for candidate in ranked:
            passage = prompt.passages[candidate.n - 1]
            if candidate.score < ranked[0].score - self.list_margin:
                break
            if candidate.doc_id not in best and names <= content_terms(passage.chunk.text):
                best[candidate.doc_id] = candidate
        lines = sorted(best.values(), key=lambda c: sort_key(prompt.passages[c.n - 1].chunk))
        return "\n".join(f"- {_quoted(c)}" for c in lines)

    def _disagreement(self, question: str, ranked: list[RankedSentence]):
        """The best sentence and a near-best one from another article that gives another date
        or number for the same subject, or None."""
        top = ranked[0]
        for other in ranked[1:]:
            if other.score < top.score - self.conflict_margin:
                return None
            if other.doc_id != top.doc_id and disagreement(question, top.text, other.text):
                return [top, other]
        return None


def _governed(sentence: RankedSentence) -> bool:
    """Whether the sentence's answer is governed by the question's predicate ("Belarus ...
    joined" for "Which country joined?"), not merely near it."""
    return sentence.span is not None and bool(sentence.span.features.get("governed"))


def _names_all(prompt: AnswerPrompt, sentence: RankedSentence, names: set[str]) -> bool:
    """Whether the sentence's passage names every name and number the question gives, an
    acronym by the words it stands for ("SCO": "Shanghai Cooperation Organization")."""
    text = prompt.passages[sentence.n - 1].chunk.text
    missing = names - content_terms(text)
    return not missing or missing <= _initials(text)


_ACRONYM = 8  # letters at most
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w’'-]*)+")


def _initials(text: str) -> set[str]:
    """The initials of every run of capitalised words in `text`, and of each stretch of one
    ("The Shanghai Cooperation Organization": tsco, sco, co...), lower case."""
    found = set()
    for run in _CAPITALISED_RUN.findall(text):
        letters = "".join(w[0] for w in run.split() if w[:1].isupper()).lower()
        for i in range(len(letters)):  # a title-cased page is one long run: acronyms stay short
            found.update(letters[i:j] for j in range(i + 2, min(i + _ACRONYM, len(letters)) + 1))
    return found


def _names_either(prompt: AnswerPrompt, doc_id: str, answer: str) -> bool:
    """Whether any passage of the article names `answer` (spelled alike)."""
    return any(p.chunk.doc_id == doc_id and mentions(answer, p.chunk.text) for p in prompt.passages)


def _quoted(ranked: RankedSentence) -> str:
    return f"{drop_markers(ranked.text)} [{ranked.n}]"


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))
