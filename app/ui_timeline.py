"""The chat page's news tools: the date range filter and the timeline of a topic as a chart.

The timeline comes from `app.timeline` (the same as `python -m app timeline`); this module only
lays out the widgets and draws the events with Altair, one point per event, coloured by outlet,
with the one-line summary and citation in the tooltip and the list under the chart.
"""

from datetime import date

import altair as alt
import streamlit as st

from app.engine import Engine
from app.timeline import TimelineEvent, timeline
from app.ui_common import escape
from retrieval.search import TimeWindow
from retrieval.temporal import date_bounds

EARLIEST = date(1900, 1, 1)


def date_filter() -> TimeWindow:
    """The sidebar's date range: off by default; when on, only passages of that range."""
    if not st.checkbox("Only articles or events in a date range", key="date_filter_on"):
        return TimeWindow()
    picked = st.date_input(
        "Date range",
        value=(date(2000, 1, 1), date.today()),
        min_value=EARLIEST,
        max_value=date(2100, 12, 31),
        key="date_range",
    )
    since, until = (
        (tuple(picked) + (None, None))[:2] if isinstance(picked, tuple) else (picked, None)
    )
    return TimeWindow(since=since, until=until)


def timeline_panel(engine: Engine, window: TimeWindow) -> None:
    """An expander with a topic box; the topic's dated events as a chart and a cited list."""
    with st.expander("Timeline of a topic", expanded=False):
        topic = st.text_input("Topic", key="timeline_topic", placeholder="e.g. SCO summits")
        if not topic.strip():
            return
        try:
            events = timeline(engine, topic, window=window)
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
            st.error(escape(f"The timeline cannot be built: {exc}"))
            return
        if not events:
            st.info("No dated events about this topic in the articles.")
            return
        st.altair_chart(timeline_chart(events), width="stretch")
        for n, event in enumerate(events, start=1):
            mark = " (inferred)" if event.inferred else ""
            citation = escape(f"[{n}: {event.chunk_id}]")
            st.markdown(f"**{escape(event.label)}**{mark} — {escape(event.summary)} {citation}")


def timeline_chart(events: list[TimelineEvent]) -> alt.Chart:
    """Events on a time axis, one row per outlet, the summary and citation in the tooltip."""
    rows = [
        {
            "day": date_bounds(e.date)[0].isoformat(),
            "when": e.label + (" (inferred)" if e.inferred else ""),
            "outlet": e.outlet or e.doc_id,
            "summary": e.summary,
            "citation": e.chunk_id,
        }
        for e in events
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_circle(size=120)
        .encode(
            x=alt.X("day:T", title="Date"),
            y=alt.Y("outlet:N", title=None),
            color=alt.Color("outlet:N", legend=None),
            tooltip=["when:N", "summary:N", "citation:N"],
        )
    )
