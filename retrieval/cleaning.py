"""Turn a noisy web capture of a news article into clean text plus metadata.

Boilerplate (newsletter prompts, "Last Updated" banners, breadcrumbs, share and copyright footers)
is removed line by line; the title, byline, dateline, outlet and published date are read from what
the page states. A date is only taken as the publication date when the page labels it so: a
"Last Updated" banner is page furniture, not a publication date.
"""

import re
import unicodedata
from dataclasses import dataclass

from retrieval.dates import parse_date

_BOILERPLATE = [
    r"^get the latest (updates|news)",
    r"^sign (up|in)\b",
    r"^subscribe\b",
    r"^log ?in to your\b",
    r"^follow us\b",
    r"^share (this|on)\b",
    r"^advertisement$",
    r"^\W*(last )?updated\s*:",
    r"^\W*last updated\b",
    r"\blogo$",
    r"^(www\.|https?://)\S+$",
    r"^read (more|next)\b",
    r"^skip to (main )?content",
]
_FOOTER_START = [
    r"^copyright\b",
    r"^©",
    r"all rights reserved",
    r"^share this article",
    r"can also be accessed at",
    r"^this (news|article|story) has been read",
    r"^kaynak\s*:?$",
    r"^related (articles|stories|coverage)",
    r"^more from\b",
]
_EDITOR_NOTE_MIN_WORDS = 4
_TITLE_MAX_WORDS = 25
_TITLE_PREFIX = re.compile(
    r"^(UPDATE\s*\d*|EXCLUSIVE|BREAKING|ANALYSIS|WRAPUP\s*\d*)\s*[-–—:]\s*", re.I
)
# "Home > World > Asia": crumbs of a few words between separators, matched crumb by crumb (one
# pattern with spaces inside and around the crumbs backtracks exponentially on odd whitespace)
_CRUMB_SEPARATOR = re.compile(r" [/›»>|] ")  # on whitespace folded to single spaces first
_CRUMB = re.compile(r"[\w .&'-]{1,30}")
_BYLINE = re.compile(r"^by\s+([A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,4})$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][A-Za-z.'’ -]+?)?)\s*"
    r"(?:\((?P<agency>[A-Za-z .]{2,12})\)\s*)?(?:--|—|–|-)\s+\S"
)
_PUBLISHED = [
    re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*", re.I),
    re.compile(r"^\s*(?:published|posted|first published)(?:\s+on)?\s*:?\s*(.+?)\s*$", re.I),
]
_COPYRIGHT = re.compile(
    r"(?:copyright|©)\s*(?:©\s*)?(?:\d{4}\s*)?(?P<name>[A-Z][\w&.'’ -]+?)\.?\s*"
    r"(?:all rights reserved|$)",
    re.I,
)
_WEBSITE = re.compile(r"^(?P<name>[A-Z][\w&. -]{1,40}?)[’']s website\b")
_AGENCIES = {
    "AA": "Anadolu Agency",
    "AP": "The Associated Press",
    "AFP": "Agence France-Presse",
    "REUTERS": "Reuters",
    "UPI": "United Press International",
    "DPA": "dpa",
    "XINHUA": "Xinhua",
    "TASS": "TASS",
}
_BRAND_MARKERS = {r"\bmyFT\b": "Financial Times", r"\bpresstv\.": "Press TV"}


@dataclass(frozen=True)
class CleanedArticle:
    """Cleaned article text (title first, paragraphs split by blank lines) and its metadata."""

    text: str
    title: str | None
    outlet: str | None
    published: str | None
    dateline: str | None
    byline: str | None


def clean_article(raw: str) -> CleanedArticle:
    """Clean one article's raw text and read its metadata from what the page states."""
    lines = [_normalise_line(line) for line in _normalise_text(raw).split("\n")]
    published, lines = _take_published(lines)
    outlet = _find_outlet(lines)
    body = [line for line in _cut_footer(lines) if line and not _is_boilerplate(line)]
    title, body = _take_title(body)
    byline, body = _take_byline(body)
    dateline, agency = _find_dateline(body)
    outlet = outlet or _AGENCIES.get((agency or "").upper().replace(".", ""))
    paragraphs = ([title] if title else []) + body
    return CleanedArticle("\n\n".join(paragraphs), title, outlet, published, dateline, byline)


def _normalise_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    return text.replace("\u00a0", " ").replace("\t", " ")


def _normalise_line(line: str) -> str:
    return re.sub(r" {2,}", " ", line).strip()


def _is_breadcrumb(words: list[str]) -> bool:
    if len(words) > 8:
        return False
    crumbs = _CRUMB_SEPARATOR.split(" ".join(words))
    return len(crumbs) >= 2 and all(_CRUMB.fullmatch(c) for c in crumbs)


def _is_boilerplate(line: str) -> bool:
    if not re.search(r"\w", line):
        return True
    if any(re.search(p, line, re.I) for p in _BOILERPLATE):
        return True
    words = line.split()
    if _is_breadcrumb(words):
        return True
    if len(words) >= _EDITOR_NOTE_MIN_WORDS and line.upper() == line and re.search("[A-Z]", line):
        return True
    return len(words) <= 2 and line.islower() and not re.search(r"[.!?]$", line)


def _cut_footer(lines: list[str]) -> list[str]:
    """Drop everything from the first footer marker found in the second half of the page."""
    half = len(lines) // 2
    for i in range(half, len(lines)):
        if any(re.search(p, lines[i], re.I) for p in _FOOTER_START):
            return lines[:i]
    return lines


def _take_published(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find an explicitly labelled publication date in the page header and remove the label."""
    for i, line in enumerate(lines[:8]):
        for pattern in _PUBLISHED:
            match = pattern.match(line)
            if match and (date := parse_date(match.group(1))):
                rest = line[match.end() :].strip() if pattern is _PUBLISHED[0] else ""
                return date, lines[:i] + [rest] + lines[i + 1 :]
    return None, lines


def _find_outlet(lines: list[str]) -> str | None:
    for line in lines:
        match = _COPYRIGHT.search(line)
        if match and len(match.group("name").split()) <= 6:
            return match.group("name").strip()
    for line in lines:
        if match := _WEBSITE.match(line):
            return match.group("name").strip()
    joined = "\n".join(lines)
    return next((name for p, name in _BRAND_MARKERS.items() if re.search(p, joined, re.I)), None)


def _take_title(body: list[str]) -> tuple[str | None, list[str]]:
    """The first line, when it reads like a headline (short, no closing full stop)."""
    if not body:
        return None, body
    first = _TITLE_PREFIX.sub("", body[0]).strip()
    if len(first.split()) > _TITLE_MAX_WORDS or first.endswith(".") or _DATELINE.match(first):
        return None, body
    return first or None, body[1:]


def _take_byline(body: list[str]) -> tuple[str | None, list[str]]:
    for i, line in enumerate(body[:4]):
        if match := _BYLINE.match(line):
            return match.group(1), body[:i] + body[i + 1 :]
    return None, body


def _find_dateline(body: list[str]) -> tuple[str | None, str | None]:
    """The place (and wire agency code) opening the lede, e.g. 'DUSHANBE, Tajikistan --'."""
    for line in body[:4]:
        if match := _DATELINE.match(line):
            place = match.group("place").strip()
            city, _, rest = place.partition(",")
            pretty = city.title() + (f",{rest}" if rest else "")
            return pretty, match.group("agency")
    return None, None
