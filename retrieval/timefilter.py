"""Time in questions: the date range and order a question asks for, and which passages fit it.

`time_window()` reads "in 2024", "the 2012 explosion", "before 2010", "after 2020", "since
March 2022", "between 2000 and 2010", "the latest", "the first", "which came first" from a
question. `--since/--until` (CLI) and the chat's date filter give the same `TimeWindow`. A
passage fits a range when its article's date range (stated or inferred) overlaps it, or when it
mentions a date inside it; an article of unknown date fits only through the dates it mentions.
"""

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel

from retrieval.chunking import Chunk
from retrieval.temporal import MONTHS, ArticleDate, DateMention, calendar_bounds

Order = Literal["newest", "oldest"]
_YEAR = r"(1[89]\d\d|20\d\d)"
_MONTH = rf"(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?"  # "January", "Sept."
# "in 2006", "in January 2006", "on 5 March 2006", "on March 5, 2006", "in early 2006"
_IN = re.compile(
    rf"\b(?:in|during|of|from|on) (?:the year |(?:early|late|mid-?)\s*)?"
    rf"(?:(?:\d{{1,2}} )?{_MONTH}(?: \d{{1,2}})?,? (?:of )?)?{_YEAR}\b(?!\s*[–-]\s*\d)",
    re.I,
)
# a year naming an event: "the 2012 explosion", "Tsukiji's 2013 auction" (not "the 2013–14 season")
_ATTRIBUTIVE = re.compile(
    rf"(?:\b(?:the|a|an|its|their|his|her|this|that|which|what)|['’]s)\s+{_YEAR}\s+"
    r"(?!and\b|or\b|to\b)(?=[A-Za-z])",
    re.I,
)
_BEFORE = re.compile(rf"\b(?:before|prior to|until|up to) {_YEAR}\b", re.I)
_AFTER = re.compile(rf"\b(?:after|since|from) {_YEAR}\b(?!\s*[–-])", re.I)
_BETWEEN = re.compile(rf"\bbetween {_YEAR} and {_YEAR}\b", re.I)
_NEWEST = re.compile(r"\b(latest|most recent|newest|last of (?:these|the))\b", re.I)
_OLDEST = re.compile(
    r"\b(earliest|oldest|first of (?:these|the)|(?:came|happened|held|took place|"
    r"occurred) first)\b",
    re.I,
)
_TEMPORAL = re.compile(
    r"\b(when|what (?:year|date|day|month)|which (?:year|date|day|month)|"
    r"how (?:many|long) (?:years|months|days|weeks)|how long|ago|before|after|"
    r"since|until|first|latest|earliest|most recent|(?:19|20)\d\d)\b",
    re.I,
)


class TimeWindow(BaseModel):
    """A date range (either end open) and an order of passages by article date. A strict range
    (`--since/--until`) leaves out passages outside it; a soft one (read from a question, which
    may date only part of what it asks) ranks the passages inside it first."""

    since: date | None = None
    until: date | None = None
    order: Order | None = None
    strict: bool = True

    @property
    def filters(self) -> bool:
        return self.since is not None or self.until is not None

    def merged(self, other: "TimeWindow") -> "TimeWindow":
        """This window narrowed by `other`'s ends, ordered by `other`'s order when it has one."""
        since = max((d for d in (self.since, other.since) if d), default=None)
        until = min((d for d in (self.until, other.until) if d), default=None)
        strict = (self.strict and self.filters) or (other.strict and other.filters)
        return TimeWindow(since=since, until=until, order=other.order or self.order, strict=strict)


def time_window(question: str) -> TimeWindow:
    """The range and order a question asks for (an empty window when it asks for none)."""
    window = TimeWindow(order=_order(question), strict=False)
    if match := _BETWEEN.search(question):
        low, high = sorted(int(y) for y in match.groups())
        return window.model_copy(update={"since": date(low, 1, 1), "until": date(high, 12, 31)})
    if match := _IN.search(question) or _ATTRIBUTIVE.search(question):
        year = int(match.group(1))
        return window.model_copy(update={"since": date(year, 1, 1), "until": date(year, 12, 31)})
    if match := _BEFORE.search(question):
        window.until = date(int(match.group(1)) - 1, 12, 31)
    if match := _AFTER.search(question):
        window.since = date(int(match.group(1)) + (match.group().lower().startswith("after")), 1, 1)
    return window


def _order(question: str) -> Order | None:
    if _NEWEST.search(question):
        return "newest"
    return "oldest" if _OLDEST.search(question) else None


def without_time_words(question: str) -> str:
    """The question less the words that only ask for a date range or an order."""
    for pattern in (_BETWEEN, _IN, _BEFORE, _AFTER, _NEWEST, _OLDEST):
        question = pattern.sub(" ", question)
    return _ATTRIBUTIVE.sub(lambda m: m.group().replace(m.group(1), ""), question)


def asks_about_time(question: str) -> bool:
    """Whether the answer should state the dates it rests on."""
    return bool(_TEMPORAL.search(question))


def article_bounds(article: ArticleDate) -> tuple[date, date] | None:
    """The first and last day the article may have been written on; None when unknown."""
    if not article.known:
        return None
    earliest, latest = (
        calendar_bounds(v) if v else None for v in (article.earliest, article.latest)
    )
    if earliest is None and latest is None:
        return None  # dates stored by an older version that are no dates: unknown
    low = earliest[0] if earliest else date.min
    high = latest[1] if latest else date.max
    if article.inferred and not article.latest:
        high = date.max  # "not before": any later day
    return low, high


def fits(chunk: Chunk, window: TimeWindow) -> bool:
    """Whether the passage's article date or a date it mentions falls in the window's range."""
    return dates_fit(chunk.article_date, chunk.events, window)


def dates_fit(article: ArticleDate, mentions: list[DateMention], window: TimeWindow) -> bool:
    """Whether the article's date range, or one of the dates mentioned, meets the window."""
    if not window.filters:
        return True
    bounds = article_bounds(article)
    if bounds and article.inferred and not article.latest:
        bounds = (bounds[0], bounds[0])  # "not before 3 July 2024" is no evidence of 2030
    if bounds and _overlaps(*bounds, window):
        return True
    return any(date_in_window(m.date, window) for m in mentions if m.date and not m.period)


def date_in_window(value: str, window: TimeWindow) -> bool:
    """Whether an ISO date of any precision meets the window's range (an open window: yes; a
    stored value that is no date: no)."""
    bounds = calendar_bounds(value)
    return bounds is not None and _overlaps(*bounds, window)


def _overlaps(low: date, high: date, window: TimeWindow) -> bool:
    return (window.since or date.min) <= high and low <= (window.until or date.max)


def sort_key(chunk: Chunk) -> date:
    """Where a passage's article stands in time (see `date_order`)."""
    return date_order(chunk.article_date)


def order_key(chunk: Chunk, order: str) -> tuple[bool, int]:
    """The key that sorts passages newest or oldest first, undated articles last either way
    (an unknown date is no evidence of being the latest or the earliest)."""
    day = sort_key(chunk)
    undated = day == date.max
    return undated, -day.toordinal() if order == "newest" else day.toordinal()


def date_order(article: ArticleDate) -> date:
    """Where an article stands in time: its earliest possible day (unknown: last)."""
    bounds = article_bounds(article)
    if bounds is None:
        return date.max
    return bounds[0] if bounds[0] != date.min else bounds[1]
