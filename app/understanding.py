"""Question understanding: what kind of answer a question wants, and what an answer must satisfy.

From spaCy's parse of the question: the answer type (person, place, country, organisation,
number, date, day, reason, description, list, yes/no), whether the answer is a short span
(a factoid), the question's predicate (its main verb, or the relational noun of "Who was Putin's
spokesman?") and its constraints (the names, numbers and years it names). The vocabulary of
"which N" heads is data below, not patterns.
"""

import re
from enum import StrEnum

from pydantic import BaseModel

from app.nlp import parse
from app.roles import asked_body, asked_role
from retrieval.terms import content_terms


class AnswerType(StrEnum):
    PERSON = "person"
    PLACE = "place"
    COUNTRY = "country"
    ORGANISATION = "organisation"
    NUMBER = "number"
    ENTITY = "entity"  # a name of some other kind: "which campaign", "which charity"
    DATE = "date"
    DAY = "day"
    REASON = "reason"
    DESCRIPTION = "description"
    LIST = "list"
    YES_NO = "yes_no"


SPAN_TYPES = {
    AnswerType.PERSON,
    AnswerType.PLACE,
    AnswerType.COUNTRY,
    AnswerType.ORGANISATION,
    AnswerType.ENTITY,
    AnswerType.NUMBER,
    AnswerType.DATE,
    AnswerType.DAY,
}
# the head noun of "which N" / "what N" -> the type of span that answers
_FOCUS = {
    AnswerType.COUNTRY: "country nation republic neighbour neighbor ally",
    AnswerType.PLACE: "city capital town place venue region province village location site "
    "area district island port airport county state river ocean sea lake mountain hospital "
    "prison street stadium building park border coast continent",
    AnswerType.ORGANISATION: "organization organisation group bloc alliance party company firm "
    "agency body team club union outlet newspaper network body institution court ministry "
    "militia movement council bank university school airline carrier manufacturer",
    AnswerType.PERSON: "leader president minister official spokesman spokeswoman spokesperson "
    "man woman person premier chancellor king queen prince secretary chief head politician "
    "player athlete driver author writer actor singer candidate winner nominee judge general "
    "commander envoy diplomat ambassador host governor mayor senator director ceo founder "
    "scientist researcher reporter journalist coach captain pilot victim suspect member "
    "doctor mp lawmaker friend businessman tycoon executive manager owner chairman actress "
    "artist musician rapper boss lawyer prosecutor officer soldier activist billionaire "
    "astronaut priest pope bishop son daughter wife husband father mother brother sister "
    "hopeful contender challenger opponent rival successor predecessor heir correspondent "
    "editor columnist presenter anchor photographer blogger student teacher professor "
    "alderman councillor councilman councilwoman deputy representative delegate negotiator "
    "gunman attacker bomber hijacker killer kidnapper assassin defendant detainee prisoner "
    "hostage survivor witness employee worker nurse surgeon engineer analyst economist "
    "entrepreneur investor banker developer designer inventor explorer climber "
    "commissioner inspector investigator detective agent spy",
    AnswerType.DATE: "year month date decade century time",
    AnswerType.DAY: "day weekday",
    AnswerType.NUMBER: "number percentage percent share amount total figure proportion rate "
    "score sum price cost population age toll count tally vote margin",
}
# foci that ask for a sum of money: a sentence answers by naming one ("$44bn") or the focus
MONEY_FOCI = {
    "money", "ransom", "value", "worth", "fine", "bail", "salary", "wage", "budget", "fee",
    "revenue", "profit", "compensation", "aid", "funding", "bonus", "payout", "settlement",
}  # fmt: skip
_FOCUS[AnswerType.NUMBER] += " " + " ".join(sorted(MONEY_FOCI))
FOCUS_TYPES = {word: kind for kind, words in _FOCUS.items() for word in words.split()}
# focus nouns that name the relation asked about, not only the answer's type
RELATIONAL = set(
    [
        "population",
        "age",
        "toll",
        "price",
        "cost",
        "score",
        "share",
        "percentage",
        "percent",
        "rate",
        "proportion",
        "capital",
        "tally",
        *MONEY_FOCI,
    ]
)
# relational foci a percentage states without naming them: "58.45% of the popular vote" is a share
PERCENTAGE_FOCI = {"share", "percentage", "percent", "proportion", "rate"}
CITY_WORDS = {"city", "capital", "town", "village", "port"}
_WH_TYPES = {
    "who": AnswerType.PERSON,
    "whom": AnswerType.PERSON,
    "whose": AnswerType.PERSON,
    "where": AnswerType.PLACE,
    "when": AnswerType.DATE,
    "why": AnswerType.REASON,
    "how": AnswerType.DESCRIPTION,
}
_HOW_NUMBER = {"many", "much", "long", "old", "far", "big", "large", "often", "tall", "high"}
_AUXILIARIES = {"be", "do", "have", "can", "will", "would", "could", "should", "may", "might"}
_LIST_VERBS = {"name", "list", "give", "enumerate"}
# "what kind of aid", "what reason": nouns after which/what that do not ask for a name
_NOT_NAMES = set(
    [
        "kind",
        "type",
        "sort",
        "reason",
        "way",
        "role",
        "purpose",
        "message",
        "thing",
        "step",
        "measure",
        "action",
        "problem",
        "issue",
        "concern",
        "goal",
        "aim",
        "effect",
        "impact",
        "change",
        "plan",
        "idea",
        "view",
        "position",
        "stance",
        "argument",
        "evidence",
        "topic",
        "subject",
        "promise",
        "warning",
        "demand",
        "claim",
        "charge",
        "decision",
        "agreement",
        "deal",
        "proposal",
        "meeting",
        "summit",
        "event",
        "talk",
        "conference",
        "visit",
        "gathering",
        "session",
        "forum",
        "result",
        "outcome",
        "consequence",
        "response",
        "reaction",
        "cause",
        "motive",
        "explanation",
        "significance",
        "point",
        "lesson",
        "objection",
        "criticism",
        "complaint",
        "allegation",
        "accusation",
        "condition",
        "finding",
        "conclusion",
        "recommendation",
        "request",
        "offer",
        "commitment",
        "pledge",
        "fear",
        "hope",
        "belief",
        "opinion",
        "verdict",
    ]
)


class QuestionAnalysis(BaseModel):
    """What a question asks for and what an answering sentence must hold."""

    question: str
    answer_type: AnswerType
    plural: bool = False  # "which countries": several spans may answer
    parts: int = 1  # how many answers it asks for: "Who was ..., and who ...?" asks for two
    focus: str | None = None  # the head noun of "which N" ("country", "leader")
    qualifier: str | None = None  # the name qualifying it: "Pakistani" in "Which Pakistani leader"
    predicate: list[str] = []  # lemmas of the main verb(s) and relational nouns
    constraints: list[str] = []  # names, numbers and years the question names
    terms: set[str] = set()  # content terms (stemmed) of the question
    counted: str | None = None  # what "how many N" counts ("member states", "people")
    ordinals: set[str] = set()  # "third" in "the third summit": a sentence must not say "first"
    role: list[str] = []  # the office a person question asks about: ["foreign", "minister"]
    role_of: list[str] = []  # whose office: ["csto"] for "the secretary general of the CSTO"
    holder: bool = False  # asks who holds the role ("who is the R"), not "which R did X meet"

    @property
    def factoid(self) -> bool:
        """The answer is a short span: a name, place, number or date."""
        return self.answer_type in SPAN_TYPES


def analyse(question: str) -> QuestionAnalysis:
    """The analysis of one (standalone) question."""
    doc = parse(question)
    kind, focus, plural = _answer_type(doc)
    return QuestionAnalysis(
        question=question,
        answer_type=kind,
        plural=plural,
        parts=_parts(doc, plural),
        focus=focus.lemma_.lower() if focus is not None else None,
        qualifier=_qualifier(focus),
        predicate=_predicate(doc, focus),
        constraints=_constraints(doc),
        terms=content_terms(question),
        counted=_counted(doc),
        ordinals=ordinals_of(question),
        role=_role(doc, focus) if kind == AnswerType.PERSON else [],
        role_of=asked_body(doc, focus) if kind == AnswerType.PERSON else [],
        holder=not any(t.lower_ in ("which", "what") and t.dep_ == "det" for t in doc),
    )


def _answer_type(doc):
    """(type, focus token or None, plural) from the question word and the noun it governs."""
    wh = next((t for t in doc if t.tag_ in ("WDT", "WP", "WP$", "WRB")), None)
    if wh is None or doc[0].lemma_.lower() in _LIST_VERBS:
        return _without_wh_word(doc)
    word = wh.lower_
    if word == "how":
        following = doc[wh.i + 1] if wh.i + 1 < len(doc) else None
        if following is not None and following.lower_ in _HOW_NUMBER:
            return AnswerType.NUMBER, _much_of(doc, following), False
        return AnswerType.DESCRIPTION, None, False
    if word in ("which", "what", "whose") and (focus := _focus_noun(doc, wh)) is not None:
        kind = _focus_type(focus)
        if kind is None and (word == "whose" or _described_by_who(focus)):
            kind = AnswerType.PERSON  # "the name of the restaurateur who helped buy it"
        if kind is None and focus.lemma_.lower() not in _NOT_NAMES:
            kind = AnswerType.ENTITY  # "which campaign": a name, of a kind we have no list for
        if kind is not None:
            return kind, focus, focus.tag_ in ("NNS", "NNPS")
    if word in _WH_TYPES:
        return _WH_TYPES[word], None, False
    return AnswerType.DESCRIPTION, None, False  # a bare "what": what someone said, did, agreed


def _much_of(doc, much):
    """The noun "how much" asks about when it names a sum of money ("How much ransom did they
    demand?", "How much economic aid"); None otherwise ("How much did it cost?")."""
    if much.lower_ != "much":
        return None
    for token in doc[much.i + 1 :]:
        if token.pos_ == "NOUN":
            return token if token.lemma_.lower() in MONEY_FOCI else None
        if token.pos_ != "ADJ":
            return None
    return None


def _role(doc, focus) -> list[str]:
    """The office asked about, or the noun a "who" clause describes ("the name of the
    restaurateur who helped buy the tuna": a restaurateur)."""
    role = asked_role(doc, focus)
    if role or focus is None or focus.pos_ != "NOUN" or not _described_by_who(focus):
        return role
    which = any(c.lower_ in ("which", "what") for c in focus.children)
    generic = focus.lemma_.lower() in _GENERIC_PEOPLE
    return [] if which or generic else [focus.lemma_.lower()]


# nouns for anyone: "the name of the man who ..." asks for no particular role
_GENERIC_PEOPLE = {"leader", "official", "man", "woman", "person", "people", "member", "one"}


def _described_by_who(noun) -> bool:
    """Whether a relative clause opened by "who" describes the noun: only people are."""
    clauses = (c for c in noun.children if c.dep_ == "relcl")
    return any(t.lower_ in ("who", "whom") for clause in clauses for t in clause.children)


def _focus_noun(doc, wh):
    """The noun a question word determines ("which country", "in which Indian state": the
    last noun of the words that follow it), or the subject of "what is the N (of ...)" ("what
    is the population of Kazakhstan"; "what was the name of the N": that N)."""
    run = []
    for token in doc[wh.i + 1 :]:
        if token.pos_ not in ("ADJ", "PROPN", "NOUN", "NUM") and token.text != "-":
            break
        run.append(token)
    # a noun the tagger takes for a name after one ("Which Flemish alderman") still counts
    nouns = [t for t in run if t.pos_ == "NOUN" or t.text.islower() and t.text in FOCUS_TYPES]
    if nouns:
        return nouns[-1]
    if wh.dep_ in ("attr", "nsubj") and wh.head.lemma_ == "be":
        subject = next(
            (t for t in wh.head.children if t.dep_ in ("nsubj", "attr") and t != wh), None
        )
        if subject is not None and subject.lemma_.lower() in ("name", "title"):
            return next((t for t in subject.subtree if t.dep_ == "pobj"), None)
        return subject if subject is not None and subject.pos_ == "NOUN" else None
    return None


def _focus_type(focus) -> AnswerType | None:
    """The answer type a focus noun asks for; an unknown head takes its compound's ("price
    tag": a number)."""
    for token in (focus, *(c for c in focus.children if c.dep_ == "compound")):
        if (kind := FOCUS_TYPES.get(token.lemma_.lower())) is not None:
            return kind
    return AnswerType.PERSON if a_person_noun(focus.lemma_.lower()) else None


def a_person_noun(lemma: str) -> bool:
    """Whether a noun the vocabulary lacks names a person by its ending ("medallist",
    "cyclist", "politician"); the short words with these endings ("list", "wrist") are not."""
    return len(lemma) >= 6 and lemma.endswith("ist") or len(lemma) >= 7 and lemma.endswith("ian")


def _without_wh_word(doc) -> tuple[AnswerType, None, bool]:
    first = doc[0] if len(doc) else None
    if first is not None and first.lemma_.lower() in _LIST_VERBS:
        return AnswerType.LIST, None, True
    if first is not None and first.lemma_.lower() in _AUXILIARIES:
        return AnswerType.YES_NO, None, False
    return AnswerType.DESCRIPTION, None, False


def _predicate(doc, focus) -> list[str]:
    """The lemmas that carry the relation asked about: content verbs, the common nouns other
    than the focus ("spokesman" in "Who was Putin's spokesman?"), and a focus that names a
    relation ("population")."""
    lemmas = (
        [focus.lemma_.lower()] if focus is not None and focus.lemma_.lower() in RELATIONAL else []
    )
    for token in doc:
        lemma = token.lemma_.lower()
        if (
            token.pos_ == "VERB"
            and lemma not in _AUXILIARIES
            or token.pos_ == "NOUN"
            and not _same(token, focus)
            and token.dep_ in ("nsubj", "attr")
        ):
            lemmas.append(lemma)
    return list(dict.fromkeys(lemmas))


_COUNTS = {"two": 2, "three": 3, "four": 4}


def _parts(doc, plural: bool) -> int:
    """How many answers the question asks for: one per question word ("Who ..., and who
    ...?"), the number it names ("which two regions"), or two for a plural ("which
    countries")."""
    words = [t for t in doc if t.tag_ in ("WDT", "WP", "WP$", "WRB") and t.dep_ != "relcl"]
    named = next(  # "which two regions", not "the kidnappers of the three workers"
        (_COUNTS[t.lower_] for t in doc[1:] if t.lower_ in _COUNTS and doc[t.i - 1] in words),
        None,
    )
    wh = sum(1 for t in words if t.i == 0 or doc[t.i - 1].lower_ in ("and", ",", "in", "of"))
    return max(wh, named or (2 if plural else 1), 1)


def _counted(doc) -> str | None:
    """The nouns "how many" counts, as written ("member states" in "How many member states
    did the SCO have?"); None for any other question."""
    at = next((t.i for t in doc[1:] if t.lower_ == "many" and doc[t.i - 1].lower_ == "how"), None)
    if at is None:
        return None
    run, start = [], at + 1
    if doc[start : start + 2].text.lower().startswith("of "):  # "of its / Hallmark's workers"
        owner = next((t.i for t in doc[start + 1 : start + 5] if t.tag_ == "POS"), None)
        start = owner + 1 if owner else start + 1 + (doc[start + 1].dep_ in ("det", "poss"))
    for token in doc[start:]:
        if token.tag_ in ("VBN", "VBD") and not run:
            continue  # "how many converted tankers": the tankers are counted
        if token.pos_ not in ("ADJ", "NOUN", "PROPN") or token.pos_ == "ADJ" and run:
            break
        run.append(token)
    while run and run[0].pos_ != "NOUN" and len(run) > 1:
        run = run[1:]  # "Russian troops": the troops are counted
    if not run or run[-1].pos_ != "NOUN":
        return None
    after = doc[run[-1].i + 1 : run[-1].i + 3]
    if len(after) == 2 and after[0].tag_ == "POS" and after[1].pos_ == "NOUN":
        return after[1].text.lower()  # "how many members' votes": the votes are counted
    if len(after) == 2 and after[0].lower_ == "of" and after[1].pos_ == "NOUN":
        run += list(after)  # "heads of state"
    return " ".join(t.text for t in run).lower()


_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)


def ordinals_of(text: str) -> set[str]:
    """The ordinal words of a text ("first", "third", "10th"), lower-cased."""
    return {m.lower() for m in _ORDINAL.findall(text)}


def _same(token, other) -> bool:
    return other is not None and token.i == other.i


def _qualifier(focus) -> str | None:
    """A capitalised word qualifying the asked noun ("Pakistani leader", "US hopeful"): the
    answer itself must be what it names."""
    if focus is None:
        return None
    for child in focus.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.text[:1].isupper() and child.i:
            return child.text
    return None


def is_question_word(entity) -> bool:
    """Whether spaCy's entity is a question word: it may take a capitalised "Whom" for a name."""
    return len(entity) == 1 and entity.root.tag_ in ("WP", "WP$", "WDT", "WRB")


def _constraints(doc) -> list[str]:
    """The names, numbers and years the question names (what an answer must be about)."""
    found = [
        e.text
        for e in doc.ents
        if e.label_ not in ("ORDINAL",)
        and not is_question_word(e)
        and e.text.lower()
        not in ("which year", "what year", "which day", "what day", "this week", "this year")
    ]
    found += [t.text for t in doc if t.pos_ == "PROPN" and not any(t.text in f for f in found)]
    return list(dict.fromkeys(found))
