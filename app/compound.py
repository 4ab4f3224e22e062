"""Questions in several parts: split where a second question begins, each part answered on its
own, the answers joined with one numbering of their citations.

"Which rocket was due to carry the Dragon capsule, and off which country's coast did it splash
down?" asks two things that usually sit in two articles. Searched and read as one question, the
sentences that answer the first part crowd out the second. Split, each part is searched, ranked,
answered (or abstained on) by itself; the second part carries the names of the first ("(about:
SpaceX, Dragon)") so that "it" and "the capsule" still find their story.
"""

import re
from typing import TYPE_CHECKING

from app.citations import MARKER, Citation
from app.nlp import parse
from app.rewrite import ABOUT, as_asked, needs_context
from retrieval.sentences import split_sentences
from retrieval.temporal import MONTHS
from retrieval.timefilter import without_time_words

if TYPE_CHECKING:  # the merge builds whatever result type it is given
    from app.answering import AnswerResult

_WH = r"(?:who|whom|whose|what|which|where|when|why|how)"
_PREPOSITION = r"(?:in|on|at|to|off|from|by|for|of|with|into|against|after|before)"
_SECOND = re.compile(rf"(?:,\s*|;\s*|\s+)and\s+(?={_PREPOSITION}?\s*{_WH}\b)", re.I)
_ASKS = re.compile(rf"\b{_WH}\b", re.I)
_REPEATED_CHARS = 30  # shorter text without a citation may repeat by chance ("in 2009.")
_MIN_WORDS = 4  # a part shorter than "how old was Jobs" is elliptic ("and when?"): not split


def split_question(question: str) -> list[str]:
    """The question's parts, each a question of its own: one part when it asks one thing. A
    follow-up's context ("(about: ...)", from the chat history) goes with every part."""
    question, about, context = question.partition(ABOUT)
    return [f"{part}{about}{context}" for part in _split(question, bool(about))]


def _split(question: str, has_context: bool) -> list[str]:
    match = _SECOND.search(question)
    if match is None:
        return [question]
    first, second = question[: match.start()].strip(), question[match.end() :].strip()
    if not _ASKS.search(first) or min(len(first.split()), len(second.split())) < _MIN_WORDS:
        return [question]
    first = first.rstrip(",;?") + "?"
    second = second[:1].upper() + second[1:]
    if not second.endswith("?"):
        second += "?"
    return [first, second if has_context else _with_names_of(first, second)]


def _with_names_of(first: str, second: str) -> str:
    """The second part with the names of the first it does not repeat, when it leans on the
    first ("he", "the capsule", no name of its own); not the first's dates, which are no
    window for the second."""
    if _names(second) and not needs_context(second):
        return second
    names = [
        name
        for name in _names(first)
        if name.lower() not in second.lower() and not _date_like(name)
    ]
    if not names:  # nothing named: the first part itself, less its dates, says what it is about
        names = [" ".join(without_time_words(first).rstrip("?").split())]
    return f"{second}{ABOUT}{', '.join(names)})"


def _date_like(name: str) -> bool:
    """A number or a month ("January 2009", "1997"): no name to carry into another part."""
    return any(c.isdigit() for c in name) or bool(set(name.lower().split()) & set(MONTHS))


def _names(text: str) -> list[str]:
    """The named entities and proper nouns of a text, in order, without repeats."""
    doc = parse(text)
    found = [e.text for e in doc.ents if e.label_ not in ("ORDINAL", "CARDINAL")]
    found += [t.text for t in doc if t.pos_ == "PROPN" and not any(t.text in f for f in found)]
    return list(dict.fromkeys(found))


def merge_parts(question: str, standalone: str, parts: "list[AnswerResult]") -> "AnswerResult":
    """One result from the parts' results: their answers in order under one citation numbering
    (a quote two parts cite keeps one number), "the articles don't say" for a part that
    abstained, an abstention only when every part did."""
    answered = [p for p in parts if not p.abstained]
    if not answered:
        reasons = "; ".join(p.abstain_reason or "" for p in parts)
        return parts[0].model_copy(
            update={
                "question": question,
                "standalone_question": standalone,
                "abstain_reason": reasons,
            }
        )
    citations: list[Citation] = []
    texts, claims, shorts = [], [], []
    for part in parts:
        if part.abstained:
            texts.append(f"{as_asked(part.question)} The articles don't say.")
            continue
        numbering = _renumber(part.citations, citations)
        text = _unrepeated(_remarked(part.answer, numbering), texts)
        if text:
            texts.append(text)
            claims.append(_remarked(part.claims or part.answer, numbering))
        shorts.append(part.short_answer)
    return answered[0].model_copy(
        update={
            "question": question,
            "standalone_question": standalone,
            "answer": "\n\n".join(texts),
            "claims": "\n\n".join(claims),
            "citations": citations,
            "passages": _union(p.passages for p in parts),
            "short_answer": "; ".join(dict.fromkeys(shorts))
            if all(shorts) and len(shorts) == len(parts)
            else None,
            "confidence": min(p.confidence for p in answered),
            "dates": [d for p in answered for d in p.dates],
            "conflicts": [c for p in answered for c in p.conflicts],
            "fallback": any(p.fallback for p in parts),
        }
    )


def _renumber(mine: list[Citation], merged: list[Citation]) -> dict[int, int]:
    """Append a part's citations to `merged` (one number per quoted span) and return the map
    from the part's numbers to the merged ones."""
    by_span = {(c.chunk_id, c.start, c.end): c for c in merged}
    numbering = {}
    for citation in mine:
        span = (citation.chunk_id, citation.start, citation.end)
        if span not in by_span:
            by_span[span] = citation.model_copy(update={"n": len(merged) + 1})
            merged.append(by_span[span])
        numbering[citation.n] = by_span[span].n
    return numbering


def _remarked(text: str, numbering: dict[int, int]) -> str:
    """The `[n]` markers of a part's answer in the merged numbering."""

    def marker(match: re.Match) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        new = ", ".join(str(numbering.get(n, n)) for n in numbers)
        return f"{match.group(0)[: match.start(1) - match.start(0) - 1]}[{new}]"

    return MARKER.sub(marker, text)


def _unrepeated(text: str, earlier: list[str]) -> str:
    """The part's answer without the sentences an earlier part's answer already says (two
    parts often rest on one quote: it is said once)."""
    said = "\n".join(earlier)
    for span in reversed(split_sentences(text)):
        if span.text in said and (MARKER.search(span.text) or len(span.text) >= _REPEATED_CHARS):
            text = text[: span.start] + text[span.end :]
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _union(groups) -> list:
    seen, out = set(), []
    for group in groups:
        for passage in group:
            if passage.chunk_id not in seen:
                seen.add(passage.chunk_id)
                out.append(passage)
    return out
