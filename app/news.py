"""What makes an answer news-aware: the dates it rests on, list questions, and disagreements.

- `dated_answer()` states the dates of the articles an answer cites ("As of the 17 September 2021
  article (Financial Times): ..."), for questions about time or when a date range was asked for.
- `asks_for_list()`: "Which meetings ...?" wants one cited line per article, not one sentence.
- `conflicting_values()`: the dates, days and numbers two sentences disagree on, when both answer
  the same question from different articles.
"""

import re

from pydantic import BaseModel

from app.citations import Citation
from retrieval.search import Passage
from retrieval.temporal import format_date
from retrieval.terms import content_terms

_LIST = re.compile(
    r"^\s*(?:which|what|list|name)\s+(?:\w+\s+)?(?:meetings|summits|events|talks|visits|"
    r"articles|reports|stories|gatherings|conferences)\b|"
    r"\b(?:each|every|all (?:the|of the)?) (?:article|report|stor(?:y|ies)|meeting|summit)s?\b",
    re.I,
)
_WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH = r"January|February|March|April|May|June|July|August|September|October|November|December"
_VALUES = {  # kinds of value two reports of one fact can disagree on
    "weekday": re.compile(rf"\b({_WEEKDAY})\b"),
    "month": re.compile(rf"\b({_MONTH})\b"),
    "year": re.compile(r"\b(1[89]\d\d|20\d\d)\b"),
    "number": re.compile(
        r"\b(?!(?:1[89]|20)\d\d\b)(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|"
        r"eleven|twelve)\b(?![-–]\w)"
    ),
}
_ASKS = [  # what a question asks for -> the kinds of value that answer it
    (re.compile(r"\b(which|what) day\b|\bday of the week\b", re.I), ("weekday",)),
    (re.compile(r"\b(which|what) (year|month)\b", re.I), ("year", "month")),
    (re.compile(r"\bwhen\b|\b(which|what) date\b", re.I), ("weekday", "month", "year")),
    (re.compile(r"\bhow (many|much)\b|\bwhat number\b", re.I), ("number",)),
]
SUBJECT_SHARE = 1 / 3  # of the question's key words, each of two sentences on one subject holds


class DatedSource(BaseModel):
    """An article an answer rests on, with its date as a reader should take it."""

    doc_id: str
    outlet: str | None
    title: str | None = None  # the title's first words, for an article without an outlet
    n: int = 0  # the number of its first citation in the answer
    date: str  # "17 September 2021", "2024 (inferred)", "date unknown"


def asks_for_list(question: str) -> bool:
    """Whether the question wants every matching item ("Which meetings took place in ...?")."""
    return bool(_LIST.search(question))


def compares_things(question: str) -> bool:
    """A list question, or one comparing several things ("A or B", "between A and B")."""
    return asks_for_list(question) or bool(re.search(r"\b(or|between|and the)\b", question))


def conflicting_values(question: str, first: str, second: str) -> tuple[set, set] | None:
    """The values of the kind the question asks for (a weekday for "which day", a number for
    "how many"...) that two answers give, when both give some and share none; else None."""
    kinds = next((kinds for asks, kinds in _ASKS if asks.search(question)), ())
    for kind in kinds:
        asked = set(_VALUES[kind].findall(question))
        mine = set(_VALUES[kind].findall(first)) - asked
        theirs = set(_VALUES[kind].findall(second)) - asked
        if mine and theirs and not mine & theirs:
            return mine, theirs
    return None


def dated_sources(citations: list[Citation], passages: list[Passage]) -> list[DatedSource]:
    """The cited articles in order of first citation, each with its date."""
    outlets = {p.chunk.doc_id: p.chunk.outlet for p in passages}
    sources = {}
    for c in citations:
        if c.doc_id not in sources:
            outlet = outlets.get(c.doc_id)
            sources[c.doc_id] = DatedSource(
                doc_id=c.doc_id, outlet=outlet, title=c.short_title(), date=c.article_date, n=c.n
            )
    return list(sources.values())


def dated_answer(
    answer: str, sources: list[DatedSource], citations: list[Citation], lead: bool = True
) -> str:
    """The answer with the dates it rests on: the article's date as a lead-in (after the answer
    when it must `lead` with its short answer; several articles: a last line), and what its
    relative dates ("on Thursday", "last year") resolve to."""
    if not sources:
        return answer
    if resolved := _resolved_dates(citations):
        answer = f"{answer} ({resolved})"
    if len(sources) == 1 and not lead:  # its quote's citation names the article already
        date = sources[0].date
        return answer if date == "date unknown" else f"{answer}\nAs of {date}."
    if len(sources) == 1:
        return f"As of {_label(sources[0])}: {answer}"
    listed = "; ".join(f"{s.date} [{s.n}]" for s in sources)  # the sources list names them
    return f"{answer}\nDates: {listed}."


def _resolved_dates(citations: list[Citation]) -> str:
    """ "Thursday [1]: 4 July 2024, inferred" for each relative date the quotes mention."""
    notes = {}
    for citation in citations:
        for mention in citation.dates_in_quote:
            if mention.date and not re.search(r"\d{4}", mention.text):
                mark = ", inferred" if mention.inferred else ""
                key = f"{mention.text} [{citation.n}]"
                notes.setdefault(key, f"{key}: {format_date(mention.date)}{mark}")
    return "; ".join(notes.values())


def _label(source: DatedSource) -> str:
    """ "the Financial Times article of 17 September 2021", "the Press TV article (not before 3
    July 2024, inferred)", "the article “Putin, Jiang Meet With Leaders …” (date unknown)"."""
    outlet = re.sub(r"^the\s+", "", source.outlet or "", flags=re.I)
    named = f"“{source.title}”" if source.title else source.doc_id
    name = f"the {outlet} article" if outlet else f"the article {named}"
    if source.date.endswith("(inferred)"):
        return f"{name} ({source.date.removesuffix(' (inferred)')}, inferred)"
    return (
        f"{name} ({source.date})" if source.date == "date unknown" else f"{name} of {source.date}"
    )


def disagreement(question: str, first: str, second: str) -> tuple[set, set] | None:
    """The differing values (see `conflicting_values`) of two sentences that speak of the
    question's subject; None when they agree or speak of different things."""
    wanted = subject_terms(question)
    if not shared_subject(content_terms(first), content_terms(second), wanted):
        return None
    return conflicting_values(question, first, second)


def subject_terms(question: str) -> set[str]:
    """The question's key words less those that only ask for a kind of value ("which day")."""
    for asks, _ in _ASKS:
        question = asks.sub(" ", question)
    return content_terms(question)


def shared_subject(first: set[str], second: set[str], question: set[str]) -> bool:
    """Whether two sentences speak of the question's subject: each holds a share of its key
    words."""
    if not question:
        return False
    return min(len(first & question), len(second & question)) >= SUBJECT_SHARE * len(question)
