"""`python -m app timeline TOPIC`: the events about a topic in date order, each cited.

The passages about the topic are searched as for a question; every sentence of them that mentions
a date it can be resolved to, and speaks of the topic, becomes one event: its date, a one-line
summary (the sentence, shortened) and a citation of the sentence. One sentence can give several
events when it mentions several dates; a date resolved from an inferred article date is marked.
"""

import textwrap

from pydantic import BaseModel

from app.engine import Engine
from retrieval.search import Passage, TimeWindow
from retrieval.temporal import date_bounds, describe, format_date, is_calendar_date
from retrieval.terms import content_terms
from retrieval.timefilter import date_in_window

SUMMARY_CHARS = 160
MIN_SIMILARITY = 0.25  # a sentence this close to the topic speaks of it, whatever its words


class TimelineEvent(BaseModel):
    """One dated event about the topic, with the sentence it comes from."""

    date: str  # ISO, of the precision the text gives
    label: str  # "3 July 2024", "December 2024"
    inferred: bool
    summary: str
    doc_id: str
    chunk_id: str
    outlet: str | None
    article_date: str
    quote: str
    start: int
    end: int


def timeline(engine: Engine, topic: str, k: int = 20, window: TimeWindow | None = None):
    """The dated events of the passages about `topic`, oldest first, each once."""
    passages = engine.search(topic, k, window=window)
    wanted = content_terms(topic)
    events: dict[tuple[str, str], TimelineEvent] = {}
    for passage in passages:
        for event in _events(passage, wanted):
            if window is None or date_in_window(event.date, window):
                events.setdefault((event.date, event.quote), event)
    return sorted(events.values(), key=lambda e: (date_bounds(e.date)[0], len(e.date)))


def _events(passage: Passage, wanted: set[str]) -> list[TimelineEvent]:
    chunk = passage.chunk
    found = []
    for sentence in passage.sentences:
        about = sentence.similarity >= MIN_SIMILARITY or content_terms(sentence.text) & wanted
        dated = [
            m
            for m in chunk.events
            if sentence.start <= m.start < sentence.end and m.date and is_calendar_date(m.date)
        ]
        for mention in dated if about else []:
            found.append(
                TimelineEvent(
                    date=mention.date,
                    label=mention.text if mention.period else format_date(mention.date),
                    inferred=mention.inferred,
                    summary=textwrap.shorten(sentence.text, SUMMARY_CHARS, placeholder=" …"),
                    doc_id=chunk.doc_id,
                    chunk_id=chunk.chunk_id,
                    outlet=chunk.outlet,
                    article_date=describe(chunk.article_date),
                    quote=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                )
            )
    return found


def timeline_text(events: list[TimelineEvent]) -> str:
    """The timeline as lines: date, summary, citation."""
    if not events:
        return "No dated events about this topic in the articles."
    lines = []
    for n, event in enumerate(events, start=1):
        mark = " (inferred)" if event.inferred else ""
        lines.append(f"{event.label}{mark}  {event.summary} [{n}: {event.chunk_id}]")
    return "\n".join(lines)
