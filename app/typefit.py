"""How well a named entity fits the answer a question asks for (`type_fit`): the spaCy labels
that answer each type, and the cases a label alone gets wrong ("which museum" is no state,
"how long" no sum of money, "U.S." in "U.S. Senator Obama" no place where he spoke, "the town
of Vakarai" a town whatever spaCy calls it). `app.spans` finds the candidates; this scores
their type.
"""

import re
from functools import lru_cache

from app.mentions import TITLES
from app.nations import country_of, is_country
from app.understanding import (
    CITY_WORDS,
    FOCUS_TYPES,
    MONEY_FOCI,
    PERCENTAGE_FOCI,
    AnswerType,
    QuestionAnalysis,
    a_person_noun,
)
from retrieval.temporal import MONTHS
from retrieval.terms import content_terms

# entity labels that answer each type, with how well they fit
_LABELS: dict[AnswerType, dict[str, float]] = {
    AnswerType.PERSON: {"PERSON": 1.0, "ORG": 0.4, "NORP": 0.4},
    AnswerType.COUNTRY: {"GPE": 0.6, "NORP": 0.3, "LOC": 0.3},
    AnswerType.PLACE: {"GPE": 1.0, "LOC": 1.0, "FAC": 1.0, "ORG": 0.5},
    AnswerType.ORGANISATION: {"ORG": 1.0, "NORP": 0.7, "PERSON": 0.4, "GPE": 0.2},
    AnswerType.NUMBER: {
        "CARDINAL": 1.0,
        "QUANTITY": 1.0,
        "MONEY": 1.0,
        "PERCENT": 1.0,
        "DATE": 0.4,
        "TIME": 0.4,
    },
    AnswerType.ENTITY: {
        "ORG": 0.8,
        "PERSON": 0.7,
        "GPE": 0.7,
        "LOC": 0.8,
        "FAC": 0.8,
        "NORP": 0.6,
        "PRODUCT": 0.9,
        "EVENT": 0.9,
        "WORK_OF_ART": 0.9,
        "LAW": 0.9,
    },
    AnswerType.DATE: {"DATE": 1.0, "TIME": 0.3},
    AnswerType.DAY: {"DATE": 1.0, "TIME": 0.3},
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTHS = set(MONTHS)  # full and short names, as the date code reads them


def type_fit(analysis: QuestionAnalysis, entity) -> float:
    """How well a spaCy entity fits the answer type (0 when it does not)."""
    wanted = analysis.answer_type
    fit = _LABELS.get(wanted, {}).get(entity.label_, 0.0)
    if analysis.focus in WORKS and entity.label_ in _NOTWORKS:
        return 0.0  # "which film did he inspire": not "Thailand", not "Nicolas Cage"
    if wanted in _NAMED_KINDS and _named_as(entity, analysis.focus):
        return 1.0  # "Fiona Stanley Hospital" for "which hospital", whatever spaCy calls it
    if analysis.focus in CITY_WORDS and _called(entity, analysis.focus):
        return 1.0  # "the town of Vakarai" for "which town", whatever spaCy calls it
    if wanted in _WHERE and _named_like_the_asked(entity, analysis):
        return 0.0  # "the Russia–Central Asia Summit was held" is no place the summit was held
    if wanted == AnswerType.PERSON and _names_a_facility(entity):
        return 0.0  # "Wembley stadium", "Fiona Stanley Hospital": a place named after someone
    if entity.label_ == "PERSON" and _a_people_before_a_noun(entity):
        return 0.0  # "the Ugandan government": spaCy's small model calls "Ugandan" a person
    if wanted == AnswerType.PERSON and entity.label_ == "NORP" and analysis.focus:
        return 0.0  # "which pilot", "the name of the restaurateur": not "Moroccan"
    if wanted == AnswerType.PERSON and entity.label_ != "PERSON" and _names_whose(entity):
        return 0.0  # "the only Common Council member": the council is not the member
    if wanted == AnswerType.PERSON and analysis.role and entity.label_ != "PERSON":
        return 0.0  # an office is held by a person: "the CSTO's secretary general" is no "Taliban"
    if entity.label_ == "NORP" and _adjective(entity):
        return 0.0 if wanted != AnswerType.ENTITY else fit  # "Chinese", "Uzbek": an adjective
    words = {w.strip(".,").lower() for w in entity.text.split()}
    if wanted == AnswerType.COUNTRY and entity.label_ in _MISREAD_COUNTRY:
        if is_country(entity.text):
            return 1.0  # "Armenia joined ...": spaCy often calls a sentence's first word an ORG
        return 0.3 if entity.label_ == "GPE" else fit
    if analysis.focus in _BUILT and entity.label_ in _AREAS:
        return 0.3  # "which airport", "which museum", "which submarine": not "Michigan"
    if wanted == AnswerType.PLACE and entity.label_ == "GPE" and _titles_a_person(entity):
        return 0.3  # "U.S. Senator Obama announces": no place where he announced it
    if analysis.focus in CITY_WORDS and (_a_facility(entity) or entity.label_ == "LOC"):
        return 0.3  # "which town": not "Bandaranaike International Airport", not "the North"
    if wanted == AnswerType.PLACE and entity.label_ == "GPE" and is_country(entity.text):
        return 0.3 if analysis.focus in CITY_WORDS else 0.7
    if wanted == AnswerType.NUMBER and entity.label_ == "CARDINAL" and _asks_an_amount(analysis):
        return 0.3  # "how much did it pay": "$400 million" before "one hundred million"
    if wanted == AnswerType.NUMBER and analysis.focus in MONEY_FOCI:
        return 0.0 if entity.label_ in ("DATE", "TIME", "PERCENT") else fit  # not "one day"
    if wanted == AnswerType.NUMBER and analysis.focus in PERCENTAGE_FOCI:
        return fit if entity.label_ == "PERCENT" else min(fit, 0.3)  # a share: "58.45%"
    if wanted == AnswerType.NUMBER and _asks_a_length(analysis):
        return _length_fit(entity, words)  # "how long did it last": "an hour", not "three"
    if wanted == AnswerType.DAY and entity.label_ == "DATE":
        if _a_duration(words):
            return 0.0  # "in 10 days" is no day
        if words & _WEEKDAYS:
            return 1.0
        return 0.7 if any(w.isdigit() for w in words) else 0.3  # a date, when "which day"
    if wanted == AnswerType.NUMBER and "how old" in analysis.question.lower():
        return 1.0 if _an_age(entity) else 0.0 if entity.label_ == "DATE" else min(fit, 0.3)
    if wanted == AnswerType.NUMBER and entity.label_ == "DATE":
        unit = not analysis.counted or analysis.counted.split()[-1] in _UNITS
        return fit if unit and _a_duration(words) else 0.0  # "14 years", not "December 2024"
    if wanted == AnswerType.NUMBER and _in_a_name(entity):
        return 0.0  # the 5 of "Shanghai 5"
    if analysis.counted and entity.label_ == "QUANTITY" and not _counts(entity, analysis):
        return 0.0  # "how many workers": not "143M pounds"
    if analysis.counted and entity.label_ in ("MONEY", "PERCENT"):
        if entity.label_ == "MONEY" and _a_currency(analysis.counted.split()[-1]):
            return fit  # "how many euros was the fine": "€899 million"
        return 0.0  # "how many people": not "billions of dollars"
    if wanted == AnswerType.DATE and entity.label_ == "DATE":
        return _date_fit(words, analysis.focus)
    return fit


def _counts(entity, analysis: QuestionAnalysis) -> bool:
    """Whether a quantity's unit is what the question counts ("14 km" for "how many km")."""
    counted = content_terms(analysis.counted or "")
    return bool(counted & content_terms(entity.text))


def _names_whose(entity) -> bool:
    """Whether a name qualifies a noun for a person ("Common Council member", "Hamas leader"):
    it says whose member or leader, it is not one."""
    head = entity.root.head
    qualifies = entity.root.dep_ in ("compound", "nmod", "amod") and head.i >= entity.end
    return qualifies and head.pos_ == "NOUN" and _a_person(head.lemma_.lower())


def _a_person(lemma: str) -> bool:
    return FOCUS_TYPES.get(lemma) == AnswerType.PERSON or a_person_noun(lemma)


def _date_fit(words: set[str], focus: str | None) -> float:
    """How well a DATE entity answers "when" (or "what year"): a year, month or weekday fits; a
    bare "77" or "the age of 82" (spaCy's DATE for an age) or "four years" hardly does."""
    year = any(re.search(r"\d{4}", w) for w in words)
    if focus == "year":
        return 1.0 if year else 0.2
    if year or words & (_WEEKDAYS | _MONTHS):
        return 1.0
    if _a_duration(words) or any(w[:1].isdigit() for w in words) or words & _AGE_WORDS:
        return 0.2
    return 0.4  # "last week", "earlier this month"


FACILITIES = {
    "airport", "hospital", "university", "college", "school", "stadium", "prison", "jail",
    "hotel", "mine", "temple", "church", "mosque", "cathedral", "station", "museum", "court",
    "building", "base", "factory", "plant", "camp", "bridge", "port", "harbour", "harbor",
}  # fmt: skip
WORKS = {
    "film", "movie", "book", "novel", "song", "album", "play", "musical", "opera", "documentary",
    "painting", "poem",
}  # fmt: skip
_NOTWORKS = {"GPE", "LOC", "NORP", "FAC", "ORG", "PERSON", "DATE", "TIME", "CARDINAL", "MONEY"}
_CRAFT = {
    "ship", "submarine", "vessel", "boat", "tanker", "ferry", "aircraft", "plane", "airliner",
    "jet", "helicopter", "rocket", "spacecraft", "satellite", "probe", "train",
}  # fmt: skip
_AREAS = {"GPE", "LOC"}
_BUILT = FACILITIES | _CRAFT  # what is named like a facility or a craft
_AGE_WORDS = {"age", "aged", "old"}


def _an_age(entity) -> bool:
    """Whether a number is someone's age, as news writes one: "who is 34", "Steele, 50,",
    "aged 77", "the age of 82", "a 34-year-old", "61 years old" (spaCy calls them dates)."""
    words = {w.lower() for w in entity.text.replace("-", " ").split()}
    if not any(w[:1].isdigit() or w in _NUMBER_WORDS for w in words):
        return False
    if words & _AGE_WORDS:
        return True
    doc = entity.doc
    before = doc[entity.start - 1].lower_ if entity.start else ""
    after = doc[entity.end].lower_ if entity.end < len(doc) else ""
    return before in ("aged", "is", "was") or before == after == ","


def _asks_an_amount(analysis: QuestionAnalysis) -> bool:
    """ "How much did Apple pay?" asks for money or a quantity, not a bare count."""
    asked = not analysis.counted and "how much" in analysis.question.lower()
    return asked or analysis.focus in MONEY_FOCI


def _length_fit(entity, words: set[str]) -> float:
    """How well a number answers "how long": a length of time ("20 years") fully, a quantity
    ("300 km") well; a bare count, a sum of money or a share not at all."""
    if entity.label_ in ("CARDINAL", "MONEY", "PERCENT"):
        return 0.0
    if entity.label_ == "DATE":
        return 1.0 if _a_duration(words) else 0.0
    if entity.label_ == "TIME":  # "two hours", not "06:00"
        return 1.0 if words & _CLOCK_UNITS or _a_duration(words) else 0.0
    return _LABELS[AnswerType.NUMBER].get(entity.label_, 0.0)


def _asks_a_length(analysis: QuestionAnalysis) -> bool:
    """ "How long did it last?" asks for a length of time (or of something), not a count."""
    question = analysis.question.lower()
    return "how long" in question and "how long ago" not in question


_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "dozen", "several",
}  # fmt: skip
_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades"}
_CLOCK_UNITS = {"hour", "hours", "minute", "minutes", "second", "seconds", "night", "nights"}


def _a_duration(words: set[str]) -> bool:
    """Whether a DATE entity's words are a length of time ("14 years", "three-day"), not a
    day, month or year of the calendar."""
    if words & (_WEEKDAYS | _MONTHS) or any(re.search(r"\d{4}", w) for w in words):
        return False
    pieces = {p for w in words for p in w.split("-")}
    counts = any(p[:1].isdigit() or p in _NUMBER_WORDS for p in pieces)
    return counts and bool(pieces & _UNITS)


def _in_a_name(entity) -> bool:
    """Whether a number is part of a proper name ("Shanghai 5")."""
    root = entity.root
    return (
        root.dep_ in ("nummod", "compound") and root.head.pos_ == "PROPN" and (root.head.i < root.i)
    )


_NAMED_KINDS = {AnswerType.PLACE, AnswerType.ORGANISATION, AnswerType.ENTITY}
_MISREAD_COUNTRY = {"GPE", "ORG", "PERSON"}  # labels a country's name is given
_WHERE = {AnswerType.PLACE, AnswerType.COUNTRY}


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    """The units of the world's currencies as a count names them ("euro", "dollar", "rupee"):
    the last word of each name `pycountry` gives, and the pound of "Pound Sterling"."""
    import pycountry

    names = (c.name.lower().split() for c in pycountry.currencies if c.alpha_3[0] != "X")
    return frozenset(name[-1] for name in names) | {"pound"}


def _a_currency(word: str) -> bool:
    """Whether a counted noun is money ("euros", "dollars", "yen")."""
    word = word.lower()
    return word in _currencies() or word.endswith("s") and word[:-1] in _currencies()


def _names_a_facility(entity) -> bool:
    """Whether a name stands before a facility's noun, naming the facility."""
    root = entity.root
    return root.dep_ == "compound" and root.head.lemma_.lower() in _BUILT


def _a_people_before_a_noun(entity) -> bool:
    """Whether a one-word name is a people's, before a noun ("the Ugandan government")."""
    root = entity.root
    return len(entity) == 1 and root.dep_ in ("compound", "amod") and bool(country_of(root.text))


def _adjective(entity) -> bool:
    """Whether a people's name is used as an adjective: "Chinese", or "Central Asian" in
    "Central Asian nations"."""
    return len(entity) == 1 and entity.root.tag_ == "JJ" or entity.root.dep_ == "amod"


def _named_like_the_asked(entity, analysis: QuestionAnalysis) -> bool:
    """Whether a name of two words or more ends in a noun of the question other than the
    asked one ("Russia–Central Asia Summit" for "Where was the summit held?"): it names the
    thing asked about, not where it is."""
    last = entity[-1]
    terms = content_terms(last.text)
    return (
        len(entity) >= 2
        and bool(terms)
        and terms <= analysis.terms
        and last.lemma_.lower() != analysis.focus
    )


def _titles_a_person(entity) -> bool:
    """Whether a place names whose office a person holds ("U.S." in "U.S. Senator Obama",
    "Illinois" in "Illinois Senator Barack Obama"), not where something happened."""
    root = entity.root
    head = root.head
    return root.dep_ in ("compound", "nmod") and (
        head.ent_type_ == "PERSON" or head.lemma_.lower() in TITLES
    )


def _called(entity, focus: str) -> bool:
    """Whether the text names the span as the asked noun: "the town of Vakarai"."""
    doc, start = entity.doc, entity.start
    return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lemma_.lower() == focus


def _a_facility(entity) -> bool:
    """Whether a name is a building or a site, not a settlement ("Bandaranaike International
    Airport", "Henry Ford Museum")."""
    return entity.label_ == "FAC" or entity[-1].lemma_.lower() in FACILITIES - CITY_WORDS


def _named_as(entity, focus: str | None) -> bool:
    """Whether a name of two words or more ends in the asked noun ("Gatwick Airport",
    "Madras University" for "which airport", "which university")."""
    return bool(focus) and len(entity) >= 2 and entity[-1].lemma_.lower() == focus
