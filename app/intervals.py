"""Questions about the years between two events, answered by a difference computed from two
cited dates, never read off a sentence.

"How many years passed between the founding of the SCO and the Astana summit where Belarus
joined?" names two events that no sentence dates together. Each is dated by a question of its own
("When was the founding of the SCO?", "When was the Astana summit where Belarus joined?"),
searched, answered and cited like any other; the answer is the difference of the two years,
"23 years [1, 2]: 2001 [1] to 2024 [2].", with both quotes after it. When either event has no
cited year the question is answered as any other (a sentence may say "20 years after").
"""

import re
from typing import TYPE_CHECKING

from app.compound import merge_parts

if TYPE_CHECKING:  # the merge builds whatever result type it is given
    from app.answering import AnswerResult

_YEARS = r"how many years(?: (?:had |have )?(?:passed|elapsed|went by|gone by))?"
_BETWEEN = re.compile(rf"^{_YEARS} between (?P<first>.+?) and (?P<second>.+?)\W*$", re.I)
_AUXILIARY = r"(?:was|were|did|does|do|is|are|had|has|have)"
_APART = re.compile(
    rf"^{_YEARS} (?:after|before) (?P<first>.+?) (?P<second>{_AUXILIARY} .+?)\W*$", re.I
)
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")


def event_questions(question: str) -> list[str] | None:
    """The two "When ...?" questions that date the events a how-many-years question names,
    or None for any other question."""
    asked = " ".join(question.split())
    if match := _BETWEEN.match(asked):
        return [f"When was {match['first']}?", f"When was {match['second']}?"]
    if match := _APART.match(asked):
        return [f"When was {match['first']}?", f"When {match['second']}?"]
    return None


def years_between(
    question: str, standalone: str, events: "list[AnswerResult]"
) -> "AnswerResult | None":
    """One result from the two events' answers: the years between their cited dates first,
    then both answers under one numbering; None when either has no cited year."""
    years = [_cited_year(event) for event in events]
    if None in years:
        return None
    merged = merge_parts(question, standalone, events)
    (first, n1), (second, n2) = years
    numbers = _merged_numbers(merged, events, (n1, n2))
    span = abs(second - first)
    lead = (
        f"{span} year{'s' if span != 1 else ''} [{numbers[0]}, {numbers[1]}]: "
        f"{first} [{numbers[0]}] to {second} [{numbers[1]}]."
    )
    return merged.model_copy(
        update={
            "answer": f"{lead}\n\n{merged.answer}",
            "claims": f"{lead}\n\n{merged.claims}",
            "short_answer": str(span),
        }
    )


def _cited_year(event: "AnswerResult") -> tuple[int, int] | None:
    """The year an event's answer gives and the number of the citation it comes from: its
    short answer's year, else a date its first quote mentions (resolved: "on Thursday" in an
    article of July 2024 is 2024), else None."""
    if event.abstained or not event.citations:
        return None
    if event.short_answer and (found := _YEAR.search(event.short_answer)):
        holder = next((c for c in event.citations if event.short_answer in c.quote), None)
        return int(found.group()), (holder or event.citations[0]).n
    first = event.citations[0]
    for mention in first.dates_in_quote:
        if mention.date and not mention.period:
            return int(mention.date[:4]), first.n
    return None


def _merged_numbers(merged, events, numbers: tuple[int, int]) -> tuple[int, int]:
    """The two events' citation numbers as the merged answer numbers them."""
    out = []
    for event, n in zip(events, numbers, strict=True):
        cited = next(c for c in event.citations if c.n == n)
        same = next(
            c
            for c in merged.citations
            if (c.chunk_id, c.start, c.end) == (cited.chunk_id, cited.start, cited.end)
        )
        out.append(same.n)
    return out[0], out[1]
