"""The answering core shared by the CLI and the UI: question in, checked and cited answer out."""

import re
from collections.abc import Callable

from pydantic import BaseModel

from app.citations import Citation, check_citations
from app.compound import merge_parts, split_question
from app.corroboration import corroborated
from app.errors import ModelError, UsageError
from app.evidence import (
    NamedWith,
    asked_names,
    missing_names,
    missing_share,
)
from app.injection import InjectionGuard
from app.intervals import event_questions, years_between
from app.models.base import (
    CANNOT_ANSWER,
    AnswerModel,
    AnswerPrompt,
    Draft,
    normalise_draft,
    run_stream,
)
from app.models.verifier import Verifier
from app.nations import with_countries
from app.news import (
    DatedSource,
    compares_things,
    dated_answer,
    dated_sources,
    disagreement,
)
from app.premises import ordinal_first, premise_reason
from app.reading import (
    RankedSentence,
    ReadingConfig,
    phrase_similarity,
    rank_sentences,
    well_typed_first,
)
from app.rewrite import ChatTurn, needs_context, standalone_question
from app.settings import AnswerConfig
from app.shortanswer import ShortAnswer, compose_factoid, find_span, short_answer
from app.understanding import QuestionAnalysis, analyse
from retrieval.search import HybridSearcher, Passage
from retrieval.terms import content_terms
from retrieval.timefilter import (
    TimeWindow,
    asks_about_time,
    dates_fit,
    time_window,
)

NOT_FOUND = "The articles don't say."
WEAK_ANSWER = "no sentence clearly answers it"  # the abstentions min_answerable decides
NOT_STATED = "the verifier found the answer not stated in the quotes"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_UNDECODABLE = re.compile(r"[\ud800-\udfff]")  # bytes that were not UTF-8 (surrogate escapes)


class PassageOut(BaseModel):
    """A retrieved passage as the CLI contract prints it."""

    doc_id: str
    chunk_id: str
    score: float
    text: str


class AnswerResult(BaseModel):
    """The full answer: text with `[n]` markers, citations, passages, and whether it abstained."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[PassageOut]
    model: str
    standalone_question: str
    short_answer: str | None = None  # the name, place, number or date asked for, from a quote
    answer_type: str | None = None  # what the question asks for: person, place, date, ...
    confidence: float = 0.0  # the best sentence's answer score: abstention sweeps are drawn on it
    abstain_reason: str | None = None
    fallback: bool = False
    model_error: str | None = None
    verified: float | None = None  # the verifier's P(the quotes state the answer), if asked
    claims: str = ""  # the checked answer alone: cited sentences, before dates or conflicts
    window: TimeWindow = TimeWindow()  # the dates searched: from the question and --since/--until
    dates: list[DatedSource] = []  # the cited articles and their dates
    conflicts: list[str] = []  # where cited articles disagree, e.g. "[1] Thursday / [2] Wednesday"


def clean_question(question: str, config: AnswerConfig) -> str:
    """Strip control characters and spaces; refuse empty or oversized questions."""
    if _UNDECODABLE.search(question):
        raise UsageError("the question is not valid UTF-8 text")
    cleaned = " ".join(_CONTROL.sub(" ", question).split())
    if not cleaned:
        raise UsageError("the question is empty")
    if len(cleaned) > config.max_question_chars:
        raise UsageError(f"the question is longer than {config.max_question_chars} characters")
    return cleaned


def passage_out(passage: Passage) -> PassageOut:
    chunk = passage.chunk
    return PassageOut(
        doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, score=passage.score, text=chunk.text
    )


class Answerer:
    """Retrieves passages, asks a model for a draft, checks its citations, or abstains."""

    def __init__(
        self,
        searcher: HybridSearcher,
        model: AnswerModel,
        config: AnswerConfig,
        fallback: AnswerModel | None = None,
        reading: ReadingConfig | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        self.searcher = searcher
        self.model = model
        self.config = config
        self.fallback = fallback
        self.reading = reading or ReadingConfig()
        self.verifier = verifier
        embedder = getattr(searcher, "embedder", None)
        self._similar = phrase_similarity(embedder.encode) if embedder else None
        encode = embedder.encode if embedder else None
        self.guard = InjectionGuard(
            encode,
            config.injection_threshold,
            config.article_language,
            config.foreign_min_probability,
        )

    def ask(
        self,
        question: str,
        k: int,
        history: list[ChatTurn] | None = None,
        on_token: Callable[[str], None] | None = None,
        window: TimeWindow | None = None,
    ) -> AnswerResult:
        """Answer `question`; `on_token` receives the model's draft as it is written. The dates
        searched are those the question names, narrowed by `window` (--since/--until)."""
        question = clean_question(question, self.config)
        standalone = self._standalone(question, history or [])
        if (between := self._years_between(question, standalone, k, window)) is not None:
            return between
        parts = split_question(standalone)
        if len(parts) == 1:
            return self._answer(question, standalone, k, on_token, window)
        answers = [self._answer(part, part, k, on_token, window) for part in parts]
        return merge_parts(question, standalone, answers)

    def _years_between(self, question: str, standalone: str, k: int, window) -> AnswerResult | None:
        """A how-many-years question answered by the difference of its two events' cited
        years; None (to be answered as any question is) when it is none, or when either event
        has no cited year ("How many years after being ousted ...?": a sentence may say it)."""
        events = event_questions(standalone)
        if events is None:
            return None
        dated = [self._answer(event, event, k, None, window) for event in events]
        return years_between(question, standalone, dated)

    def _answer(
        self,
        question: str,
        standalone: str,
        k: int,
        on_token: Callable[[str], None] | None,
        window: TimeWindow | None,
    ) -> AnswerResult:
        """One question (or one part of a question) searched, read and answered."""
        window = time_window(standalone).merged(window or TimeWindow())
        passages = self.searcher.search(with_countries(standalone), k, window=window)
        self.guard.screen(passages)
        analysis = analyse(standalone)
        allowed = self.names_check(analysis, passages)
        ranked = rank_sentences(
            analysis, passages, self.reading, self._frequencies, self._similar, allowed
        )
        ranked = well_typed_first(
            analysis, ordinal_first(analysis, ranked), self.reading.fit_margin
        )
        base = {
            "question": question,
            "standalone_question": standalone,
            "model": self.model.name,
            "passages": [passage_out(p) for p in passages],
            "window": window,
            "answer_type": analysis.answer_type.value,
        }
        weakness, base["confidence"] = self._weak_evidence(analysis, passages, ranked, allowed)
        if weakness:
            return _abstained(base, weakness)
        prompt = AnswerPrompt(
            question=standalone,
            passages=passages,
            order=window.order,
            analysis=analysis,
            ranked=ranked,
            allowed=allowed,
        )
        draft = self._draft(prompt, base, on_token)
        if draft.text == CANNOT_ANSWER:
            return _abstained(base, "the model found no answer")
        if self.config.corroborate and analysis.factoid and analysis.parts == 1:
            draft, passages = self._corroborated(draft, analysis, passages, k, window)
            base["passages"] = [passage_out(p) for p in passages]
        return self._checked(draft, analysis, passages, base)

    def _corroborated(self, draft: Draft, analysis, passages: list[Passage], k: int, window):
        """The draft citing also another article that says the rest of the question."""

        def search(query: str) -> list[Passage]:
            return self.searcher.search(query, k, window=window)

        def article_terms(doc_id: str) -> set[str]:
            return content_terms(_article_text(self.searcher.index.documents[doc_id]))

        share, frequencies = self.config.corroboration_share, self._frequencies
        return corroborated(draft, analysis, passages, search, article_terms, frequencies, share)

    def _checked(
        self, draft: Draft, analysis: QuestionAnalysis, passages: list[Passage], base: dict
    ) -> AnswerResult:
        """The draft's claims checked against the passages, its short answer kept when a cited
        sentence holds it; an abstention when nothing survives."""
        embed = self.searcher.embedder.encode
        checked = check_citations(draft.text, passages, self.config.min_support, embed)
        if not checked.citations:
            return _abstained(base, "no claim was supported by a passage")
        window = base["window"]
        if not _any_in_window(checked.citations, passages, window, self.config.max_sentences):
            return _abstained(base, "no passage that answers it is dated in the range asked for")
        single = analysis.factoid and analysis.parts == 1
        fit = self.reading.min_span_fit
        short = short_answer(analysis, draft, checked.citations, fit) if single else None
        verified = base["verified"] = self._verified(base, checked.citations, short)
        if verified is not None and verified < self.config.min_verified:
            return _abstained(base, f"{NOT_STATED} (P {verified:.2f})")
        answer = checked.text
        drafter = self.fallback if base.get("fallback") and self.fallback else self.model
        rival = _rival(draft, short, checked.citations)
        if short is not None and drafter.leads_with_short_answer:
            answer = compose_factoid(short, checked.citations, passages)
            if rival is not None:
                answer += "\n" + compose_factoid(rival, checked.citations, passages)
        result = AnswerResult(
            **base,
            answer=answer,
            abstained=False,
            citations=checked.citations,
            short_answer=short.text if short else None,
            conflicts=[f"[{short.n}] {short.text} / [{rival.n}] {rival.text}"] if rival else [],
        )
        return _news_aware(result, passages)

    def _verified(self, base: dict, citations: list[Citation], short) -> float | None:
        """The verifier's P(the first two quotes state the answer); None without a verifier
        or when it fails (the answer then stands, the failure noted)."""
        if self.verifier is None:
            return None
        quotes = [c.quote for c in citations[:2]]
        try:
            question = base["standalone_question"]
            return self.verifier.probability(question, quotes, short.text if short else None)
        except ModelError as exc:
            base["model_error"] = str(exc)
            return None

    def names_check(self, analysis: QuestionAnalysis, passages: list[Passage]) -> NamedWith | None:
        """The check that a candidate answer's articles name what the question names."""
        names = asked_names(analysis) if self.config.names_in_articles else []
        if not names:
            return None
        documents = self.searcher.index.documents
        doc_ids = dict.fromkeys(p.chunk.doc_id for p in passages)
        texts = [_article_text(documents[d]) for d in doc_ids]
        return NamedWith(names, texts)

    def _frequencies(self, terms: set[str]) -> tuple[int, dict[str, int]]:
        return self.searcher.index.lexical().document_frequencies(terms)

    def _standalone(self, question: str, history: list[ChatTurn]) -> str:
        """The follow-up made standalone: by the model when it can, else by rule."""
        if not history or not needs_context(question):
            return question
        try:
            rewritten = self.model.rewrite(question, history)
        except ModelError:
            rewritten = None
        return rewritten or standalone_question(question, history)

    def _draft(self, prompt: AnswerPrompt, base: dict, on_token=None) -> Draft:
        """The model's draft; on a model failure, the fallback model's (noted in `base`)."""
        try:
            model = self.model
            return normalise_draft(_collect(model, prompt, on_token), model.quotes_articles)
        except ModelError as exc:
            if self.fallback is None:
                raise
            base.update(fallback=True, model_error=str(exc))
            model = self.fallback
            return normalise_draft(_collect(model, prompt, on_token), model.quotes_articles)

    def _weak_evidence(
        self,
        analysis: QuestionAnalysis,
        passages: list[Passage],
        ranked: list[RankedSentence],
        named: NamedWith | None = None,
    ) -> tuple[str | None, float]:
        """Why the passages cannot answer the question (None when they may), and the
        probability that they answer it."""
        similarity = max((p.best_similarity for p in passages), default=0.0)
        share, missing = missing_share(analysis, passages, self._frequencies)
        features = answerability_features(analysis, ranked, share, similarity)
        confidence = self.config.answerable.probability(features)
        if similarity < self.config.min_evidence:
            reason = f"no passage sentence is close to the question (best {similarity:.2f})"
        elif missing and share >= self.config.max_missing_share:
            reason = _never_mentioned(missing)
        elif absent := missing_names(analysis, passages):
            reason = _never_mentioned(absent)
        elif analysis.factoid and not any(r.span for r in ranked):
            reason = f"no passage names a {analysis.answer_type.value} that answers it"
            if named is not None and named.unnamed:
                unnamed = ", ".join(f"“{n}”" for n in named.unnamed)
                reason += f" in an article that also names {unnamed}"
        elif unsaid := premise_reason(analysis, ranked, passages, self.config):
            reason = unsaid
        elif confidence < self.config.min_answerable:
            reason = f"{WEAK_ANSWER} (confidence {confidence:.2f})"
        else:
            reason = None
        return reason, confidence


def _article_text(document) -> str:
    """An article as a name check reads it: its title, outlet, byline and text ("according to
    Press TV" is answered by Press TV's article, which never names itself)."""
    head = (document.title, document.outlet, document.byline)
    return "\n".join([*(part for part in head if part), document.text])


def _never_mentioned(words: list[str]) -> str:
    return "the articles found never mention " + ", ".join(f"“{w}”" for w in words)


def answerability_features(
    analysis: QuestionAnalysis, ranked: list[RankedSentence], missing: float, similarity: float
) -> dict[str, float]:
    """What the answerability model weighs (see `AnswerabilityWeights`)."""
    best = ranked[0].score if ranked else -10.0
    typed = next((r.score for r in ranked if r.span is not None), best)
    return {
        "score": best,
        "missing": missing,
        "similarity": similarity,
        "factoid": float(analysis.factoid),
        "typed_gap": best - typed if analysis.factoid else 0.0,
    }


def _any_in_window(citations: list[Citation], passages: list[Passage], window, lead: int) -> bool:
    """Whether a cited quote's article, or a date one of the `lead` first quotes mentions, is in
    the asked range (a date in a sentence quoted to explain further is no answer's date)."""
    articles = {p.chunk.doc_id: p.chunk.article_date for p in passages}
    return any(
        dates_fit(articles[c.doc_id], c.dates_in_quote if i < lead else [], window)
        for i, c in enumerate(citations)
    )


def _news_aware(result: AnswerResult, passages: list[Passage]) -> AnswerResult:
    """Say where cited articles disagree, and state the dates the answer rests on when the
    question is about time."""
    result.claims = result.answer
    result.dates = dated_sources(result.citations, passages)
    result.conflicts = result.conflicts + _conflicts(result)
    if result.conflicts:
        result.answer = f"The articles disagree ({'; '.join(result.conflicts)}): {result.answer}"
    if _dates_matter(result):
        lead = result.short_answer is None
        result.answer = dated_answer(result.answer, result.dates, result.citations, lead)
    return result


_NAMES = {"person", "place", "country", "organisation", "entity"}


def _dates_matter(result: AnswerResult) -> bool:
    """Whether the answer states its dates: the question is about time or filters by it, and
    the answer is not a name whose quote already gives its article's outlet and year."""
    if result.window.filters:
        return True
    named = result.short_answer is not None and result.answer_type in _NAMES
    return asks_about_time(result.standalone_question) and not named


def _rival(draft: Draft, short: ShortAnswer | None, citations: list[Citation]):
    """The other article's answer the draft quotes as disagreeing with the short answer, and
    the citation whose quote holds it (None when the citation check dropped that quote)."""
    if short is None or draft.rival is None:
        return None
    for citation in citations:
        if citation.n != short.n and (found := find_span(draft.rival, citation.quote)):
            return ShortAnswer(text=found, n=citation.n)
    return None


def _conflicts(result: AnswerResult) -> list[str]:
    """Pairs of citations from different articles that give different dates or numbers for the
    question's one subject (not for a list or a comparison of several things)."""
    question = result.standalone_question
    if compares_things(question):
        return []
    found = []
    for i, first in enumerate(result.citations):
        for second in result.citations[i + 1 :]:
            if first.doc_id == second.doc_id or second.doc_id in first.copies:
                continue
            if values := disagreement(question, first.quote, second.quote):
                mine, theirs = (", ".join(sorted(v)) for v in values)
                found.append(f"[{first.n}] {mine} / [{second.n}] {theirs}")
    return found


def _collect(model: AnswerModel, prompt: AnswerPrompt, on_token) -> str:
    if on_token is None:
        return model.execute(prompt)
    return run_stream(model.stream(prompt), on_token)


def _abstained(base: dict, reason: str) -> AnswerResult:
    return AnswerResult(
        **base, answer=NOT_FOUND, abstained=True, citations=[], abstain_reason=reason
    )
