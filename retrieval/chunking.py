"""Split documents into sentence-aware chunks with stable ids `{doc_id}#{n}`.

Sizes are counted in words. LangChain's recursive splitter breaks at paragraphs first, then at
sentence ends, then at spaces; each chunk keeps its character offsets into the document text and
carries the document's metadata. The same text and settings always give the same chunks and ids.
"""

from retrieval.config import ChunkingConfig
from retrieval.ingest import ArticleMetadata, Document
from retrieval.temporal import DateMention, find_event_dates

SENTENCE_END = r"(?<=[.!?…”\"’'])\s+(?=[A-Z“\"‘'(\d])"


class Chunk(ArticleMetadata):
    """A passage of one document, with its offsets into the document's cleaned text."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    events: list[DateMention] = []  # dates the chunk mentions, offsets into the document text


def word_count(text: str) -> int:
    """Length of a text in whitespace-separated words."""
    return len(text.split())


def chunk_document(document: Document, config: ChunkingConfig) -> list[Chunk]:
    """Cut one document into chunks; ids are `{doc_id}#{n}` numbered from 0 in text order."""
    spans = _merge_short_tail(_piece_spans(document, config), document.text, config)
    mentions = find_event_dates(document.text, document.article_date)
    return [
        _make_chunk(document, n, start, end, [m for m in mentions if start <= m.start < end])
        for n, (start, end) in enumerate(spans)
    ]


def _piece_spans(document: Document, config: ChunkingConfig) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for piece in _splitter(config).split_text(document.text):
        start = document.text.find(piece, cursor)
        if start < 0:  # the splitter only trims whitespace, so this cannot happen for real text
            raise ValueError(f"a chunk of {document.doc_id} was not found in its text")
        cursor = start + 1
        spans.append((start, start + len(piece)))
    return spans


def _merge_short_tail(
    spans: list[tuple[int, int]], text: str, config: ChunkingConfig
) -> list[tuple[int, int]]:
    """Fold a last chunk of under a third of the size into the one before, if that fits."""
    if len(spans) < 2 or word_count(text[slice(*spans[-1])]) >= config.max_words // 3:
        return spans
    merged = (spans[-2][0], spans[-1][1])
    if word_count(text[slice(*merged)]) > config.max_words * 5 // 4:
        return spans
    return spans[:-2] + [merged]


def _make_chunk(
    document: Document, n: int, start: int, end: int, events: list[DateMention]
) -> Chunk:
    return Chunk(
        chunk_id=f"{document.doc_id}#{n}",
        doc_id=document.doc_id,
        text=document.text[start:end],
        start=start,
        end=end,
        events=events,
        **document.metadata(),
    )


def _splitter(config: ChunkingConfig):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=["\n\n", "\n", SENTENCE_END, " "],
        is_separator_regex=True,
        keep_separator=True,
        chunk_size=config.max_words,
        chunk_overlap=min(config.overlap_words, config.max_words // 2),
        length_function=word_count,
        strip_whitespace=True,
    )
