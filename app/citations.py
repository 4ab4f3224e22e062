"""The citation check applied to every draft answer, whichever model wrote it.

A draft is split into claims (sentences with their `[n]` markers). Markers that name no given
passage are stripped. Each claim keeps the cited passages whose sentences support it lexically
(share of the claim's content words found in one passage sentence); a claim none of its citations
supports is re-cited to the passage that does, or dropped. Citations are then renumbered in order
of first use, each with the exact supporting sentence of its chunk as `quote`.
"""

import re
from collections.abc import Callable

import numpy as np
from pydantic import BaseModel

from app.injection import is_injection
from retrieval.search import Passage, ScoredSentence
from retrieval.sentences import split_sentences
from retrieval.temporal import DateMention, describe
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
    article_date: str = "date unknown"  # "17 September 2021", "2024 (inferred)", ...
    dates_in_quote: list[DateMention] = []  # dates the quote mentions, resolved where possible
    copies: list[str] = []  # near-duplicate articles that carry the same passage

    def short_title(self, words: int = 5) -> str | None:
        """The title's first `words` words ("Putin, Jiang Meet With Leaders …"): how an
        article without an outlet is named to a reader, never by its file id."""
        if not self.title:
            return None
        kept = self.title.split()
        return " ".join(kept[:words]) + (" …" if len(kept) > words else "")


class CheckedAnswer(BaseModel):
    """The answer text after the check, its citations, and the claims that were dropped."""

    text: str
    citations: list[Citation]
    dropped: list[str] = []


class _Support(BaseModel):
    passage: int
    sentence: ScoredSentence
    score: float
    supported: bool


Embed = Callable[[list[str]], np.ndarray]
SEMANTIC_SUPPORT = 0.55  # MiniLM cosine of a close paraphrase whose words overlap less


def check_citations(
    draft: str, passages: list[Passage], min_support: float, embed: Embed | None = None
) -> CheckedAnswer:
    """Verify, repair or drop every claim of `draft` against the numbered `passages`.

    A claim is supported by a passage sentence holding `min_support` of its content words, or,
    when `embed` is given, by one that paraphrases it (cosine >= 0.55, half the word share)."""
    kept: list[tuple[int, str, list[_Support]]] = []
    dropped: list[str] = []
    scorer = _Scorer(passages, min_support, embed)
    for line, text in enumerate(draft.splitlines()):
        for claim, cited in split_claims(text):
            supports = _supports(claim, cited, passages, scorer)
            (kept.append((line, claim, supports)) if supports else dropped.append(claim))
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


def _supports(claim: str, cited: list[int], passages: list[Passage], scorer: "_Scorer"):
    """Cited passages that support the claim; else the best other passage that does."""
    if not content_terms(claim):
        return []
    valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
    found = [s for n in valid if (s := scorer.best(claim, n)).supported]
    if found:
        return found
    others = [scorer.best(claim, n) for n in range(1, len(passages) + 1)]
    best = max(others, key=lambda s: s.score, default=None)
    return [best] if best and best.supported else []


class _Scorer:
    """Scores claims against passage sentences: word overlap, plus cosine when `embed` is set."""

    def __init__(self, passages: list[Passage], min_support: float, embed: Embed | None):
        self.sentences = [p.sentences or _whole_chunk(p) for p in passages]
        # per sentence, once: its content terms, or None for one that addresses a model (an
        # injection), which supports nothing
        self.sentence_terms = [
            [None if is_injection(s) else content_terms(s.text) for s in group]
            for group in self.sentences
        ]
        self.min_support = min_support
        self.embed = embed
        self._vectors: list[np.ndarray] | None = None
        self._claims: dict[str, np.ndarray] = {}
        self.passage_terms = [
            content_terms(f"{p.chunk.title or ''} {p.chunk.text}") for p in passages
        ]

    def best(self, claim: str, n: int) -> _Support:
        terms = content_terms(claim)
        own = self.sentence_terms[n - 1]
        lexical = [0.0 if t is None else coverage(terms, t) for t in own]
        semantic = self._cosines(claim, n) if self.embed else [0.0] * len(lexical)
        scored = [
            (0.0, 0.0, 0.0, s) if t is None else (lex + cos, lex, cos, s)
            for lex, cos, s, t in zip(lexical, semantic, self.sentences[n - 1], own, strict=True)
        ]
        score, lex, cos, sentence = max(scored, key=lambda item: item[0])
        supported = lex >= self.min_support or (
            cos >= SEMANTIC_SUPPORT and lex >= self.min_support / 2
        )
        supported = supported and names_and_numbers(claim) <= self.passage_terms[n - 1]
        return _Support(passage=n, sentence=sentence, score=score, supported=supported)

    def _cosines(self, claim: str, n: int) -> list[float]:
        if self._vectors is None:
            flat = [s.text for group in self.sentences for s in group]
            matrix = self.embed(flat) if flat else np.zeros((0, 1))
            sizes = np.cumsum([0] + [len(g) for g in self.sentences])
            self._vectors = [matrix[a:b] for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        if claim not in self._claims:
            self._claims[claim] = self.embed([claim])[0]
        return [float(c) for c in self._vectors[n - 1] @ self._claims[claim]]


_NAME_OR_NUMBER = re.compile(r"\b[A-Z][\w’'-]*|\d[\d.,]*(?:st|nd|rd|th)?")
_NOT_A_NAME = re.compile(r"^[A-Z][a-z]+(ing|ed|ly)$")  # "Speaking, ..." opening a sentence


def names_and_numbers(claim: str) -> set[str]:
    """Content terms of the claim's names (capitalised words) and numbers; a passage that
    supports the claim must contain every one of them."""
    found = [m.group() for m in _NAME_OR_NUMBER.finditer(claim.strip())]
    return content_terms(" ".join(w for w in found if not _NOT_A_NAME.match(w)))


def _whole_chunk(passage: Passage) -> list[ScoredSentence]:
    chunk = passage.chunk
    spans = split_sentences(chunk.text, offset=chunk.start)
    return [ScoredSentence(start=s.start, end=s.end, text=s.text, similarity=0.0) for s in spans]


def _renumber(kept, passages: list[Passage], dropped: list[str]) -> CheckedAnswer:
    """Number citations in order of first use; the claims form one paragraph, except that each
    list item of the draft ("- ...") keeps a line of its own."""
    numbers: dict[tuple[str, int], Citation] = {}
    lines: dict[int, list[str]] = {}
    for line, claim, supports in kept:
        marks = []
        for support in supports:
            passage = passages[support.passage - 1]
            key = (passage.chunk.chunk_id, support.sentence.start)
            if key not in numbers:
                numbers[key] = _citation(len(numbers) + 1, passage, support.sentence)
            marks.append(f"[{numbers[key].n}]")
        lines.setdefault(line, []).append(_with_marks(claim, "".join(dict.fromkeys(marks))))
    paragraphs: list[list[str]] = []
    for parts in lines.values():
        if not paragraphs or parts[0].startswith("- "):
            paragraphs.append([])
        paragraphs[-1].extend(parts)
    text = "\n".join(" ".join(parts) for parts in paragraphs)
    return CheckedAnswer(text=text, citations=list(numbers.values()), dropped=dropped)


def _with_marks(claim: str, marks: str) -> str:
    """Place markers before a closing full stop ("... Thursday [1].") or after the claim."""
    if claim[-1] in ".!?" and not claim.endswith("..."):
        return f"{claim[:-1]} {marks}{claim[-1]}"
    return f"{claim} {marks}"


def _citation(n: int, passage: Passage, sentence: ScoredSentence) -> Citation:
    chunk = passage.chunk
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        title=chunk.title,
        published=chunk.published,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        article_date=describe(chunk.article_date),
        dates_in_quote=[m for m in chunk.events if sentence.start <= m.start < sentence.end],
        copies=passage.copies,
    )
