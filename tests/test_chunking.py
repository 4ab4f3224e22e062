"""Chunking: sentence-aware sizes, offsets into the cleaned text, stable ids."""

import pytest

from retrieval.chunking import chunk_document, word_count
from retrieval.config import ChunkingConfig
from retrieval.ingest import Document, load_documents
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def documents():
    return load_documents(SEEDS).documents


def test_chunks_point_into_the_cleaned_text_and_carry_metadata(documents):
    for doc in documents:
        chunks = chunk_document(doc, ChunkingConfig())
        assert [c.chunk_id for c in chunks] == [f"{doc.doc_id}#{n}" for n in range(len(chunks))]
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert (chunk.title, chunk.published, chunk.outlet) == (
                doc.title,
                doc.published,
                doc.outlet,
            )


def test_chunk_sizes_stay_in_range_and_end_on_sentences(documents):
    config = ChunkingConfig()
    for doc in documents:
        chunks = chunk_document(doc, config)
        sizes = [word_count(c.text) for c in chunks]
        assert max(sizes) <= config.max_words * 5 // 4
        assert all(size >= 50 for size in sizes), sizes
        assert all(c.text.rstrip('”“"’) ').endswith((".", "?", "!")) for c in chunks[:-1])


def test_neighbouring_chunks_may_overlap_but_cover_the_whole_text(documents):
    for doc in documents:
        chunks = chunk_document(doc, ChunkingConfig())
        assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)
        for before, after in zip(chunks, chunks[1:], strict=False):
            assert after.start <= before.end + 2


def test_rechunking_unchanged_text_gives_the_same_ids_and_spans(documents):
    config = ChunkingConfig()
    for doc in documents:
        first = chunk_document(doc, config)
        again = chunk_document(doc.model_copy(), config)
        assert [(c.chunk_id, c.start, c.end) for c in first] == [
            (c.chunk_id, c.start, c.end) for c in again
        ]


def test_an_article_of_one_long_paragraph_is_cut_at_sentences_with_exact_offsets():
    """LangChain joins merged regex splits with the separator: the pieces must keep their own
    whitespace, or the chunks hold the regex and are not found in the text."""
    sentence = "Officials in Yapoten expect {n} delegations to attend the next round of talks."
    text = " ".join(sentence.format(n=n) for n in range(60))  # one paragraph, about 780 words
    document = Document(doc_id="one", source="one.txt", content_hash="h", text=text)
    chunks = chunk_document(document, ChunkingConfig())
    assert len(chunks) >= 4
    assert all(text[c.start : c.end] == c.text and c.text.endswith(".") for c in chunks)
    assert all(c.start < previous.end for previous, c in zip(chunks, chunks[1:], strict=False))
