"""What a question takes for granted that the articles do not report: a refusal, an outcome.

"Why did Belarus quit the SCO?", "Why did Tokayev criticise the SCO?", "Why did the Senate vote
down Bernanke's nomination?": a question whose own predicate is one of not doing, refusing or
opposing ("quit", "refuse to meet", "turn down", "did not attend") asks about something that
happened only if the sentence that would answer it says so too, in some negative form ("not",
"refused", "withdrew", "boycott", "halt"). When the best sentence the reader found is positive
("Belarus joined the SCO on Thursday", "Tokayev hailed the SCO"), the premise is unsupported: a
reason quoted from it would answer a question nobody asked.

An outcome is taken for granted the same way: "Who won the runoff?" and "What was the result
of the test?" ask about something that has happened, and when the best sentence reports it only
as pending ("with a runoff election Friday", "The Pentagon plans a crucial test") and reports
no outcome, the articles do not say (`pending_outcome`).

And an ordinal: "Where will the third Russia–Central Asia summit be held?" is not answered by a
sentence on "the first Russia–Central Asia Summit" (`ordinal_clash`).

Only the negative direction is checked: a positive question answered by a negated sentence is
often a right answer ("Why was the team touring?" / "They were not even meant to be there, but
..."), so it says nothing about the premise.
"""

import re

from app.actors import clashing_actor, denied_deed
from app.evidence import unsupported_premise
from app.nlp import parse
from app.reading import RankedSentence
from app.rewrite import as_asked
from app.settings import AnswerConfig
from app.understanding import AnswerType, QuestionAnalysis
from retrieval.search import Passage
from retrieval.terms import content_terms

# verbs of not doing, refusing, stopping or opposing (lemmas)
_NEGATIVE_VERBS = frozenset(
    [
        "refuse",
        "reject",
        "decline",
        "skip",
        "boycott",
        "snub",
        "condemn",
        "criticise",
        "criticize",
        "denounce",
        "oppose",
        "quit",
        "withdraw",
        "leave",
        "cancel",
        "deny",
        "fail",
        "stop",
        "halt",
        "suspend",
        "ban",
        "block",
        "veto",
        "abandon",
        "scrap",
        "revoke",
        "rebuff",
        "spurn",
        "avoid",
        "miss",
        "resign",
        "cease",
        "postpone",
        "dismiss",
        "exit",
        "abstain",
        "bar",
        "expel",
        "exclude",
        "prohibit",
        "forbid",
        "deport",
    ]
)
# the same with a particle: "turn down", "pull out", "vote against"
_NEGATIVE_PHRASES = frozenset(
    [
        ("turn", "down"),
        ("vote", "down"),
        ("vote", "against"),
        ("pull", "out"),
        ("back", "out"),
        ("walk", "out"),
        ("call", "off"),
        ("stay", "away"),
        ("step", "down"),
        ("rule", "out"),
        ("break", "off"),
        ("shut", "down"),
    ]
)
# words of a sentence that say something was not done, refused or opposed: their stems ...
_NEGATIVE_STEMS = (
    "refus",
    "reject",
    "declin",
    "boycott",
    "snub",
    "condemn",
    "critic",
    "denounc",
    "oppos",
    "withdr",
    "cancel",
    "abandon",
    "revok",
    "revoc",
    "rebuff",
    "spurn",
    "absen",
    "resign",
    "suspen",
    "postpon",
    "blacklist",
    "abstain",
    "abstention",
    "lack",
    "barr",
    "expel",
    "expul",
    "exclu",
    "prohibit",
    "forbid",
    "forbad",
    "deport",
)
# ... and the words too short or too common to match by stem
_NEGATIVE_WORDS = frozenset(
    ["no", "never", "nor", "without", "instead", "denial", "failure", "absent", "behalf"]
)
_QUOTED = re.compile(r'"[^"]{0,2000}"|“[^”]{0,2000}”')
# being elsewhere said positively: "sent his foreign minister", "was represented by", "by video"
_ABSENCE_LEMMAS = frozenset(["send", "represent", "video", "virtual", "virtually", "remotely"])


def unsaid_refusal(
    analysis: QuestionAnalysis,
    ranked: list[RankedSentence],
    passages: list[Passage],
    depth: int = 1,
) -> str:
    """A "why" question's negative predicate ("quit", "turn down", "not attend") when none of
    the `depth` best-ranked sentences, nor a sentence beside one in its passage about the
    question's subject, says anything negative; "" when the predicate is positive or such a
    sentence is negative too (or `depth` is 0). Only the question as asked counts."""
    if depth < 1 or analysis.answer_type != AnswerType.REASON:
        return ""
    asked = as_asked(analysis.question)
    predicate = negative_predicate(asked)
    if not predicate or not ranked:
        return ""
    subject = subject_terms(asked)
    for best in ranked[:depth]:
        beside = [unquoted(t) for t in _beside(best, passages) if subject & content_terms(t)]
        if any(is_negative(text) for text in [best.text, *beside]):
            return ""
    return predicate


def unquoted(sentence: str) -> str:
    """A sentence less what it quotes ("France would never forget", he said): a quote's
    negation beside the best sentence is someone's words about something else."""
    return _QUOTED.sub('"…"', sentence)


def subject_terms(question: str) -> set[str]:
    """The stemmed words of the question's subject ("the US Senate": us, senat)."""
    subjects = [t for t in parse(question) if t.dep_ in {"nsubj", "nsubjpass"}]
    words = " ".join(w.text for s in subjects for w in s.subtree)
    return content_terms(words)


def _beside(ranked: RankedSentence, passages: list[Passage]) -> list[str]:
    """The sentences before and after this one in its passage: "Modi has sent his foreign
    minister" beside "Media reports speculated Modi was busy ..." (only one about the
    question's subject counts)."""
    sentences = passages[ranked.n - 1].sentences if 0 < ranked.n <= len(passages) else []
    starts = [s.start for s in sentences]
    if ranked.sentence.start not in starts:
        return []
    i = starts.index(ranked.sentence.start)
    return [s.text for s in sentences[max(0, i - 1) : i + 2] if s.start != ranked.sentence.start]


def negative_predicate(question: str) -> str:
    """The question's main verb (its root, or a verb the root takes or joins: "refuse to
    meet"; not a reported clause: "say the fighting could stop") when it is one of not doing
    or opposing, with its particle or negation; "" otherwise."""
    doc = parse(question)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    verbs = [v for root in roots for v in [root, *root.children] if _main_verb(v, root)]
    for verb in verbs:
        if words := _negative_words(verb):
            return words
    return ""


def _main_verb(token, root) -> bool:
    return token is root or token.dep_ in {"xcomp", "conj"} and token.pos_ == "VERB"


def _negative_words(verb) -> str:
    particles = [c.lower_ for c in verb.children if c.dep_ in {"prt", "prep", "advmod"}]
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "neg" for c in verb.children):
        return f"not {lemma}"
    if lemma in _NEGATIVE_VERBS:
        return lemma
    phrase = next((p for p in particles if (lemma, p) in _NEGATIVE_PHRASES), "")
    return f"{lemma} {phrase}" if phrase else ""


def is_negative(sentence: str) -> bool:
    """Whether the sentence says something was not done, refused, stopped or opposed."""
    for token in parse(sentence):
        word, lemma = token.lower_, token.lemma_.lower()
        if token.dep_ == "neg" or word in _NEGATIVE_WORDS or lemma in _NEGATIVE_VERBS:
            return True
        if lemma in _ABSENCE_LEMMAS:
            return True
        if word.startswith(_NEGATIVE_STEMS) and token.dep_ != "compound":
            return True  # not the "opposition party" a sentence names
        if any((lemma, c.lower_) in _NEGATIVE_PHRASES for c in token.children):
            return True
    return False


# what asks for an outcome: "who won", "who was elected", "what was the result of"
_OUTCOME_VERBS = frozenset(["win", "lose", "elect", "defeat", "beat", "conclude", "finish"])
_OUTCOME_NOUNS = frozenset(["result", "outcome", "winner", "loser", "verdict"])
# what says an event is still to come, and what says it has had an outcome
_PENDING_LEMMAS = frozenset(["plan", "schedule", "due", "upcoming", "still", "will", "expect"])
_OUTCOME_WORDS = frozenset([*_OUTCOME_VERBS, *_OUTCOME_NOUNS, "victory", "won"])


def pending_outcome(analysis: QuestionAnalysis, ranked: list[RankedSentence]) -> str:
    """The event an outcome question asks about ("runoff", "test") when the best sentence names
    it only as still to come: it says "plans", "will", "still", "due" or "scheduled" and no
    outcome ("won", "result", "victory"); "" otherwise. Only the question as asked counts."""
    doc = parse(as_asked(analysis.question))
    asks_outcome = any(
        t.lemma_.lower() in _OUTCOME_VERBS
        and t.pos_ == "VERB"
        or t.lemma_.lower() in _OUTCOME_NOUNS
        for t in doc
    )
    if not asks_outcome or not ranked:
        return ""
    events = [t for t in doc if t.pos_ == "NOUN" and t.lemma_.lower() not in _OUTCOME_NOUNS]
    sentence = parse(ranked[0].text)
    lemmas = {t.lemma_.lower() for t in sentence} | {t.lower_ for t in sentence}
    named = [e.text for e in events if e.lemma_.lower() in lemmas]
    if not named or lemmas.isdisjoint(_PENDING_LEMMAS) or not lemmas.isdisjoint(_OUTCOME_WORDS):
        return ""
    return named[0]


_ORDINALS = {
    word: n
    for n, words in enumerate(
        [
            ("first", "1st"),
            ("second", "2nd"),
            ("third", "3rd"),
            ("fourth", "4th"),
            ("fifth", "5th"),
            ("sixth", "6th"),
            ("seventh", "7th"),
            ("eighth", "8th"),
            ("ninth", "9th"),
            ("tenth", "10th"),
        ],
        start=1,
    )
    for word in words
}


def ordinal_clash(analysis: QuestionAnalysis, ranked: list[RankedSentence]) -> str:
    """ "the first summit, not the third" when the answer's sentence (a factoid's first one
    holding a span, else the best) puts another ordinal on a thing the question numbers; ""
    otherwise."""
    asked = _asked_ordinals(analysis)
    answer = next((r for r in ranked if r.span), None) if analysis.factoid else None
    answer = answer or (ranked[0] if ranked else None)
    if not asked or answer is None:
        return ""
    for m, words in _numbered(parse(answer.text)):
        for n, thing in asked:
            if thing in words and m != n:
                return f"the {_word(m)} {thing}, not the {_word(n)}"
    return ""


def ordinal_first(analysis: QuestionAnalysis, ranked: list[RankedSentence]) -> list[RankedSentence]:
    """When the answer's sentence numbers the asked thing otherwise ("the first summit" for
    "When did the second summit open?"), the sentences that give the question's own ordinal
    ("The second Russia-Central Asia Summit began Thursday") ahead of the rest, in their order;
    otherwise, or for a question of several short answers, the ranking unchanged."""
    if not analysis.factoid or analysis.parts > 1 or not ordinal_clash(analysis, ranked):
        return ranked
    asked = _asked_ordinals(analysis)

    def matches(sentence: RankedSentence) -> bool:
        said = _numbered(parse(sentence.text))
        return any(m == n and thing in words for m, words in said for n, thing in asked)

    return sorted(ranked, key=lambda r: not matches(r))


def _asked_ordinals(analysis: QuestionAnalysis) -> list[tuple[int, str]]:
    """Each ordinal of the question as asked with the head noun it numbers: (3, "summit")."""
    return [(n, words[-1]) for n, words in _numbered(parse(as_asked(analysis.question)))]


def _numbered(doc) -> list[tuple[int, list[str]]]:
    """Each ordinal with the words of the name it numbers, up to its head noun: "the third
    Russia-Central Asia summit" (3, [russia, central, asia, summit]). (Read by position: the
    parser hangs "first" on "Russia" when a dash follows.)"""
    found = []
    for t in doc:
        if t.lower_ not in _ORDINALS:
            continue
        words = []
        for w in doc[t.i + 1 : t.i + 7]:
            if w.pos_ in {"VERB", "AUX", "ADP", "DET", "PRON"} or w.is_punct and len(w) > 1:
                break
            if w.pos_ in {"NOUN", "PROPN"}:
                words.append(w.lemma_.lower())
        if words:
            found.append((_ORDINALS[t.lower_], words))
    return found


def _word(n: int) -> str:
    return next(w for w, m in _ORDINALS.items() if m == n)


def premise_reason(
    analysis: QuestionAnalysis,
    ranked: list[RankedSentence],
    passages: list[Passage],
    config: AnswerConfig,
) -> str:
    """Why the best passages cannot answer what the question takes for granted ("" when
    nothing is amiss, or the checks are off)."""
    if config.premise_check and (unsaid := unsupported_premise(analysis, ranked)):
        said = " or ".join(f"“{w}”" for w in unsaid)
        return f"no passage found says what the question takes for granted ({said})"
    if refusal := unsaid_refusal(analysis, ranked, passages, config.refusal_depth):
        return f"the best passages say nothing like the “{refusal}” the question assumes"
    if clash := clashing_actor(analysis, ranked, config.actor_depth):
        return f"the best passages name {clash} for what the question asks about"
    if denial := denied_deed(analysis, ranked, config.refusal_depth):
        return f"the best passage says otherwise: “{denial}”"
    if config.pending_check and (event := pending_outcome(analysis, ranked)):
        return f"the best passage reports the “{event}” as still to come, with no outcome"
    if config.pending_check and (clash := ordinal_clash(analysis, ranked)):
        return f"the best passage is about {clash}"
    return ""
