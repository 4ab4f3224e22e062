"""Reading the passages for a question: every sentence, and every candidate short answer in it,
scored by how well it answers.

A sentence's features: its MiniLM similarity to the question; the question's words it holds and
those its passage holds around it, each weighted by its rarity in the whole index (so "SCO" in an
SCO archive counts little and "Biden" a lot); whether it holds the question's predicate
("joined" for "Which country joined ...?"); whether it is the article's headline; and its
passage's rank. A candidate span (`app.spans`) adds how well its type fits, how close it stands
to the question's words, whether it is a possessor ("Russia's neighbour"), and how many passages
repeat it. Scores are weighted sums whose weights were fitted on the tuning questions only
(`scripts/tune_answers.py --fit`). The ranking feeds every answer model and the decision to
abstain.
"""

import math
from collections.abc import Callable

from pydantic import BaseModel, Field

from app.injection import is_injection
from app.mentions import mentions
from app.spans import SpanCandidate, spans_of_many
from app.understanding import QuestionAnalysis, ordinals_of
from retrieval.search import Passage, ScoredSentence
from retrieval.terms import content_terms
from retrieval.timefilter import without_time_words

DocumentFrequencies = Callable[[set[str]], tuple[int, dict[str, int]]]
Similarity = Callable[[str, str], float]  # how alike two short phrases are (0..1)
SpanCheck = Callable[[str], bool]  # whether a candidate short answer may answer at all
SENTENCE_FEATURES = (
    "similarity",
    "sentence_terms",
    "context_terms",
    "predicate",
    "headline",
    "passage_rank",
    "ordinal_clash",
)
SPAN_FEATURES = (
    "fit",
    "closeness",
    "possessive",
    "repeated",
    "governed",
    "window",
    "focus_link",
    "counted",
    "coverage",
    "qualified",
)


class SentenceWeights(BaseModel):
    """Weights of a sentence's features in its answer score (fitted on the tuning questions)."""

    bias: float = 0.0
    similarity: float = Field(0.6, description="MiniLM similarity to the question")
    sentence_terms: float = Field(0.6, description="rarity-weighted question words it holds")
    context_terms: float = Field(0.3, description="...its passage holds around it")
    predicate: float = Field(0.2, description="holds the question's verb or relation noun")
    headline: float = Field(0.0, description="is the article's headline")
    passage_rank: float = Field(0.0, description="1 / the rank of its passage")
    ordinal_clash: float = Field(0.0, description="says 'first' where the question says 'third'")

    def score(self, features: dict[str, float]) -> float:
        return self.bias + sum(getattr(self, name) * features[name] for name in SENTENCE_FEATURES)


class SpanWeights(SentenceWeights):
    """Weights of a candidate short answer's features, its sentence's included."""

    fit: float = Field(0.6, description="how well its type fits the question's")
    closeness: float = Field(0.6, description="closeness to the question's words in the parse")
    possessive: float = Field(-0.3, description="a possessor: Russia in 'Russia's neighbour'")
    repeated: float = Field(0.0, description="share of the passages that repeat it")
    governed: float = Field(0.0, description="the question's predicate governs it")
    window: float = Field(0.0, description="question words within a few words of it")
    focus_link: float = Field(0.0, description="attached to the asked noun ('88 votes')")
    counted: float = Field(0.0, description="how alike what it counts is to 'how many N''s N")
    qualified: float = Field(0.0, description="its words say the question's 'Pakistani' (1) or not")
    coverage: float = Field(
        0.0, description="question words another sentence naming it adds to its own"
    )

    def score(self, features: dict[str, float]) -> float:
        own = sum(getattr(self, name) * features[name] for name in SPAN_FEATURES)
        return super().score(features) + own


# what a number counts when it counts things of any kind
GENERIC_COUNTS = {"units", "copies", "items", "pieces"}


class ReadingConfig(BaseModel):
    """How passages are read: the weights of sentence and span scores, and the weakest type fit
    a candidate span may have."""

    sentence: SentenceWeights = SentenceWeights(
        bias=-6.438,
        similarity=2.418,
        sentence_terms=4.116,
        context_terms=0.359,
        predicate=0.325,
        headline=-1.485,
        passage_rank=1.886,
        ordinal_clash=-0.279,
    )
    span: SpanWeights = SpanWeights(
        bias=-6.486,
        similarity=3.592,
        sentence_terms=2.239,
        context_terms=1.862,
        predicate=0.306,
        headline=0.472,
        passage_rank=0.352,
        ordinal_clash=0.335,
        fit=1.8,
        closeness=-0.186,
        possessive=-1.062,
        repeated=-2.411,
        governed=0.518,
        window=1.62,
        focus_link=1.271,
        counted=2.13,
        coverage=0.896,
        qualified=0.484,
    )
    min_span_fit: float = Field(0.3, ge=0.0, le=1.0)
    min_counted_similarity: float = Field(
        0.42,
        ge=0.0,
        le=1.0,
        description="a number counting something less like what 'how many N' asks is no answer",
    )
    fit_margin: float = Field(
        2.0,
        ge=0.0,
        description="how far below a poorly typed best answer ('this summer' for 'when') one "
        "of full type fit ('August 5') may score and still go first (0: never)",
    )


class ScoredSpan(SpanCandidate):
    """A candidate short answer with its features and score."""

    features: dict[str, float] = {}
    score: float = 0.0  # type: ignore[assignment]


class RankedSentence(BaseModel):
    """One passage sentence with its answer score and its candidate short answers."""

    n: int  # the passage's number, from 1
    doc_id: str
    sentence: ScoredSentence
    terms: set[str]
    features: dict[str, float]
    relevance: float  # the sentence's own score
    score: float  # a factoid's: its best span's score; otherwise the relevance
    spans: list[ScoredSpan] = []

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def span(self) -> ScoredSpan | None:
        return self.spans[0] if self.spans else None


def rank_sentences(
    analysis: QuestionAnalysis,
    passages: list[Passage],
    config: ReadingConfig,
    frequencies: DocumentFrequencies | None = None,
    similar: Similarity | None = None,
    allowed: SpanCheck | None = None,
) -> list[RankedSentence]:
    """Every sentence of every passage, the best answer first; `similar` compares what a
    number counts with what the question counts (same words only, without one); `allowed`
    rules out candidate short answers whatever their score (`app.evidence.named_with`)."""
    rows = [
        (n, passage, sentence)
        for n, passage in enumerate(passages, start=1)
        for sentence in passage.sentences
        if not is_injection(sentence)
    ]
    wanted = content_terms(without_time_words(analysis.question))
    weight = rarity(wanted, frequencies)
    texts = [s.text for _, _, s in rows]
    terms = [content_terms(text) for text in texts]
    reader = _Reader(analysis, passages, wanted, weight, similar or _same_words)
    reader.allowed = allowed or (lambda _: True)
    reader.sentences = list(zip(texts, terms, strict=True))
    spans = spans_of_many(analysis, texts, weight)
    ranked = [
        reader.ranked(n, passage, sentence, own, found, config)
        for (n, passage, sentence), own, found in zip(rows, terms, spans, strict=True)
    ]
    ranked.sort(key=lambda r: r.score, reverse=True)
    return ranked


class _Reader:
    """What scoring a question's sentences needs once: terms, weights, passage texts."""

    def __init__(self, analysis, passages, wanted, weight, similar: Similarity) -> None:
        self.analysis = analysis
        self.similar = similar
        self.wanted = wanted
        self.weight = weight
        self.passage_terms = [passage_terms_of(p) for p in passages]
        self.passage_texts = [p.chunk.text.lower() for p in passages]
        self.predicate = set().union(*(content_terms(p) for p in analysis.predicate))
        self.sentences: list[tuple[str, set[str]]] = []  # every sentence read, with its terms
        self._naming: dict[str, list[set[str]]] = {}  # a span's words of the question
        self.allowed: SpanCheck = lambda _: True

    def ranked(self, n, passage, sentence, terms, found, config: ReadingConfig) -> RankedSentence:
        features = self.sentence_features(n, passage, sentence, terms)
        relevance = config.sentence.score(features)
        spans = [
            self.scored(span, features, terms, config)
            for span in found
            if span.fit >= config.min_span_fit
            and self.counted(span) >= config.min_counted_similarity
            and self.allowed(span.text)
        ]
        spans.sort(key=lambda s: s.score, reverse=True)
        score = spans[0].score if spans else relevance
        if self.analysis.factoid and not spans:
            score = config.span.score(features | dict.fromkeys(SPAN_FEATURES, 0.0))
        return RankedSentence(
            n=n,
            doc_id=passage.chunk.doc_id,
            sentence=sentence,
            terms=terms,
            features=features,
            relevance=relevance,
            score=score,
            spans=spans,
        )

    def sentence_features(self, n, passage, sentence, terms: set[str]) -> dict[str, float]:
        title = (passage.chunk.title or "").strip().lower()
        return {
            "similarity": sentence.similarity,
            "sentence_terms": _share(self.wanted & terms, self.weight),
            "context_terms": _share((self.wanted & self.passage_terms[n - 1]) - terms, self.weight),
            "predicate": float(bool(self.predicate & terms)),
            "headline": float(bool(title) and sentence.text.strip().lower().startswith(title)),
            "passage_rank": 1.0 / n,
            "ordinal_clash": self.ordinal_clash(sentence.text),
        }

    def ordinal_clash(self, text: str) -> float:
        """1 when the sentence's ordinals are all other than the question's ("first" for
        "third")."""
        asked = self.analysis.ordinals
        said = ordinals_of(text) if asked else set()
        return float(bool(said) and not said & asked)

    def counted(self, span: SpanCandidate) -> float:
        """How alike what the number counts is to what the question counts: 0.5 when either
        counts nothing in particular ("sold over ten million units")."""
        if not self.analysis.counted or not span.counted or span.counted in GENERIC_COUNTS:
            return 0.5
        return self.similar(self.analysis.counted, span.counted)

    def coverage(self, span: SpanCandidate, own: set[str]) -> float:
        """The question's words, weighted by rarity, that the best other sentence naming the
        span (any article's) adds to its own: an answer to "Which leader hosted X and chaired
        Y?" is named beside X in one article and beside Y in another."""
        if span.text not in self._naming:
            self._naming[span.text] = [
                terms & self.wanted for text, terms in self.sentences if mentions(span.text, text)
            ]
        held = own & self.wanted
        added = (_share(terms - held, self.weight) for terms in self._naming[span.text])
        return max(added, default=0.0)

    def scored(
        self, span: SpanCandidate, features: dict, terms: set[str], config: ReadingConfig
    ) -> ScoredSpan:
        text = span.text.lower()
        repeated = sum(text in t for t in self.passage_texts) / len(self.passage_texts)
        own = {
            "fit": span.fit,
            "closeness": span.closeness,
            "possessive": float(span.possessive),
            "repeated": repeated,
            "governed": float(span.governed),
            "window": span.window,
            "focus_link": float(span.focus_link),
            "counted": self.counted(span) if self.analysis.counted else 0.0,
            "coverage": self.coverage(span, terms),
            "qualified": span.qualified,
        }
        merged = features | own
        return ScoredSpan(**span.model_dump(), features=merged, score=config.span.score(merged))


def phrase_similarity(encode: Callable[[list[str]], object]) -> Similarity:
    """A `Similarity` from an embedder's `encode` (normalised vectors), remembering each
    phrase's vector; the same words (after stemming) are alike by definition."""
    vectors: dict[str, object] = {}

    def similar(first: str, second: str) -> float:
        if _same_words(first, second) == 1.0:
            return 1.0
        missing = [p for p in (first, second) if p not in vectors]
        if missing:
            vectors.update(zip(missing, encode(missing), strict=True))
        return max(0.0, float(vectors[first] @ vectors[second]))

    return similar


def _same_words(first: str, second: str) -> float:
    """1 when two noun phrases have the same head noun ("member states", "states"; not "heads
    of state", "states")."""
    one, other = (content_terms(p.split(" of ")[0].split()[-1]) for p in (first, second))
    return 1.0 if one and one == other else 0.0


def passage_terms_of(passage: Passage) -> set[str]:
    """The content terms of a passage, its article's title and outlet included."""
    chunk = passage.chunk
    return content_terms(f"{chunk.title or ''} {chunk.outlet or ''} {chunk.text}")


def rarity(terms: set[str], frequencies: DocumentFrequencies | None) -> dict[str, float]:
    """Each term's inverse document frequency in the whole index (1.0 each without one)."""
    if frequencies is None or not terms:
        return dict.fromkeys(terms, 1.0)
    total, counts = frequencies(terms)
    return {t: math.log((total + 1) / (counts.get(t, 0) + 0.5)) for t in terms}


def _share(found: set[str], weight: dict[str, float]) -> float:
    whole = sum(weight.values())
    return sum(weight[t] for t in found) / whole if whole else 0.0


POOR_FIT = 0.4  # "this summer" for "when", an organisation for "who"; not a country for "where"


def well_typed_first(
    analysis: QuestionAnalysis, ranked: list[RankedSentence], margin: float
) -> list[RankedSentence]:
    """A factoid's best answer of poor type fit ("this summer" for "When is he to marry?",
    from a headline) gives way to the best one of full fit ("August 5", from the article's
    body) that the same article gives, scoring within `margin` of it; another article's is
    another story ("Heathrow" for the airport a crashed plane was bound for)."""
    best = ranked[0].span if analysis.factoid and ranked else None
    if best is None or best.fit > POOR_FIT or best.focus_link or margin <= 0:
        # ("Audible Magic, a company in Los Gatos": the text says it is what is asked)
        return ranked
    floor = ranked[0].score - margin
    typed = (
        r
        for r in ranked[1:]
        if r.span is not None and r.span.fit >= 1.0 and r.doc_id == ranked[0].doc_id
    )
    better = next((r for r in typed if r.score >= floor), None)
    return ranked if better is None else [better, *(r for r in ranked if r is not better)]
