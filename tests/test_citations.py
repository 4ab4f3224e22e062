"""The citation check: invented numbers, unsupported claims, re-citing, renumbering."""

import pytest

from app.citations import check_citations, split_claims


@pytest.fixture(scope="module")
def passages(seed_engine):
    return seed_engine.search("Which country joined the SCO at the Astana summit?", k=5)


def number_of(passages, doc_id, phrase):
    for n, passage in enumerate(passages, start=1):
        if passage.chunk.doc_id == doc_id and phrase in passage.chunk.text:
            return n
    raise AssertionError(f"{phrase!r} not retrieved")


def test_split_claims_reads_markers_and_joins_lone_markers():
    claims = split_claims("Belarus joined the SCO [1][3]. It is an ally of Russia. [2, 4]")
    assert claims == [("Belarus joined the SCO.", [1, 3]), ("It is an ally of Russia.", [2, 4])]


def test_a_supported_claim_keeps_its_citation_with_the_exact_quote(seed_engine, passages):
    n = number_of(passages, "001_f8d36b30d32ee174", "Belarus, joined the SCO")
    checked = check_citations(f"Belarus joined the SCO on Thursday [{n}].", passages, 0.5)
    assert checked.text == "Belarus joined the SCO on Thursday [1]."
    [citation] = checked.citations
    document = seed_engine.loaded_index().documents[citation.doc_id]
    assert document.text[citation.start : citation.end] == citation.quote
    assert "Belarus, joined the SCO on Thursday" in citation.quote and citation.verified


def test_invented_citation_numbers_are_removed_and_the_claim_re_cited(passages):
    checked = check_citations("Belarus joined the SCO on Thursday [42].", passages, 0.5)
    assert "[42]" not in checked.text and checked.text.endswith("[1].")
    assert "Belarus" in checked.citations[0].quote


def test_a_wrongly_cited_claim_is_moved_to_the_passage_that_supports_it(passages):
    wrong = number_of(passages, "003_8a3b2beb2ba57f63", "Russia–Central Asia")
    checked = check_citations(f"Belarus joined the SCO on Thursday [{wrong}].", passages, 0.5)
    assert checked.citations[0].doc_id in {"001_f8d36b30d32ee174", "004_c8b71dc69254530b"}


def test_unsupported_claims_are_dropped_and_supported_ones_kept(passages):
    n = number_of(passages, "001_f8d36b30d32ee174", "Belarus, joined the SCO")
    draft = f"Belarus joined the SCO [{n}]. Penguins invaded Antarctica's parliament [{n}]."
    checked = check_citations(draft, passages, 0.5)
    assert checked.text == "Belarus joined the SCO [1]."
    assert checked.dropped == ["Penguins invaded Antarctica's parliament."]


def test_a_fully_unsupported_answer_keeps_no_citation(passages):
    checked = check_citations("The moon is made of cheese [1]. Cats rule Mars [2].", passages, 0.5)
    assert checked.citations == [] and checked.text == "" and len(checked.dropped) == 2


def test_a_paraphrase_is_supported_when_embeddings_are_used(seed_engine, passages):
    claim = "Belarus, an ally of Moscow, became a member of the bloc on Thursday [1]."
    lexical_only = check_citations(claim, passages, 0.5)
    with_embeddings = check_citations(claim, passages, 0.5, seed_engine.embedder.encode)
    assert lexical_only.citations == []
    assert with_embeddings.citations and "Belarus" in with_embeddings.citations[0].quote


def test_a_claim_naming_someone_the_passage_does_not_name_is_dropped(passages):
    n = number_of(passages, "001_f8d36b30d32ee174", "Belarus, joined the SCO")
    checked = check_citations(f"Turkmenistan joined the SCO on Thursday [{n}].", passages, 0.5)
    assert checked.citations == [] and checked.dropped
