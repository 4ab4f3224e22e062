"""Parsing of calendar dates as news pages write them, to ISO `YYYY-MM-DD`."""

import re
from datetime import datetime

_FORMATS = [
    "%Y-%m-%d",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %b %Y",
    "%m/%d/%Y",
]


def parse_date(text: str) -> str | None:
    """Parse one date written on its own ("July 3, 2024", "2024-07-03") to ISO, else None."""
    cleaned = re.sub(r"\s+", " ", text.strip().rstrip(".,;"))
    cleaned = re.sub(r"\b([A-Za-z]{3,9})\.", r"\1", cleaned)  # "Jul. 3" -> "Jul 3"
    cleaned = re.sub(r"^\w+day,?\s+", "", cleaned, flags=re.I)  # leading weekday
    cleaned = re.sub(r"[T ]\d{1,2}:\d{2}.*$", "", cleaned)  # trailing time of day
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None
