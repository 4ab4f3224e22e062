"""Who did it, as a "why" question has it and as the articles have it.

"Why did Hillary Clinton win the Iowa caucus?" takes for granted that Clinton won; when the best
sentences say "Barack Obama won the Iowa Democratic caucus" and none says Clinton won, the
articles do not support the question, and a reason quoted from them would answer a question
nobody asked. The same holds for the object: "Why did Nancy Reagan endorse Mike Huckabee?" when
the articles say she "endorsed Senator John McCain". Only names are compared (a subject or an
object the question names with capitalised words), and only where an article sentence uses the
question's own verb with another name in that place.

Or the articles deny the deed outright: "Why did Turkmenistan join the SCO?" when the best
sentence says "Turkmenistan is not a member of the SCO" (`denied_deed`): a negated clause whose
subject is the question's and which speaks of what the question's verb acts on.
"""

from app.nlp import parse
from app.reading import RankedSentence
from app.rewrite import as_asked
from app.understanding import AnswerType, QuestionAnalysis
from retrieval.terms import content_terms

_SUBJECTS = {"nsubj", "nsubjpass"}
_OBJECTS = {"dobj"}
_PLACES = (("subject", _SUBJECTS), ("object", _OBJECTS))


def clashing_actor(analysis: QuestionAnalysis, ranked: list[RankedSentence], depth: int) -> str:
    """What the best sentences say in place of a "why" question's named subject or object
    ("Barack Obama won, not Hillary Clinton"); "" when they agree, never use the question's
    verb, or `depth` is 0."""
    verb = _positive_why_verb(analysis, depth)
    if verb is None:
        return ""  # "Why did Modi not attend?": others attending is no clash
    asked = {place: _names(verb, deps) for place, deps in _PLACES}
    if not any(asked.values()):
        return ""
    uses = [u for r in ranked[:depth] for u in _uses(parse(r.text), verb.lemma_)]
    clashes = [c for use in uses if (c := _clash(use, asked)) is not None]
    if not clashes or any(c == "" for c in clashes):
        return ""  # some sentence does it as asked
    return clashes[0]


def _positive_why_verb(analysis: QuestionAnalysis, depth: int):
    """The verb of a "why" question as asked, when it is not negated and `depth` is not 0."""
    if depth < 1 or analysis.answer_type != AnswerType.REASON:
        return None
    verb = _main_verb(parse(as_asked(analysis.question)))
    return None if verb is None or any(c.dep_ == "neg" for c in verb.children) else verb


def _main_verb(doc):
    """The question's verb: its root, or a root spaCy's small model took for a noun ("Why did
    Nancy Reagan endorse ...?": "endorse" with "did" before it)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" and not any(c.dep_ == "aux" for c in root.children):
        return None
    return root


def _names(verb, deps: set[str]) -> list[str]:
    """The capitalised words of the verb's subject or object ("Hillary Clinton"), in order."""
    misread = verb.pos_ != "VERB" and deps is _SUBJECTS  # "Nancy Reagan" as a compound of it
    heads = [
        c
        for c in verb.children
        if c.dep_ in deps or misread and c.dep_ == "compound" and c.i < verb.i
    ]
    return [t.text for head in heads for t in _name_of(head)]


def _name_of(head) -> list:
    """The run of proper nouns that ends at `head` ("Barack Obama" of "Illinois senator Barack
    Obama"; not "the Presidency of the United States" after it); for a common noun, the names
    that qualify it ("Iowa" of "the Democratic Iowa caucus")."""
    if head.pos_ != "PROPN":
        before = [t for t in head.subtree if t.i < head.i]
        return [t for t in before if t.pos_ == "PROPN" and t.dep_ == "compound"]
    start = head.i
    while start > 0 and head.doc[start - 1].pos_ == "PROPN":
        start -= 1
    return list(head.doc[start : head.i + 1])


def _uses(doc, lemma: str) -> list:
    return [t for t in doc if t.pos_ == "VERB" and t.lemma_ == lemma]


def _clash(use, asked: dict[str, list[str]]) -> str | None:
    """ "" when this use of the verb agrees with the question, None when it names no one where
    the question does ("needed to win"); else what it says in the question's place."""
    named = False
    for place, deps in _PLACES:
        said = _names(use, deps)
        if asked[place] and said and not _same_name(said, asked[place]):
            return f"“{' '.join(said)}”, not “{' '.join(asked[place])}”"
        named = named or bool(asked[place] and said)
    return "" if named else None


def _same_name(said: list[str], asked: list[str]) -> bool:
    """Whether one name holds all the words of the other ("Obama", "Senator Barack Obama";
    not "the Nevada Democratic Caucus" for "the Democratic Iowa caucus")."""
    return set(said) <= set(asked) or set(asked) <= set(said)


def denied_deed(analysis: QuestionAnalysis, ranked: list[RankedSentence], depth: int) -> str:
    """The negated clause of one of the `depth` best sentences that denies what a positive
    "why" question takes for granted ("Turkmenistan is not a member of the SCO" for "Why did
    Turkmenistan join the SCO?"); "" when none does."""
    verb = _positive_why_verb(analysis, depth)
    if verb is None:
        return ""
    doer = _terms(c for c in verb.children if c.dep_ in _SUBJECTS)
    acted_on = _terms(c for c in verb.children if c.dep_ in ("dobj", "prep", "attr"))
    if not doer or not acted_on:
        return ""
    for sentence in ranked[:depth]:
        for negation in (t for t in parse(sentence.text) if t.dep_ == "neg"):
            clause = negation.head
            said = _terms(c for c in clause.children if c.dep_ in _SUBJECTS)
            if said & doer and _terms([clause]) & acted_on:
                return _clause_text(clause)
    return ""


def _clause_text(verb) -> str:
    """The clause the verb heads, up to a clause joined to it ("..., but the four other
    states are")."""
    doc = verb.doc
    joined = [c.left_edge.i for c in verb.children if c.dep_ in ("cc", "conj") and c.i > verb.i]
    end = min(joined, default=verb.right_edge.i + 1)
    return doc[verb.left_edge.i : end].text.rstrip(" ,;:.")


def _terms(heads) -> set[str]:
    """The content terms of the phrases these tokens head."""
    return content_terms(" ".join(t.text for head in heads for t in head.subtree))
