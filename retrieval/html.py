"""HTML pages to the plain text the article cleaner reads.

Scripts, styles, forms, navigation and text hidden from readers are dropped: text a reader cannot
see must not reach an answer. Hidden means the `hidden` or `aria-hidden` attribute, an inline style
that hides (`display:none`, `visibility:hidden`, `font-size:0`, `opacity:0`, white text, clipped
or pushed off-screen, zero height), a screen-reader-only class (`sr-only`, `visually-hidden`, ...)
or a class or id that the page's own `<style>` rules hide. Block elements become paragraphs. The
headline (`<h1>`, else `<title>`) comes first and a stated publication date
(`article:published_time`, `<time datetime>`) follows as a labelled line, so
`cleaning.clean_article` finds both as it does in plain-text captures.

The page is read in one pass over the parsed tree, never modified, so the time grows linearly
with its size (a 10 MB page of 250,000 paragraphs, or 20,000 nested blocks, reads in seconds).
"""

import re

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from retrieval.dates import parse_date

_DROPPED = frozenset(
    ("script", "style", "noscript", "template", "iframe", "svg", "form", "nav", "button", "head")
)
_BLOCKS = frozenset((
    "p", "div", "section", "article", "header", "footer", "main", "aside", "li", "ul", "ol",
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "figcaption", "pre",
))  # fmt: skip
_HIDING = re.compile(  # no two neighbouring quantifiers can match the same text: linear
    r"display\s*:\s*none|visibility\s*:\s*(hidden|collapse)"
    r"|font-size\s*:\s*(0+(\.0*)?|\.0+)(px|em|rem|%|pt)?\s*(;|$|!)"
    r"|opacity\s*:\s*(0+(\.0*)?|\.0+)\s*(;|$|!)"
    r"|(^|;)\s*color\s*:\s*(white|#fff\b|#ffffff\b|rgba?\(\s*255\s*,\s*255\s*,\s*255)"
    r"|clip\s*:\s*rect\(\s*0|clip-path\s*:\s*inset\(\s*50%|(left|top|text-indent)\s*:\s*-\d{3}"
    r"|(^|;)\s*(max-)?(height|width)\s*:\s*0+(px)?\s*(;|$|!)",
    re.I,
)
_HIDDEN_CLASSES = frozenset((
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screen-reader-only",
    "hidden", "d-none", "hide", "invisible", "offscreen", "off-screen", "element-invisible",
))  # fmt: skip
_NAME = re.compile(r"[\w-]+")
_COMBINATOR = re.compile(r"[\s>+~]")
_DATE_META = ("article:published_time", "datePublished", "pubdate", "date", "dc.date")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page: headline, labelled date, then one paragraph per block."""
    soup = BeautifulSoup(markup, "html.parser")
    hidden = _stylesheet_hidden(soup)
    published = _published(soup)
    headline = _headline(soup, hidden)
    body = _block_text(soup, hidden)
    header = [line for line in (headline, f"Published: {published}" if published else "") if line]
    if headline and body.startswith(headline):
        body = body[len(headline) :].lstrip()
    return "\n\n".join(header + [body])


def _stylesheet_hidden(soup: BeautifulSoup) -> set[str]:
    """The classes (".name") and ids ("#name") the page's `<style>` rules hide."""
    hidden: set[str] = set()
    for style in soup.find_all("style"):
        for rule in style.get_text().split("}"):  # split, not a regex: linear on any input
            selectors, _, declarations = rule.partition("{")
            if not _HIDING.search(declarations):
                continue
            for selector in selectors.split(","):
                last = _COMBINATOR.split(selector.strip())[-1]  # ".story .note" hides ".note"
                if last[:1] in (".", "#") and _NAME.fullmatch(last[1:]):
                    hidden.add(last.lower())
    return hidden


def _is_hidden(tag: Tag, hidden: set[str]) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if _HIDING.search(str(tag.get("style", ""))):
        return True
    classes = tag.get("class") or []
    names = {f".{c.lower()}" for c in classes} | {f"#{str(tag.get('id', '')).lower()}"}
    return bool(names & hidden) or any(c.lower() in _HIDDEN_CLASSES for c in classes)


def _headline(soup: BeautifulSoup, hidden: set[str]) -> str | None:
    for tag in (soup.find("h1"), soup.title):
        text = tag.get_text(" ", strip=True) if tag is not None else ""
        if text and not _is_hidden(tag, hidden):
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


def _block_text(soup: BeautifulSoup, hidden: set[str]) -> str:
    """The visible text in document order, blank lines around blocks: an explicit stack, so
    depth costs no recursion and each node is visited once."""
    pieces: list[str] = []
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            pieces.append("\n\n")
        elif type(node) in (NavigableString, CData):
            pieces.append(str(node))
        elif isinstance(node, Tag) and _shown(node, hidden):
            pieces.append("\n" if node.name == "br" else "")
            if node.name in _BLOCKS:
                pieces.append("\n\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    lines = [" ".join(line.split()) for line in "".join(pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _shown(tag: Tag, hidden: set[str]) -> bool:
    return tag.name not in _DROPPED and not _is_hidden(tag, hidden)
