"""Candidate short answers: spans of a sentence of the type a question asks for.

A span comes from spaCy's named entities (a PERSON for "who", a GPE that `pycountry` knows for
"which country", a DATE for "when", a CARDINAL for "how many"...). It is a candidate only when
the question does not already contain it, and it scores by how well its type fits and by how
close it stands, in the sentence's dependency tree, to the words the question asks about: in
"Belarus, joined the SCO on Thursday" Belarus is two arcs from "joined"; a country named in
another clause of the sentence is further away.
"""

import re
from functools import lru_cache

from pydantic import BaseModel

from app.mentions import TITLES
from app.nations import (
    asked_nations,
    foreign,
    foreign_elsewhere,
    party_words,
    people_nations,
    same_name,
)
from app.nlp import parse, parse_many
from app.roles import role_unsaid, title_clash, titled_as_named
from app.typefit import WORKS, type_fit
from app.understanding import MONEY_FOCI, PERCENTAGE_FOCI, RELATIONAL, AnswerType, QuestionAnalysis
from retrieval.terms import content_terms


class SpanCandidate(BaseModel):
    """A short answer found in one sentence."""

    text: str
    start: int  # offsets into the sentence text
    end: int
    fit: float  # how well its type fits the question's (0..1)
    closeness: float  # the question's words near it, by weight and arcs (0..1)
    possessive: bool = False  # "Russia" in "Russia's neighbour": rarely the answer
    governed: bool = False  # the question's predicate governs it ("registered in Sierra Leone")
    window: float = 0.0  # weight share of the question's words within a few words of it
    focus_link: bool = False  # attached to the asked noun ("88 votes", "President Aliyev")
    counted: str | None = None  # the noun a number counts, as written ("member states")
    qualified: float = 0.0  # 1 / -1: its own words say / do not say the question's "Pakistani"

    @property
    def prior(self) -> float:
        """A score before any weights are fitted: fit, raised by closeness."""
        return self.fit * (0.5 + self.closeness) * (0.5 if self.possessive else 1.0)


def spans_of_many(
    analysis: QuestionAnalysis, sentences: list[str], weight: dict[str, float] | None = None
) -> list[list[SpanCandidate]]:
    """The spans of each sentence that could answer the question, best first, parsed in one
    batch; `weight` gives each question term's weight (its rarity in the index; 1 each by
    default)."""
    if not analysis.factoid:
        return [[] for _ in sentences]
    weight = weight or dict.fromkeys(analysis.terms, 1.0)
    asked = asked_nations(analysis.question) if analysis.answer_type == AnswerType.PERSON else []
    docs = parse_many(sentences)
    people = people_nations(docs) if asked else []
    person = analysis.answer_type == AnswerType.PERSON and not analysis.role
    question = parse(analysis.question) if person else None  # its offices, read once
    return [_candidates(analysis, doc, weight, asked, people, question) for doc in docs]


def _candidates(
    analysis: QuestionAnalysis,
    doc,
    weight: dict[str, float],
    asked: list[str],
    people: list,
    question=None,
) -> list[SpanCandidate]:
    if analysis.focus in RELATIONAL and not _states_relation(analysis.focus, doc):
        return []  # "the population of ...": only a sentence about a population answers
    names = [t for t in weight if len(t) >= 4]
    anchors = [(t, _matching(t, weight.keys(), names)) for t in doc]
    anchors = [(t, terms) for t, terms in anchors if terms]
    whole = sum(weight.values()) or 1.0
    found = []
    for entity in map(untitled, [*doc.ents, *_titled_works(doc, analysis.focus)]):
        fit = type_fit(analysis, entity)
        if fit <= 0 or _already_asked(entity.text, analysis) or _not_a_name(entity):
            continue
        if _a_dateline(entity):
            continue
        if asked and foreign(party_words(entity), asked):
            continue  # "Chinese President Xi Jinping" for "Who represented Iran?"
        if asked and foreign_elsewhere(entity, people, asked):
            continue  # "Putin and Xi convened" when another sentence says "Chinese President Xi"
        if analysis.holder and role_unsaid(entity, analysis.role):
            continue
        if analysis.role and title_clash(entity, analysis.role, analysis.role_of):
            continue  # "Prime Minister Narendra Modi" for "the foreign minister"
        if question is not None and titled_as_named(entity, question):
            continue  # "Mayor Itō" for "Who was arrested after the mayor was shot?"
        closeness = _closeness(entity.root, anchors, weight) / whole
        possessive = entity.root.dep_ == "poss" and not analysis.question.lower().startswith(
            "whose"
        )
        near = {
            term for t, terms in anchors if abs(t.i - entity.root.i) <= WINDOW for term in terms
        }
        start, end = _trimmed(entity)
        if analysis.answer_type == AnswerType.ENTITY:
            end = _numbered(entity, end)
        found.append(
            SpanCandidate(
                text=doc.text[start:end],
                start=start,
                end=end,
                fit=fit,
                closeness=closeness,
                possessive=possessive,
                governed=_governed(entity.root, analysis),
                window=sum(weight[t] for t in near) / whole,
                focus_link=_linked(entity.root, analysis.focus),
                counted=counted_noun(entity) if analysis.counted else None,
                qualified=_qualified(entity, analysis.qualifier),
            )
        )
    return sorted(found, key=lambda c: c.prior, reverse=True)


_TITLE_JOINERS = {"of", "the", "and", "a", "in", "on", "for", "to"}


def _titled_works(doc, focus: str | None) -> list:
    """Titles right after the asked noun that spaCy's small model leaves unnamed: "Lord of War"
    in "the 2005 film Lord of War" for "Which film ...?"."""
    if focus not in WORKS:
        return []
    from spacy.tokens import Span

    found = []
    for token in (t for t in doc if t.lemma_.lower() == focus):
        end = token.i + 1
        while end < len(doc) and _in_a_title(doc, end):
            end += 1
        if end > token.i + 1 and not any(t.ent_type_ for t in doc[token.i + 1 : end]):
            found.append(Span(doc, token.i + 1, end, label="WORK_OF_ART"))
    return found


def _in_a_title(doc, i: int) -> bool:
    """A capitalised word, or a small word between two of them ("Lord of War")."""
    word = doc[i]
    if word.text[:1].isupper() and word.is_alpha:
        return True
    following = doc[i + 1] if i + 1 < len(doc) else None
    return word.lower_ in _TITLE_JOINERS and following is not None and following.text[:1].isupper()


def _states_relation(focus: str, doc) -> bool:
    """Does the sentence speak of the relation a focus noun names ("population"), in words or,
    for a share, as a percentage ("won 58.45% of the popular vote"), for a sum as money?"""
    if focus in PERCENTAGE_FOCI and any(e.label_ == "PERCENT" for e in doc.ents):
        return True
    if focus in MONEY_FOCI and any(e.label_ == "MONEY" for e in doc.ents):
        return True  # "the deal, worth $30 million" states a value
    return bool(content_terms(focus) & content_terms(doc.text))


WINDOW = 6  # tokens either side of a span that count as its surroundings


def untitled(entity):
    """A name with the title spaCy's small model sometimes takes into it ("Kazakh President
    Kassym-Jomart Tokayev", tagged an organisation) as the person it names; else the entity."""
    from spacy.tokens import Span

    tokens = list(entity)
    last = max((i for i, t in enumerate(tokens) if t.lower_ in TITLES), default=None)
    rest = tokens[last + 1 :] if last is not None else []
    words = [t for t in rest if t.is_alpha]
    if not words or not all(t.text[:1].isupper() for t in words) or len(words) > 4:
        return entity
    return Span(entity.doc, rest[0].i, rest[-1].i + 1, label="PERSON")


def _governed(root, analysis: QuestionAnalysis) -> bool:
    """Whether the question's predicate is the span's head or its head's head, or a title
    attached to it ("summit host ... Tokayev" for "Who was the host?")."""
    lemmas = {content for p in analysis.predicate for content in content_terms(p)}
    titles = [c for c in root.children if c.dep_ in ("compound", "appos", "amod")]
    near = [root.head, root.head.head, *titles]
    return any(content_terms(h.lemma_) & lemmas for h in near if h is not root)


def _qualified(entity, qualifier: str | None) -> float:
    """For "Which Pakistani leader", 1 when the words attached to the span say Pakistan
    ("Prime Minister Shehbaz Sharif of Pakistan", "Pakistan's Sharif"), -1 when they do not;
    0 for a question without such a word. A list's other items are not the span's words."""
    if qualifier is None:
        return 0.0
    return 1.0 if any(same_name(t.text, qualifier) for t in party_words(entity)) else -1.0


def counted_noun(entity) -> str | None:
    """The noun phrase a number counts, as written ("member states" in "10 member states"),
    or None when it counts no noun ("rose to 38")."""
    head = entity.root.head
    if entity.root.dep_ != "nummod" or head.pos_ != "NOUN":
        return None
    words = [c for c in head.children if c.dep_ == "compound" and c.i < head.i] + [head]
    return " ".join(t.text for t in words).lower()


def _linked(root, focus: str | None) -> bool:
    """Whether the asked noun ("votes", "president") is the span's head or a child of it."""
    if not focus:
        return False
    neighbours = [root.head, *root.children]
    return any(t.lemma_.lower() == focus for t in neighbours)


def _matching(token, terms, names: list[str]) -> set[str]:
    """The question terms a sentence token stands for: its own stem, or, for a name, a term
    it shares a stem with ("Pakistan" for "Pakistani", "Uzbekistan" for "Uzbek")."""
    own = content_terms(token.text)
    found = own & terms
    if token.text[:1].isupper() and not found:
        found = {
            n
            for n in names
            for o in own
            if o.startswith(n) or n.startswith(o[: max(4, len(o) - 3)])
        }
    return found


def _closeness(root, anchors, weight: dict[str, float]) -> float:
    """Each question term's weight, divided by 1 + its arcs to the span (its nearest
    occurrence), summed: a span surrounded by the question's rare words scores high."""
    best: dict[str, float] = {}
    for token, terms in anchors:
        near = 1 / (1 + _arcs(root, token))
        for term in terms:
            best[term] = max(best.get(term, 0.0), near * weight[term])
    return sum(best.values())


def _not_a_name(entity) -> bool:
    """Whether the entity is a citation-like "[9]" written in the article, or a person's "name"
    a title-case headline ran on into ("Jiang Meet With Leaders"): a capitalised "With", "And",
    "Of" inside it."""
    text = entity.doc.text
    if text[entity.start_char - 1 : entity.start_char] == "[" and (
        text[entity.end_char : entity.end_char + 1] == "]"
    ):
        return True
    return entity.label_ == "PERSON" and any(t.is_stop and t.is_title for t in entity[1:])


def _a_dateline(entity) -> bool:
    """A place that opens the sentence and runs straight into its first word, as a news site's
    location tag does ("Australia Australian business tycoon died today", "United Kingdom On
    Friday, ..."): where the story happened, not what the sentence says."""
    if entity.start != 0 or entity.label_ not in ("GPE", "LOC"):
        return False
    following = entity.doc[entity.end] if entity.end < len(entity.doc) else None
    return (
        following is not None
        and following.text[:1].isupper()
        and following.lower_ not in TITLES
        and entity.doc.text[entity.end_char : following.idx] == " "
    )


def _a_year(text: str) -> bool:
    digits = text.strip().removeprefix("the ").removesuffix("s")
    return len(digits) == 4 and digits.isdigit()


_CHOICE = re.compile(r"\bor\b", re.IGNORECASE)
_TITLE_TERMS = frozenset(content_terms(" ".join(TITLES)))


def echoes_question(text: str, analysis: QuestionAnalysis) -> bool:
    """Whether an answer only repeats what the question says ("Franczyk" for "Who warned
    councilman David Franczyk?"): every word of it is the question's. Not so for a choice
    ("Adscape or DoubleClick?"), whose answer is one of the names it gives, nor for an answer
    that merely shares a word with a name the question gives ("Justice Javed Iqbal" for "Who
    became acting Chief Justice?", which a candidate span, read without its title, is not). A
    title before a name adds nothing: "Prime Minister Narendra Modi" echoes "Who did Narendra
    Modi send?"."""
    if _CHOICE.search(analysis.question):
        return False
    terms = content_terms(_undotted(text))
    terms = (terms - _TITLE_TERMS) or terms
    undotted, names = _question_terms(analysis.question, tuple(analysis.constraints))
    return not terms or terms <= analysis.terms | undotted | names


def _already_asked(text: str, analysis: QuestionAnalysis) -> bool:
    """Whether the question already names the span: all its words, or a name it shares with
    the question ("Vladimir Putin" does not answer a question about Putin; "the official
    Xinhua news agency" may answer "which news agency"; "London Gatwick Airport" answers
    "Which London airport")."""
    terms = content_terms(_undotted(text))
    undotted, names = _question_terms(analysis.question, tuple(analysis.constraints))
    if not terms or terms <= analysis.terms | undotted:
        return True
    shared = terms & names  # "London" in "London Gatwick Airport" for "Which London airport"
    return bool(shared) and not shared <= content_terms(analysis.qualifier or "")


@lru_cache(maxsize=256)
def _question_terms(question: str, constraints: tuple[str, ...]):
    """The question's terms and its names' terms, initialisms undotted: read once per
    question, not once per candidate span."""
    names = " ".join(constraints)
    return frozenset(content_terms(_undotted(question))), frozenset(content_terms(_undotted(names)))


def _undotted(text: str) -> str:
    """An initialism written with dots as one word: "U.S." -> "US", "U.N." -> "UN"."""
    return re.sub(r"\b[A-Z](?:\.[A-Z])+\.?", lambda m: m.group().replace(".", ""), text)


def _numbered(entity, end: int) -> int:
    """The end of a name with the number that belongs to it ("Falcon 9", "Boeing 787",
    "Apollo 11"): a number of one to four digits right after it, on the same noun."""
    doc = entity.doc
    after = doc[entity.end] if entity.end < len(doc) else None
    if after is None or not after.text.isdigit() or len(after.text) > 4:
        return end
    if after.head != entity.root.head and not entity.start <= after.head.i < entity.end:
        return end
    return after.idx + len(after.text)


def _trimmed(entity) -> tuple[int, int]:
    """The entity's character offsets without a leading article or a trailing possessive."""
    tokens = list(entity)
    while len(tokens) > 1 and tokens[0].lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    opened = [i for i, t in enumerate(tokens) if t.text == "("]
    if opened and opened[0] > 0 and not any(t.text == ")" for t in tokens):
        tokens = tokens[: opened[0]]  # "Shanghai Cooperation Organization (SCO": no "(SCO"
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _arcs(first, second) -> int:
    """The number of dependency arcs between two tokens of one sentence."""
    up = {}
    for steps, token in enumerate([first, *first.ancestors]):
        up[token.i] = steps
    for steps, token in enumerate([second, *second.ancestors]):
        if token.i in up:
            return up[token.i] + steps
    return 12
