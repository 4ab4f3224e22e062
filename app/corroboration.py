"""A second search for a factoid answer's other half: the article that says the rest.

"Which Tajik president attended the SCO summit in Astana and also held talks with Putin before
the Dushanbe summit?" is answered from the Dushanbe article ("held talks with Tajik President
Emomali Rahmon"), yet half of the question (the SCO summit in Astana) is in another article, one
the first search may not have brought up at all. Once the short answer is known, it is searched
for with the question's key words that its passages lack. A sentence of another article that
names it in full ("President Emomali Rakhmon of Tajikistan", spelled alike) beside two of the
question's key words, in an article holding most of what was lacking (by rarity in the whole
index), is added, and the draft cites it: the answer cites every article it rests on.
"""

import re
from collections.abc import Callable

from app.citations import split_claims
from app.evidence import key_words
from app.mentions import mentions, names_fully
from app.models.base import Draft
from app.reading import passage_terms_of, rarity
from app.understanding import AnswerType, QuestionAnalysis
from retrieval.search import Passage
from retrieval.sentences import split_sentences
from retrieval.terms import content_terms

# a corroboration names a person, place or body; a number or a date is not named elsewhere
NAMES = frozenset(
    [
        AnswerType.PERSON,
        AnswerType.PLACE,
        AnswerType.COUNTRY,
        AnswerType.ORGANISATION,
        AnswerType.ENTITY,
    ]
)
# key words of the question a corroborating sentence holds besides the answer: a place named in
# passing ("caucuses in Nebraska") is no corroboration
MIN_SHARED = 2
Search = Callable[[str], list[Passage]]


def corroborated(
    draft: Draft,
    analysis: QuestionAnalysis,
    passages: list[Passage],
    search: Search,
    article_terms: Callable[[str], set[str]],
    frequencies,
    min_share: float,
) -> tuple[Draft, list[Passage]]:
    """The draft and passages, with a sentence that names the draft's short answer, of another
    article whose terms hold at least `min_share` (by rarity) of the question's key words that
    the passages naming it lack, when a search for the answer and those key words finds one;
    else unchanged."""
    answer = draft.short_answer
    if analysis.answer_type not in NAMES or not answer or re.search(r"\d", answer):
        return draft, passages
    naming = [p for p in _cited(draft, passages) if mentions(answer, p.chunk.text)]
    if not naming:
        return draft, passages
    held = set().union(*(passage_terms_of(p) for p in naming))
    keys = key_words(analysis)
    lacking = {t: word for t, word in keys.items() if t not in held}
    weights = rarity(set(lacking), frequencies)
    if not weights:
        return draft, passages
    asked = set(keys) - content_terms(answer)
    for passage in [*passages, *search(" ".join([answer, *lacking.values()]))]:
        sentence = _naming_sentence(passage, answer, naming, asked)
        if sentence and _share(weights, article_terms(passage.chunk.doc_id)) >= min_share:
            added = passages if passage in passages else [*passages, passage]
            text = f"{draft.text}\n{sentence} [{added.index(passage) + 1}]"
            return draft.model_copy(update={"text": text}), added
    return draft, passages


def _cited(draft: Draft, passages: list[Passage]) -> list[Passage]:
    """The passages the draft cites."""
    numbers = {n for _, cited in split_claims(draft.text) for n in cited}
    return [p for i, p in enumerate(passages, 1) if i in numbers]


def _naming_sentence(
    passage: Passage, answer: str, naming: list[Passage], asked: set[str]
) -> str | None:
    """The passage's first sentence that names `answer` with `MIN_SHARED` of the question's key
    words (`asked`), when the passage is of an article none of `naming` is of."""
    if any(p.chunk.doc_id == passage.chunk.doc_id for p in naming):
        return None
    return next(
        (
            s.text
            for s in split_sentences(passage.chunk.text)
            if names_fully(answer, s.text) and len(asked & content_terms(s.text)) >= MIN_SHARED
        ),
        None,
    )


def _share(weights: dict[str, float], terms: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0
