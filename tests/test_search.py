"""Hybrid retrieval over a real index of the seed articles."""

import pytest

from retrieval.search import MODES

CASES = [
    (
        "Which country joined the SCO at the Astana summit?",
        {"001_f8d36b30d32ee174", "004_c8b71dc69254530b"},
    ),
    (
        "Where will the regional anti-terrorist center of the Shanghai Five be set up?",
        {"000_eb7fae85ced59253"},
    ),
    ("How much economic aid did China promise the Taliban government?", {"002_76736a5005c162cc"}),
    ("When was the first Russia–Central Asia summit held?", {"003_8a3b2beb2ba57f63"}),
    ("Is Turkmenistan a member of the SCO?", {"004_c8b71dc69254530b"}),
    ("Who is the acting president of Iran who attended the summit?", {"001_f8d36b30d32ee174"}),
]


@pytest.mark.parametrize(("question", "sources"), CASES)
def test_hybrid_search_ranks_a_right_article_first(seed_engine, question, sources):
    passages = seed_engine.search(question, k=5)
    assert passages[0].chunk.doc_id in sources
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_finds_the_anti_terrorist_center(seed_engine, mode):
    passages = seed_engine.search("anti-terrorist center in Bishkek", k=3, mode=mode)
    assert "000_eb7fae85ced59253" in [p.chunk.doc_id for p in passages]


def test_passages_carry_sentences_with_offsets_into_their_document(seed_engine):
    index = seed_engine.loaded_index()
    for passage in seed_engine.search("Belarus joined the SCO", k=3):
        text = index.documents[passage.chunk.doc_id].text
        assert passage.sentences
        for sentence in passage.sentences:
            assert text[sentence.start : sentence.end] == sentence.text


def test_a_question_of_stop_words_only_still_gets_dense_results(seed_engine):
    assert len(seed_engine.search("what is it?", k=2)) == 2


def test_bm25_built_chunk_by_chunk_scores_as_bm25s_batch_indexing(seed_engine):
    """The streamed, packed build (memory) must not change a single BM25 score."""
    import bm25s

    from retrieval.index import indexed_text
    from retrieval.lexical import LexicalBuilder, _tokenizer

    chunks = list(seed_engine.loaded_index().chunks)
    texts = [indexed_text(chunk) for chunk in chunks]
    builder = LexicalBuilder()
    for chunk, text in zip(chunks, texts, strict=True):
        builder.add(chunk.vector_id, text)
    streamed = builder.build()
    tokenizer, batch = _tokenizer(), bm25s.BM25()
    batch.index(tokenizer.tokenize(texts, show_progress=False, return_as="tuple"))
    assert streamed.tokenizer.get_vocab_dict() == tokenizer.get_vocab_dict()
    for question, _ in CASES:
        tokens = tokenizer.tokenize([question], update_vocab=False, return_as="tuple")
        rows, scores = batch.retrieve(tokens, k=len(texts), show_progress=False)
        ranked = zip(rows[0], scores[0], strict=True)
        expected = {chunks[r].vector_id: float(s) for r, s in ranked if s > 0}
        assert expected and streamed.search(question, len(texts)) == pytest.approx(expected)
