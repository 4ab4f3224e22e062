"""One entity named two ways: a surname alone, another transliteration, a number whole."""

import pytest

from app.mentions import mentions, name_words, names_fully

SENTENCE = (
    "Besides Putin and Xi, summit host Kazakh President Kassym-Jomart Tokayev and President "
    "Emomali Rakhmon of Tajikistan attended; 10 member states took part."
)


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("Tokayev", True),  # the surname of a longer name
        ("Kassym-Jomart Tokayev", True),
        ("Emomali Rahmon", True),  # another transliteration of Rakhmon
        ("Xi", True),  # short, but written whole
        ("10", True),
        ("Iran", False),
        ("Iraq", False),
        ("President Lukashenko", False),  # a title alone names no one
        ("1", False),  # a digit inside "10" is not it
    ],
)
def test_a_sentence_names_an_entity_written_another_way(name, named):
    assert mentions(name, SENTENCE) is named


def test_titles_and_short_words_do_not_identify_a_name():
    assert name_words("Kazakh President Kassym-Jomart Tokayev") == {
        "kazakh",
        "kassym",
        "jomart",
        "tokayev",
    }
    assert name_words("Prime Minister of Iran") == {"iran"}
    assert name_words("2024") == frozenset()


@pytest.mark.parametrize(
    ("name", "text", "named"),
    [
        ("Emomali Rahmon", "President Emomali Rakhmon of Tajikistan", True),
        ("Oliver Galmo Williams", "a warrant issued by Judge William D. Walsh", False),
        ("Swiss Francs", "Swiss court rules in favor of American account holder", False),
        ("Manchester Airport", "Sri Lanka's only international airport", False),
        ("UN", "the UN said", True),
    ],
)
def test_a_name_is_named_fully_only_by_all_its_identifying_words(name, text, named):
    assert names_fully(name, text) is named
