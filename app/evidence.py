"""When the passages cannot answer: the question's distinctive words they never hold, or the
thing a "why" question takes for granted.

The words that count are the question's names, numbers, years and common nouns, the asked-for
noun ("which country") and words that only point at the articles ("report", "story") left
out; verbs are left out too, since a passage says "attended" where the question says
"represented". Each word weighs its rarity in the whole index. A name counts as present in a
demonym's form ("Pakistani" for "Pakistan"); a year counts as present when a passage's article
is of that year or the passage mentions a date in it.
"""

from app.mentions import folded, mentions, name_words
from app.nations import governed_from, spellings
from app.nlp import parse
from app.reading import (
    DocumentFrequencies,
    RankedSentence,
    passage_terms_of,
    rarity,
)
from app.rewrite import as_asked
from app.understanding import AnswerType, QuestionAnalysis, is_question_word
from retrieval.search import Passage
from retrieval.terms import content_terms
from retrieval.timefilter import without_time_words

# nouns that point at the articles or the question itself, not at what it is about
META_NOUNS = set(
    [
        "article",
        "articles",
        "report",
        "reports",
        "story",
        "stories",
        "coverage",
        "news",
        "piece",
        "source",
        "sources",
        "text",
        "question",
        "answer",
        "name",
        "kind",
        "type",
        "way",
        "thing",
        "time",
        "mention",
        "detail",
        "place",
    ]
)
_KEY_POS = ("PROPN", "NOUN", "NUM")
# nouns that, between a preposition and "of", only make a preposition ("on behalf of Iran",
# "in the wake of", "in spite of"): the topic is what follows "of"
_PREPOSITION_NOUNS = frozenset(
    ["behalf", "lieu", "spite", "sake", "front", "wake", "midst", "favour", "favor", "regard"]
)


def key_words(analysis: QuestionAnalysis) -> dict[str, str]:
    """The question's distinctive words: content term -> the word as the question writes it."""
    found: dict[str, str] = {}
    for token in parse(without_time_words(analysis.question)):
        lemma = token.lemma_.lower()
        if token.pos_ not in _KEY_POS or lemma in META_NOUNS or lemma == analysis.focus:
            continue
        if lemma in _PREPOSITION_NOUNS and any(c.lower_ == "of" for c in token.children):
            continue
        for term in content_terms(token.text):
            found.setdefault(term, token.text)
    return found


def missing_share(
    analysis: QuestionAnalysis,
    passages: list[Passage],
    frequencies: DocumentFrequencies | None,
) -> tuple[float, list[str]]:
    """The weight share of the question's key words that no passage holds, and those words."""
    words = key_words(analysis)
    if not words:
        return 0.0, []
    weight = rarity(set(words), frequencies)
    present = set().union(*(passage_terms_of(p) for p in passages))
    years = passage_years(passages)
    missing = [t for t in words if not _present(t, words[t], present, years)]
    share = sum(weight[t] for t in missing) / (sum(weight.values()) or 1.0)
    return share, [words[t] for t in missing]


def passage_years(passages: list[Passage]) -> set[str]:
    """The years the passages' articles are of, and those of the dates they mention."""
    years = set()
    for passage in passages:
        chunk = passage.chunk
        for value in (chunk.article_date.earliest, chunk.article_date.latest):
            if value:
                years.add(value[:4])
        years.update(m.date[:4] for m in chunk.events if m.date)
    return years


def _present(term: str, word: str, present: set[str], years: set[str]) -> bool:
    if term in present:
        return True
    if len(word) == 4 and word.isdigit():
        return word in years
    if word[:1].isupper() and len(term) >= 4:  # "Pakistani" / "Pakistan", "Uzbek" / "Uzbekistan"
        return any(p.startswith(term[:-1]) or term.startswith(p) for p in present if len(p) >= 4)
    return False


def unsupported_premise(analysis: QuestionAnalysis, ranked: list[RankedSentence]) -> list[str]:
    """The verbs of a "why" question, when no passage sentence holds any of them: "Why did Xi
    boycott the summit?" asks the reason for something the articles never say happened. Only
    the question as asked counts, not a follow-up's context. (A verb held in a sentence about
    someone else counts as held: the articles' own wording may be far from the question's.)"""
    if analysis.answer_type != AnswerType.REASON:
        return []
    asked = as_asked(analysis.question)
    verbs = [t.lemma_.lower() for t in parse(asked) if t.pos_ == "VERB"]
    verbs = [v for v in dict.fromkeys(verbs) if v in analysis.predicate]
    stems = set().union(*(content_terms(v) for v in verbs))
    held = set().union(*(r.terms for r in ranked))
    if not stems or any(_related(stem, term) for stem in stems for term in held):
        return []
    return verbs


def _related(first: str, second: str) -> bool:
    """The same stem, or one a prefix of the other of 5 letters or more ("apologis" and
    "apolog", "critic" and "criticis")."""
    short, long = sorted((first, second), key=len)
    return short == long or len(short) >= 5 and long.startswith(short)


_NAMES = {"PERSON", "ORG", "FAC", "GPE", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART"}


def missing_names(analysis: QuestionAnalysis, passages: list[Passage]) -> list[str]:
    """The names of two words or more in the question as asked ("Costa Concordia", "Joe
    Biden") of which no passage, its title or its outlet holds a single word: the articles
    found are about something else."""
    asked = as_asked(analysis.question)
    present = set().union(*(passage_terms_of(p) for p in passages))
    names = [e for e in parse(asked).ents if e.label_ in _NAMES and len(e) >= 2]
    return [e.text for e in names if (terms := content_terms(e.text)) and not terms & present]


_DEMONYMS = {"NORP"}


def asked_names(analysis: QuestionAnalysis) -> dict[str, list[str]]:
    """The names the question as asked is about ("CSTO", "WhatsApp", "Dushanbe", "Armenian"),
    those an answer's articles must name too, each with the other ways an article may write
    it: a demonym by its country ("British": UK, United Kingdom), a capital that stands for
    its government by its country ("Washington's proposed ...": the U.S.). A name too short to
    tell apart ("US", "UN") is left out, and so is a demonym that names no country ("Dutch",
    which `app.nations` does not know); a question in several parts names things each part's
    answer need not."""
    if analysis.parts > 1:
        return {}
    names: dict[str, list[str]] = {}
    for entity in map(_without_possessive, parse(as_asked(analysis.question)).ents):
        wanted = entity.label_ in _NAMES | _DEMONYMS and not is_question_word(entity)
        if not wanted or not name_words(entity.text):
            continue
        others = spellings(entity.text)
        if entity.label_ in _DEMONYMS and not others:
            continue
        if len(entity) == 1 and (country := governed_from(entity.root)):
            others += [country, *spellings(country)]
        names.setdefault(entity.text, others)
    return names


def _without_possessive(entity):
    """The entity without a trailing "'s": "New Delhi's Karol Bagh" asks about New Delhi."""
    if len(entity) < 2 or entity[-1].tag_ != "POS":
        return entity
    end = entity[-2].idx + len(entity[-2])
    return entity.doc.char_span(entity.start_char, end, label=entity.label_)


class NamedWith:
    """Whether a candidate answer may answer: some of the `articles` (the retrieved ones'
    whole texts) that name it name, between them, every one of the question's `names`. "US$1
    billion" for "How much did Facebook pay for WhatsApp?" comes from an article on Instagram
    that never says WhatsApp; "four" for "How many heads of state came to the summit in
    Dushanbe?" from one on another summit. `unnamed` keeps the names a refused candidate's
    articles lacked, for the abstention's reason."""

    def __init__(self, names: dict[str, list[str]], articles: list[str]) -> None:
        self.names = list(names)
        self.articles = articles
        self.held = {
            name: [any(mentions(n, text) for n in [name, *others]) for text in articles]
            for name, others in names.items()
        }
        self.unnamed: list[str] = []
        self._memo: dict[str, bool] = {}

    def __call__(self, span: str) -> bool:
        if span not in self._memo:
            naming = [i for i, text in enumerate(self.articles) if _says(span, text)]
            lacking = [n for n in self.names if not any(self.held[n][i] for i in naming)]
            self.unnamed += [n for n in lacking if n not in self.unnamed]
            self._memo[span] = not lacking
        return self._memo[span]


def _says(span: str, text: str) -> bool:
    """Whether `text` holds the candidate answer: a number or an amount whole ("US$1 billion"
    is not in "US$19 billion"), a name as `mentions` finds it (the surname alone too)."""
    if any(c.isdigit() for c in span):
        return folded(span) in folded(text)
    return mentions(span, text)
