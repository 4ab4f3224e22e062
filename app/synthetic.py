"""A deterministic synthetic news corpus for benchmarks: the same seed gives the same texts.

Each passage is a short news item (about 90 words, a short chunk) built from templates filled
with invented leaders, places, organisations, topics and dates, drawn with a Zipf-like skew so
that word frequencies look like news (a few names everywhere, most rare). Questions are written
about randomly chosen passages, so every question has passages that answer it.
"""

import random
from collections.abc import Iterator

_SYLLABLES = [
    "ka",
    "lo",
    "mir",
    "za",
    "ten",
    "ra",
    "vo",
    "shi",
    "nek",
    "dar",
    "ul",
    "bek",
    "sa",
    "mon",
    "tor",
    "el",
    "ya",
    "gin",
    "hu",
    "po",
]
_TOPICS = [
    "trade",
    "energy",
    "security",
    "border control",
    "water rights",
    "rail links",
    "grain exports",
    "cyber crime",
    "drug trafficking",
    "tariffs",
    "gas pipelines",
    "migration",
    "climate finance",
    "nuclear safety",
    "port access",
    "fisheries",
]
_VERBS = [
    "met",
    "held talks with",
    "signed an accord with",
    "criticised",
    "welcomed",
    "hosted",
    "called on",
    "warned",
]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SENTENCES = [
    "{a} {verb} {b} in {city} on {date} to discuss {topic}.",
    "The two leaders agreed to set up a joint commission on {topic} based in {city}.",
    "{org} said the talks on {topic} would resume in {month} {year}.",
    "Officials in {city} expect {number} delegations to attend the next round.",
    "{b} said {country} wanted closer ties on {topic} and {topic2}, according to {org}.",
    "Critics in {country} said the accord on {topic2} gave too much to {city}.",
    "The meeting was the {ordinal} between {a} and {b} since {year}.",
    "{org} estimated that {topic} between the two countries was worth {number} million dollars.",
]
_ORDINALS = ["first", "second", "third", "fourth", "fifth"]


class _Vocabulary:
    """Invented names, drawn with a skew: low indexes come up far more often."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = [self._name(2) + " " + self._name(3) for _ in range(400)]
        self.cities = [self._name(3) for _ in range(300)]
        self.countries = [self._name(2) + "ia" for _ in range(80)]
        self.orgs = [f"the {self._name(2).title()} Council" for _ in range(60)]

    def _name(self, parts: int) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(parts)).title()

    def pick(self, items: list[str]) -> str:
        index = min(int(self.rng.paretovariate(1.1)) - 1, len(items) - 1)
        return items[index] if self.rng.random() < 0.5 else self.rng.choice(items)


def _fill(vocab: _Vocabulary, rng: random.Random) -> dict[str, str]:
    year = str(rng.randint(1995, 2025))
    return {
        "a": vocab.pick(vocab.people),
        "b": vocab.pick(vocab.people),
        "city": vocab.pick(vocab.cities),
        "country": vocab.pick(vocab.countries),
        "org": vocab.pick(vocab.orgs),
        "topic": rng.choice(_TOPICS),
        "topic2": rng.choice(_TOPICS),
        "verb": rng.choice(_VERBS),
        "month": rng.choice(_MONTHS),
        "year": year,
        "date": f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {year}",
        "number": str(rng.randint(2, 400)),
        "ordinal": rng.choice(_ORDINALS),
    }


def passages(count: int, seed: int = 7) -> Iterator[str]:
    """`count` news passages of about 90 words, the same for the same seed."""
    rng = random.Random(seed)
    vocab = _Vocabulary(random.Random(seed + 1))
    for _ in range(count):
        slots = _fill(vocab, rng)
        first = _SENTENCES[0].format(**slots)
        rest = rng.sample(_SENTENCES[1:], 5)
        sentences = [first, *(s.format(**slots) for s in rest)]
        yield " ".join(s[0].upper() + s[1:] for s in sentences)


def questions(texts: list[str], count: int, seed: int = 11) -> list[str]:
    """Questions about `count` passages picked at random: who met whom, where, about what."""
    rng = random.Random(seed)
    asked = []
    for text in rng.sample(texts, min(count, len(texts))):
        lead = text.split(" on ", 1)[0]  # "{a} {verb} {b} in {city}"
        topic = text.split("to discuss ", 1)[1].split(".", 1)[0]
        asked.append(f"Where did the talks about {topic} take place when {lead.split(' in ')[0]}?")
    return asked
