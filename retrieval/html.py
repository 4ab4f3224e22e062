"""HTML pages to the plain text the article cleaner reads.

Scripts, styles, forms, navigation and elements hidden from readers (`hidden`, `aria-hidden`,
`display:none`, `visibility:hidden`) are dropped: text a reader cannot see must not reach an
answer. Block elements become paragraphs. The headline (`<h1>`, else `<title>`) comes first and a
stated publication date (`article:published_time`, `<time datetime>`) follows as a labelled line,
so `cleaning.clean_article` finds both as it does in plain-text captures.
"""

import re

from bs4 import BeautifulSoup, Tag

from retrieval.dates import parse_date

_DROPPED = ("script", "style", "noscript", "template", "iframe", "svg", "form", "nav", "button")
_BLOCKS = (
    "p", "div", "section", "article", "header", "footer", "main", "aside", "li", "ul", "ol",
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "figcaption", "pre",
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DATE_META = ("article:published_time", "datePublished", "pubdate", "date", "dc.date")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page: headline, labelled date, then one paragraph per block."""
    soup = BeautifulSoup(markup, "html.parser")
    published = _published(soup)
    headline = _headline(soup)
    for tag in soup.find_all(_DROPPED) + soup.find_all(_is_hidden) + soup.find_all("head"):
        if not tag.decomposed:
            tag.decompose()
    body = _block_text(soup)
    header = [line for line in (headline, f"Published: {published}" if published else "") if line]
    if headline and body.startswith(headline):
        body = body[len(headline) :].lstrip()
    return "\n\n".join(header + [body])


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _headline(soup: BeautifulSoup) -> str | None:
    for tag in (soup.find("h1"), soup.title):
        if tag is not None and not _is_hidden(tag) and (text := tag.get_text(" ", strip=True)):
            return text
    return None


def _published(soup: BeautifulSoup) -> str | None:
    for name in _DATE_META:
        meta = soup.find("meta", attrs={"property": name}) or soup.find(
            "meta", attrs={"name": name}
        )
        if meta is not None and (date := parse_date(str(meta.get("content", "")))):
            return date
    time_tag = soup.find("time", attrs={"datetime": True})
    return parse_date(str(time_tag["datetime"])) if time_tag is not None else None


def _block_text(soup: BeautifulSoup) -> str:
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    lines = [" ".join(line.split()) for line in soup.get_text().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
