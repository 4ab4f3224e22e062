"""Countries and their peoples: which words name a country, whether a name and a demonym
name the same one ("Pakistan" / "Pakistani"), and whether a person's own words tie them to a
country other than the one a question asks about ("Chinese President Xi Jinping" does not
answer "Who represented Iran?").
"""

from functools import lru_cache

from app.nlp import parse
from app.rewrite import as_asked

# short names pycountry spells otherwise ("Russian Federation", "Iran, Islamic Republic of")
COUNTRY_ALIASES = (
    "russia", "iran", "syria", "vietnam", "laos", "bolivia", "venezuela", "tanzania",
    "moldova", "turkey", "taiwan", "britain", "great britain", "uk", "us", "usa", "america",
    "kosovo", "palestine", "macedonia", "brunei", "vatican", "south korea", "north korea",
    "united states", "czech republic", "ivory coast", "netherlands", "united kingdom",
    "philippines", "gambia", "congo", "east timor", "cape verde", "swaziland", "burma",
)  # fmt: skip


def same_name(word: str, qualifier: str) -> bool:
    """A name and its demonym alike: "Pakistan" / "Pakistani", "China" / "Chinese", "U.S." /
    "US"."""
    one, other = (w.lower().replace(".", "") for w in (word, qualifier))
    if one == other or any(one in group and other in group for group in _SPELLINGS):
        return True
    if min(len(one), len(other)) < 4:
        return False
    return one.startswith(other[: max(4, len(other) - 3)]) or other.startswith(
        one[: max(4, len(one) - 3)]
    )


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    names = set()
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            if value := getattr(country, field, None):
                names.add(value.lower())
                names.add(value.split(",")[0].lower())
    return frozenset(names | set(COUNTRY_ALIASES))


def is_country(name: str) -> bool:
    """Whether `name` is a country's name (pycountry's, or a common short form)."""
    text = " ".join(name.replace("’s", "").replace("'s", "").split()).lower()
    return text.removeprefix("the ") in _countries()


_SPELLINGS = (
    {"us", "usa", "america", "american", "americans", "united states"},
    {"uk", "britain", "great britain", "british", "united kingdom"},
)  # one country, spelled so differently that no prefix tells
_PLACE_PREPOSITIONS = {"in", "at", "near", "to", "from", "across", "around", "inside", "outside"}


def asked_nations(question: str) -> list[str]:
    """The countries and peoples a question asks about as a party ("represented Iran", "Which
    Pakistani leader", "on behalf of Belarus"), not as a place ("the summit in Kazakhstan").
    Only the question as asked counts: a follow-up's context names its topic, not a party."""
    found = []
    for token in parse(as_asked(question)):
        if not _a_nation(token):
            continue
        head = token.head
        if token.dep_ == "pobj" and head.lower_ in _PLACE_PREPOSITIONS:
            continue
        found.append(token.text)
    return found


def foreign(tokens, asked: list[str]) -> bool:
    """Whether the words name some country or people and none of those the question asks
    about: "Russia's President Vladimir Putin" for a question about Iran."""
    nations = [t.text for t in tokens if _a_nation(t)]
    return bool(nations) and not any(same_name(n, a) for n in nations for a in asked)


def _a_nation(token) -> bool:
    if token.ent_type_ == "NORP":
        return token.pos_ in ("ADJ", "PROPN", "NOUN")
    return token.pos_ == "PROPN" and is_country(token.text)  # whatever spaCy's label
