"""The citation check applied to every draft answer, whichever model wrote it.

A draft is split into claims (sentences with their `[n]` markers). Markers that name no given
passage are stripped. Each claim keeps the cited passages whose sentences support it lexically
(share of the claim's content words found in one passage sentence); a claim none of its citations
supports is re-cited to the passage that does, or dropped. Citations are then renumbered in order
of first use, each with the exact supporting sentence of its chunk as `quote`.
"""

import re

from pydantic import BaseModel

from retrieval.search import Passage, ScoredSentence
from retrieval.sentences import split_sentences
from retrieval.terms import content_terms, coverage

MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")


class Citation(BaseModel):
    """One numbered source of an answer: the chunk and the exact span quoted from it."""

    n: int
    doc_id: str
    chunk_id: str
    title: str | None
    published: str | None
    quote: str
    start: int
    end: int
    verified: bool = True


class CheckedAnswer(BaseModel):
    """The answer text after the check, its citations, and the claims that were dropped."""

    text: str
    citations: list[Citation]
    dropped: list[str] = []


class _Support(BaseModel):
    passage: int
    sentence: ScoredSentence
    score: float


def check_citations(draft: str, passages: list[Passage], min_support: float) -> CheckedAnswer:
    """Verify, repair or drop every claim of `draft` against the numbered `passages`."""
    kept: list[tuple[str, list[_Support]]] = []
    dropped: list[str] = []
    for claim, cited in split_claims(draft):
        supports = _supports(claim, cited, passages, min_support)
        (kept.append((claim, supports)) if supports else dropped.append(claim))
    return _renumber(kept, passages, dropped)


def split_claims(draft: str) -> list[tuple[str, list[int]]]:
    """Sentences of a draft with the numbers they cite; a marker alone joins the sentence before."""
    claims: list[tuple[str, list[int]]] = []
    for span in split_sentences(draft):
        numbers = [int(n) for group in MARKER.findall(span.text) for n in re.split(r"[,;]", group)]
        text = MARKER.sub("", span.text).strip()
        if not re.search(r"\w", text) and claims:
            claims[-1][1].extend(numbers)
        elif text:
            claims.append((text, numbers))
    return claims


def _supports(claim: str, cited: list[int], passages: list[Passage], min_support: float):
    """Cited passages that support the claim; else the best other passage that does."""
    terms = content_terms(claim)
    if not terms:
        return []
    valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
    found = [s for n in valid if (s := _best_sentence(terms, n, passages)).score >= min_support]
    if found:
        return found
    others = [_best_sentence(terms, n, passages) for n in range(1, len(passages) + 1)]
    best = max(others, key=lambda s: s.score, default=None)
    return [best] if best and best.score >= min_support else []


def _best_sentence(terms: set[str], n: int, passages: list[Passage]) -> _Support:
    sentences = passages[n - 1].sentences or _whole_chunk(passages[n - 1])
    scored = [(coverage(terms, content_terms(s.text)), s) for s in sentences]
    score, sentence = max(scored, key=lambda item: item[0])
    return _Support(passage=n, sentence=sentence, score=score)


def _whole_chunk(passage: Passage) -> list[ScoredSentence]:
    chunk = passage.chunk
    spans = split_sentences(chunk.text, offset=chunk.start)
    return [ScoredSentence(start=s.start, end=s.end, text=s.text, similarity=0.0) for s in spans]


def _renumber(kept, passages: list[Passage], dropped: list[str]) -> CheckedAnswer:
    numbers: dict[tuple[str, int], Citation] = {}
    parts = []
    for claim, supports in kept:
        marks = []
        for support in supports:
            chunk = passages[support.passage - 1].chunk
            key = (chunk.chunk_id, support.sentence.start)
            if key not in numbers:
                numbers[key] = _citation(len(numbers) + 1, chunk, support.sentence)
            marks.append(f"[{numbers[key].n}]")
        parts.append(_with_marks(claim, "".join(dict.fromkeys(marks))))
    return CheckedAnswer(text=" ".join(parts), citations=list(numbers.values()), dropped=dropped)


def _with_marks(claim: str, marks: str) -> str:
    """Place markers before a closing full stop ("... Thursday [1].") or after the claim."""
    if claim[-1] in ".!?" and not claim.endswith("..."):
        return f"{claim[:-1]} {marks}{claim[-1]}"
    return f"{claim} {marks}"


def _citation(n: int, chunk, sentence: ScoredSentence) -> Citation:
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        title=chunk.title,
        published=chunk.published,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
    )
