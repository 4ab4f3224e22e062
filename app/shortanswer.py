"""The short answer of a factoid (a name, place, number or date), always a span of a quote.

A model may propose one (the extractive model and the local reader do); it is kept only when a
cited sentence holds it, compared without case, accents or punctuation, and the text kept is the
sentence's own spelling. Without a proposal (a hosted model's free text) the short answer is the
best span of the asked type in the cited sentences, preferring one the draft itself says.
"""

import re

from pydantic import BaseModel

from app.citations import Citation
from app.injection import drop_markers
from app.mentions import folded as _folded
from app.mentions import folded_with_positions as _folded_with_positions
from app.mentions import mentions
from app.models.base import Draft
from app.spans import spans_of_many
from app.understanding import QuestionAnalysis
from retrieval.search import Passage


class ShortAnswer(BaseModel):
    """A short answer and the citation whose quote holds it."""

    text: str
    n: int


def short_answer(
    analysis: QuestionAnalysis, draft: Draft, citations: list[Citation], min_fit: float = 0.3
) -> ShortAnswer | None:
    """The short answer: the draft's proposal when a cited quote holds it, else the best span
    of the asked type in the cited quotes; None when no quote holds one."""
    if draft.short_answer:
        for citation in citations:
            if (found := find_span(draft.short_answer, citation.quote)) is not None:
                return ShortAnswer(text=found, n=citation.n)
    spans = spans_of_many(analysis, [c.quote for c in citations])
    said = _folded(draft.text)
    ranked = [
        (_folded(span.text) in said, span.prior, span.text, citation.n)
        for citation, found in zip(citations, spans, strict=True)
        for span in found
        if span.fit >= min_fit
    ]
    if not ranked:
        return None
    _, _, text, n = max(ranked)
    return ShortAnswer(text=text, n=n)


def find_span(wanted: str, text: str) -> str | None:
    """`wanted` as `text` spells it, found without regard to case, accents, punctuation or
    spacing (whole words only); None when `text` does not hold it."""
    target = _folded(wanted).strip()
    if not target:
        return None
    folded, positions = _folded_with_positions(text)
    start = folded.find(f" {target} ")
    if start < 0:
        return None
    first = positions[start + 1]
    last = positions[start + len(target)]
    return text[first : last + 1]


def compose_factoid(short: ShortAnswer, citations: list[Citation], passages: list[Passage]) -> str:
    """`Belarus [1]. “Russia’s western neighbor and ally, Belarus, joined the SCO on
    Thursday.” (AP, 2024)`: the short answer, then the quote it comes from, then the sources
    of any other cited quote that names it too ("Also [2] (Press TV, 2024)."; the quote itself
    is in the citations)."""
    outlets = {p.chunk.doc_id: p.chunk.outlet for p in passages}
    first = next(c for c in citations if c.n == short.n)
    others = [c for c in citations if c.n != short.n and mentions(short.text, c.quote)]
    text = f"{short.text} [{short.n}]. {_quoted(first, short.text, outlets)}"
    return " ".join([text, *(f"Also [{c.n}] ({_source(c, outlets)})." for c in others)])


def _quoted(citation: Citation, short: str, outlets: dict) -> str:
    text = drop_markers(citation.quote).strip().strip('“”"')  # an article's own "[9]" goes
    return f"“{excerpt(text, find_span(short, text) or short)}” ({_source(citation, outlets)})"


def _source(citation: Citation, outlets: dict) -> str:
    """ "AP, 2024"; an article without an outlet by its title ("Putin, Jiang Meet With
    Leaders …, 1997")."""
    name = outlets.get(citation.doc_id) or citation.short_title()
    return ", ".join(part for part in (name, _year(citation)) if part)


QUOTE_WORDS = 16  # a longer quoted sentence is cut to the clauses around the short answer
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)|\s+(?=\()")


def excerpt(sentence: str, short: str, limit: int = QUOTE_WORDS) -> str:
    """The sentence, or when it is longer than `limit` words the clauses around `short`
    (verbatim, "…" where words were left out)."""
    if len(sentence.split()) <= limit:
        return sentence
    clauses = _CLAUSE.split(sentence)
    at = next((i for i, c in enumerate(clauses) if short in c), None)
    if at is None:
        return sentence
    if len(clauses[at].split()) > limit:
        return _words_around(sentence, short, limit)
    first = last = at
    words = len(clauses[at].split())
    while True:
        grown = False
        for i in (last + 1, first - 1):
            if 0 <= i < len(clauses) and words + len(clauses[i].split()) <= limit:
                words += len(clauses[i].split())
                first, last = min(first, i), max(last, i)
                grown = True
        if not grown:
            break
    text = " ".join(clauses[first : last + 1]).rstrip(",;:")
    return ("… " if first > 0 else "") + text + (" …" if last < len(clauses) - 1 else "")


def _words_around(sentence: str, short: str, limit: int) -> str:
    """About `limit` words of the sentence around `short`, verbatim, "…" for the rest."""
    words = [m.span() for m in re.finditer(r"\S+", sentence)]
    start = sentence.index(short)
    inside = [i for i, (a, b) in enumerate(words) if b > start and a < start + len(short)]
    first, last = inside[0], inside[-1]
    while last - first + 1 < limit and (first > 0 or last < len(words) - 1):
        if first > 0:
            first -= 1
        if last < len(words) - 1 and last - first + 1 < limit:
            last += 1
    text = sentence[words[first][0] : words[last][1]]
    return ("… " if first > 0 else "") + text + (" …" if last < len(words) - 1 else "")


def _year(citation: Citation) -> str:
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", citation.article_date)
    return found.group() if found else citation.article_date
