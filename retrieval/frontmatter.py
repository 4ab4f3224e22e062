"""Markdown front matter: a `---` block of YAML at the top of a `.md` article ("title:",
"date:", "source:", "author:") read as the article's metadata, not as its text.

Read with `python-frontmatter` (YAML's safe loader); only plain values of the known keys are
kept, so a front matter that is no mapping, or is not YAML at all, leaves the file as it was.
"""

from dataclasses import dataclass

from retrieval.dates import parse_date

MAX_FRONT_MATTER_CHARS = 20_000  # longer: not a front matter, left as text
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "pubdate", "date_published")
_OUTLET_KEYS = ("source", "outlet", "publisher", "site", "site_name")
_AUTHOR_KEYS = ("author", "byline", "by")


@dataclass
class FrontMatter:
    """What a front matter states, and the text after it."""

    body: str
    title: str | None = None
    published: str | None = None  # ISO date
    outlet: str | None = None
    byline: str | None = None


def read_front_matter(text: str) -> FrontMatter:
    """The front matter of a Markdown article, or none (`body` the whole text)."""
    if not text.startswith("---") or "\n---" not in text[:MAX_FRONT_MATTER_CHARS]:
        return FrontMatter(body=text)
    import frontmatter

    try:
        post = frontmatter.loads(text)
    except Exception:  # noqa: BLE001 - YAML errors of every kind: not a front matter
        return FrontMatter(body=text)
    meta = post.metadata if isinstance(post.metadata, dict) else {}
    date = _first(meta, _DATE_KEYS)
    return FrontMatter(
        body=post.content,
        title=_first(meta, _TITLE_KEYS),
        published=parse_date(date) if date else None,
        outlet=_first(meta, _OUTLET_KEYS),
        byline=_first(meta, _AUTHOR_KEYS),
    )


def _first(meta: dict, keys: tuple[str, ...]) -> str | None:
    """The first of `keys` with a plain value (a string, number or date), as one line."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) or hasattr(value, "isoformat"):
            text = " ".join(str(value).split())
            if text:
                return text[:500]
    return None
