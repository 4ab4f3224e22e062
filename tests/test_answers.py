"""Answers from the extractive model over the real seed index: cited, checked, or abstaining."""

from app.answering import NOT_FOUND


def test_belarus_is_answered_with_a_checked_citation_to_an_astana_article(seed_engine):
    result = seed_engine.ask("Which country joined the SCO at the Astana summit?")
    assert not result.abstained and "Belarus" in result.answer
    documents = seed_engine.loaded_index().documents
    for citation in result.citations:
        assert f"[{citation.n}]" in result.answer
        assert documents[citation.doc_id].text[citation.start : citation.end] == citation.quote
    astana = {"001_f8d36b30d32ee174", "004_c8b71dc69254530b"}
    assert any(c.doc_id in astana and "Belarus" in c.quote for c in result.citations)


def test_an_off_topic_question_abstains_and_still_lists_the_closest_passages(seed_engine):
    result = seed_engine.ask("How do I bake sourdough bread?")
    assert result.abstained and result.answer == NOT_FOUND and result.citations == []
    assert len(result.passages) == seed_engine.settings.top_k and result.abstain_reason


def test_a_question_whose_key_words_are_absent_abstains(seed_engine):
    result = seed_engine.ask("In which city is the SCO's permanent secretariat located?")
    assert result.abstained


def test_a_follow_up_is_answered_from_the_history(seed_engine):
    from app.rewrite import ChatTurn

    history = [
        ChatTurn(role="user", content="Where was the 2024 SCO summit held?"),
        ChatTurn(role="assistant", content="It was held in Astana, Kazakhstan [1]."),
    ]
    result = seed_engine.ask("Who hosted it?", history=history)
    assert "Astana" in result.standalone_question
    assert not result.abstained and "Tokayev" in result.answer
