"""What the chat shows under an answer: each cited article, its passage and the quoted span.

`source_views()` maps an answer's citations to the indexed articles: title, outlet, published (or
inferred) date, near-duplicate copies, the cited passage split around the supporting quote (to
highlight it), and the whole cleaned article split the same way. Abstentions get the closest
passages, with nothing highlighted.
"""

from pydantic import BaseModel

from app.answering import AnswerResult
from app.citations import Citation
from retrieval.index import LoadedIndex, StoredChunk
from retrieval.ingest import Document
from retrieval.temporal import describe


class Marked(BaseModel):
    """A text cut around one highlighted span (`marked` may be empty)."""

    before: str
    marked: str = ""
    after: str = ""


class SourceView(BaseModel):
    """One numbered source as the sources panel shows it."""

    n: int
    doc_id: str
    title: str | None
    outlet: str | None
    published: str | None
    date: str = "date unknown"  # the published date, or the inferred one marked so
    copies: list[str] = []  # near-duplicate articles carrying the same passage
    passage: Marked
    article: Marked

    def heading(self) -> str:
        parts = [self.title or self.doc_id, self.outlet or "outlet unknown", self.date]
        also = f" · also in {', '.join(self.copies)}" if self.copies else ""
        return f"[{self.n}] " + " · ".join(parts) + also


def source_views(result: AnswerResult, index: LoadedIndex) -> list[SourceView]:
    """The sources panel of an answer: its citations, or the closest passages if it abstained."""
    if result.abstained:
        found = [index.chunks.by_chunk_id(p.chunk_id) for p in result.passages]
        return [_view(n, chunk, index) for n, chunk in enumerate(found, 1) if chunk is not None]
    return [
        _view(c.n, chunk, index, c)
        for c in result.citations
        if (chunk := index.chunks.by_chunk_id(c.chunk_id)) and c.doc_id in index.documents
    ]


def _view(n: int, chunk: StoredChunk, index: LoadedIndex, cite: Citation | None = None):
    document: Document = index.documents[chunk.doc_id]
    start, end = (cite.start, cite.end) if cite else (chunk.start, chunk.start)
    return SourceView(
        n=n,
        doc_id=chunk.doc_id,
        title=document.title,
        outlet=document.outlet,
        published=document.published,
        date=describe(document.article_date),
        copies=cite.copies if cite else [],
        passage=_cut(document.text, chunk.start, chunk.end, start, end),
        article=_cut(document.text, 0, len(document.text), start, end),
    )


def _cut(text: str, lo: int, hi: int, start: int, end: int) -> Marked:
    """`text[lo:hi]` split around `text[start:end]` (clamped to the window)."""
    start, end = max(lo, min(start, hi)), max(lo, min(end, hi))
    return Marked(before=text[lo:start], marked=text[start:end], after=text[end:hi])
