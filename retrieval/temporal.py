"""Dates in news text: when an article was written, and the dates of the events it mentions.

Dates are ISO strings of the precision the text gives: `2024`, `2024-12` or `2024-07-03`.
- `infer_article_date()`: for an article whose page states no publication date, the range it was
  written in, from its content (a copyright year; the latest date it mentions; a "Last Updated"
  banner), always marked inferred and with the evidence. Nothing found: unknown, never guessed.
- `find_event_dates()`: every date an article mentions, absolute ("in 2001", "Oct. 14, 2022") or
  relative ("on Thursday", "last year", "in May"), resolved against the article's date when that
  date is precise enough; a relative date resolved against an inferred article date is inferred.
"""

import calendar
import re
from datetime import date, timedelta

from pydantic import BaseModel

from retrieval.dates import parse_date

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PATTERNS = [
    (
        "day",
        re.compile(
            rf"\b(?P<month>{_MONTH}) (?P<day>\d{{1,2}})(?:\s*[–-]\s*\d{{1,2}})?"
            rf"(?:,? (?P<year>{_YEAR}))?\b"
        ),
    ),
    ("day", re.compile(rf"\b(?P<day>\d{{1,2}}) (?P<month>{_MONTH}) (?P<year>{_YEAR})\b")),
    ("iso", re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b")),
    ("month", re.compile(rf"\b(?P<month>{_MONTH}) (?P<year>{_YEAR})\b")),
    ("month", re.compile(rf"\b(?:in|since|until|by|from|early|late|mid-) (?P<month>{_MONTH})\b")),
    ("range", re.compile(rf"\b(?P<year>{_YEAR})\s*[–-]\s*(?P<year2>{_YEAR})\b")),
    ("year", re.compile(rf"\b(?P<year>{_YEAR})\b")),
    (
        "weekday",
        re.compile(
            r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday)\b"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>(?:last|this|next|past) (?:year|month)|yesterday|today|"
            r"tomorrow|(?P<count>\d+|two|three|four|five|ten|twenty) years ago)\b",
            re.I,
        ),
    ),
]
_FUTURE = re.compile(
    r"\b(will|is set to|are set to|is due|are due|is expected|are expected|"
    r"plans? to|scheduled|upcoming|next|until|through)\b",
    re.I,
)
_COPYRIGHT = re.compile(rf"(?:copyright|©)\s*(?:©\s*)?(?P<year>{_YEAR})", re.I)
_UPDATED = re.compile(r"(?:last )?updated\s*:?\s*(?P<when>[\w/,. -]{6,30}?\d{4})", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "twenty": 20}


class DateMention(BaseModel):
    """A date a text mentions: as written, where, and resolved (None when it cannot be)."""

    text: str
    start: int
    end: int
    date: str | None
    inferred: bool = False
    period: bool = False  # a span of years ("2026-2030"): its first year is `date`


class ArticleDate(BaseModel):
    """When an article was written: stated, inferred as a range with evidence, or unknown."""

    earliest: str | None = None
    latest: str | None = None
    inferred: bool = False
    evidence: list[str] = []

    @property
    def known(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def anchor(self) -> date | None:
        """The day relative dates are counted from: a stated day, or the earliest inferred day."""
        point = self.earliest if self.earliest == self.latest or self.inferred else None
        return date.fromisoformat(point) if point and len(point) == 10 else None

    def anchor_year(self) -> int | None:
        """The year relative dates are counted in; None when the date is too loose for that."""
        if not self.earliest:
            return None
        loose = self.inferred and len(self.earliest) == 4 and self.earliest != self.latest
        return None if loose else int(self.earliest[:4])


def stated_date(published: str | None) -> ArticleDate:
    """The date a page states, or unknown."""
    return ArticleDate(earliest=published, latest=published) if published else ArticleDate()


def infer_article_date(raw_text: str, text: str) -> ArticleDate:
    """The range an undated article was written in, from its content, marked inferred."""
    found = ArticleDate(inferred=True)
    if copyright_year := _COPYRIGHT.search(raw_text):
        year = copyright_year.group("year")
        return found.model_copy(
            update={"earliest": year, "latest": year, "evidence": [copyright_year.group().strip()]}
        )
    mentions = [
        m
        for m in find_event_dates(text, ArticleDate())
        if m.date and not m.period and not _FUTURE.search(_sentence_around(text, m.start))
    ]
    if mentions:
        latest = max(mentions, key=lambda m: (m.date, len(m.date)))
        found.earliest = latest.date
        found.evidence.append(f"mentions “{latest.text}”")
    if (updated := _UPDATED.search(raw_text)) and (when := parse_date(updated.group("when"))):
        found.latest = when
        found.evidence.append(f"page “{updated.group().strip()}”")
    return found if found.known else ArticleDate()


def find_event_dates(text: str, article: ArticleDate) -> list[DateMention]:
    """Every date `text` mentions, in text order, resolved against the article's date."""
    taken: list[tuple[int, int]] = []
    mentions = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            resolved, inferred = _resolve(kind, match, text, article)
            if resolved is not None and not is_calendar_date(resolved):
                continue  # "August 80", "June 31": no day of the calendar (its year may be)
            taken.append(match.span())
            mentions.append(
                DateMention(
                    text=match.group(),
                    start=match.start(),
                    end=match.end(),
                    date=resolved,
                    inferred=inferred,
                    period=kind == "range",
                )
            )
    return sorted(mentions, key=lambda m: m.start)


def _resolve(kind: str, match: re.Match, text: str, article: ArticleDate):
    groups = match.groupdict()
    if kind == "iso":
        return groups["iso"], False
    if kind in ("year", "range"):
        return groups["year"], False
    month = MONTHS.get(groups.get("month", "").lower().rstrip(".")) if kind != "weekday" else None
    if groups.get("year"):
        value = f"{groups['year']}-{month:02d}"
        return (f"{value}-{int(groups['day']):02d}" if kind == "day" else value), False
    if kind in ("day", "month"):
        ahead = bool(_FUTURE.search(_sentence_around(text, match.start())))
        return _month_in_article_year(month, groups.get("day"), article, ahead), article.inferred
    if kind == "weekday":
        return _weekday(groups["weekday"], _sentence_around(text, match.start()), article)
    return _relative(groups, article), article.inferred


def _month_in_article_year(
    month: int, day: str | None, article: ArticleDate, ahead: bool = False
) -> str | None:
    """A month (and day) with no year: the latest such date on or before a stated article date
    (the first on or after it when the sentence speaks of the future: "will wed on August 5"),
    or, for an inferred earliest date, the first such date on or after it."""
    year = article.anchor_year()
    if year is None:
        return None
    # a year alone (a copyright line): the month in that year; a month or day: the nearest one
    if len(article.earliest) > 4:
        earliest_month = int(article.earliest[5:7])
        if article.inferred or ahead:
            year += month < earliest_month
        else:
            year -= month > earliest_month
    return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")


def _weekday(name: str, sentence: str, article: ArticleDate) -> tuple[str | None, bool]:
    """ "On Thursday": the next one when the sentence speaks of the future, else the nearest one
    (the earlier of two equally near)."""
    anchor = article.anchor()
    if anchor is None:
        return None, False
    offset = (WEEKDAYS[name.lower()] - anchor.weekday()) % 7
    if not _FUTURE.search(sentence) and offset > 3:
        offset -= 7
    return (anchor + timedelta(days=offset)).isoformat(), article.inferred


def _relative(groups: dict, article: ArticleDate) -> str | None:
    rel = groups["rel"].lower()
    anchor, year = article.anchor(), article.anchor_year()
    if rel in ("yesterday", "today", "tomorrow"):
        if anchor is None:
            return None
        return (anchor + timedelta(days={"yesterday": -1, "today": 0}.get(rel, 1))).isoformat()
    if year is None:
        return None
    if rel.endswith("ago"):
        count = groups["count"]
        return str(year - int(_NUMBERS.get(count.lower(), count) if not count.isdigit() else count))
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[rel.split()[0]]
    if rel.endswith("year"):
        return str(year + step)
    if len(article.earliest or "") < 7:
        return None
    first = date(year, int(article.earliest[5:7]), 1)
    month_index = first.year * 12 + first.month - 1 + step
    return f"{month_index // 12}-{month_index % 12 + 1:02d}"


def _sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position)) + 1
    ends = [i for i in (text.find(". ", position), text.find("\n", position)) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def is_calendar_date(value: str) -> bool:
    """Whether an ISO date of any precision names a real year, month or day."""
    return calendar_bounds(value) is not None


def calendar_bounds(value: str) -> tuple[date, date] | None:
    """`date_bounds`, or None for a value that is no date (one an older index stored)."""
    try:
        return date_bounds(value)
    except ValueError:
        return None


def date_bounds(value: str) -> tuple[date, date]:
    """The first and last day an ISO date of any precision covers; ValueError for one that
    is not a date."""
    if not re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", value):
        raise ValueError(f"not an ISO date: {value!r}")
    year = int(value[:4])
    if len(value) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(value[5:7])
    if len(value) == 7:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(value)
    return day, day


def format_date(value: str) -> str:
    """ "2024-07-03" -> "3 July 2024"; "2024-12" -> "December 2024"; "2024" -> "2024"."""
    if len(value) == 4:
        return value
    month = calendar.month_name[int(value[5:7])]
    return f"{int(value[8:10])} {month} {value[:4]}" if len(value) == 10 else f"{month} {value[:4]}"


def describe(article: ArticleDate) -> str:
    """How a person should read an article's date: "3 July 2024", "2024 (inferred)", "date
    unknown", "between 1997 and 27 July 2016 (inferred)"."""
    if not article.known:
        return "date unknown"
    suffix = " (inferred)" if article.inferred else ""
    low, high = article.earliest, article.latest
    if low == high:
        return format_date(low) + suffix
    if low and high:
        return f"between {format_date(low)} and {format_date(high)}{suffix}"
    return (f"not before {format_date(low)}" if low else f"not after {format_date(high)}") + suffix
