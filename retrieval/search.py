"""Hybrid search over a loaded index: BM25 and dense, fused by weighted reciprocal rank.

The fused top passages are then re-scored with what we have locally: the best MiniLM similarity
between the question and any one sentence of the passage. Those sentence scores are kept on each
`Passage`, so the answer composer reuses them instead of embedding the sentences again.
"""

import numpy as np
from pydantic import BaseModel

from retrieval.config import MODES, Mode, SearchConfig
from retrieval.duplicates import DUPLICATE_SIMILARITY, resemblance, shingles
from retrieval.embedding import Embedder
from retrieval.index import LoadedIndex, StoredChunk
from retrieval.sentences import split_sentences
from retrieval.timefilter import TimeWindow, fits, order_key

__all__ = ["MODES", "HybridSearcher", "Mode", "Passage", "ScoredSentence", "TimeWindow"]
FILTERED_DEPTH = 4  # a date filter searches this many times deeper before filtering


class ScoredSentence(BaseModel):
    """A sentence of a passage, with offsets into its document and similarity to the question."""

    start: int
    end: int
    text: str
    similarity: float
    instruction: bool = False  # addresses a language model (set by the answering side's guard)


class Passage(BaseModel):
    """A retrieved chunk with its final score and the signals behind it."""

    chunk: StoredChunk
    score: float
    dense: float | None = None
    bm25: float | None = None
    sentences: list[ScoredSentence] = []
    copies: list[str] = []  # other articles carrying this passage (near-duplicates)

    @property
    def best_similarity(self) -> float:
        return max((s.similarity for s in self.sentences), default=self.dense or 0.0)


class HybridSearcher:
    """Answers `search(question, k)` over one loaded index."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, config: SearchConfig) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config

    def search(
        self, question: str, k: int, mode: Mode | None = None, window: TimeWindow | None = None
    ) -> list[Passage]:
        """The `k` best passages for `question`, best first (mode: the setting by default), from
        at most `max_per_article` passages per article while others qualify, near-duplicate
        passages counted once; within `window`'s dates, and ordered by date when it says so."""
        mode, window = mode or self.config.mode, window or TimeWindow()
        if not len(self.index.chunks):
            return []
        query = self.embedder.encode([question])[0]
        deeper = window.filters and window.strict
        depth = max(k, self.config.candidates) * (FILTERED_DEPTH if deeper else 1)
        dense = self._dense(query, depth) if mode != "bm25" else {}
        lexical = self._bm25(question, depth) if mode != "dense" else {}
        passages = [
            Passage(chunk=chunk, score=score, dense=dense.get(vid), bm25=lexical.get(vid))
            for vid, score in self._fuse(dense, lexical)
            if (chunk := self.index.chunks.get(vid)) is not None
            and (not window.strict or fits(chunk, window))
        ]
        if mode == "hybrid" and self.config.rerank_depth:
            passages = self._rerank(query, passages)
        if not window.strict:  # in the range first, then the others
            passages.sort(key=lambda p: not fits(p.chunk, window))
        top = self._diverse(passages, k)
        if window.order:
            top.sort(key=lambda p: order_key(p.chunk, window.order))
        self._attach_sentences(query, [p for p in top if not p.sentences])
        return top

    def _diverse(self, passages: list[Passage], k: int) -> list[Passage]:
        """The first `k` passages, a near-duplicate of a kept one folded into it (its article
        listed in `copies`), and past `max_per_article` of one article only when nothing else is
        left."""
        kept: list[Passage] = []
        held_back: list[Passage] = []
        per_article: dict[str, int] = {}
        fingerprints: list[set[int]] = []
        for passage in passages[: k * 4 + 10]:
            mine = shingles(passage.chunk.text, sample=False)
            twin = next(
                (
                    i
                    for i, f in enumerate(fingerprints)
                    if resemblance(mine, f) >= DUPLICATE_SIMILARITY
                ),
                None,
            )
            if twin is not None:
                copies = kept[twin].copies
                if passage.chunk.doc_id not in (kept[twin].chunk.doc_id, *copies):
                    copies.append(passage.chunk.doc_id)
                continue
            if per_article.get(passage.chunk.doc_id, 0) >= self.config.max_per_article:
                held_back.append(passage)
                continue
            if len(kept) < k:
                kept.append(passage)
                fingerprints.append(mine)
                per_article[passage.chunk.doc_id] = per_article.get(passage.chunk.doc_id, 0) + 1
        return (kept + held_back)[:k]

    def _dense(self, query: np.ndarray, depth: int) -> dict[int, float]:
        scores, ids = self.index.store.search(query[None, :], depth)
        return {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}

    def _bm25(self, question: str, depth: int) -> dict[int, float]:
        return self.index.lexical().search(question, depth)

    def _fuse(self, dense: dict[int, float], lexical: dict[int, float]) -> list[tuple[int, float]]:
        """Weighted reciprocal rank fusion; a list that is absent contributes nothing."""
        fused: dict[int, float] = {}
        weights = ((dense, self.config.dense_weight), (lexical, self.config.bm25_weight))
        for ranking, weight in weights:
            ordered = sorted(ranking, key=ranking.__getitem__, reverse=True)
            for rank, vid in enumerate(ordered, start=1):
                fused[vid] = fused.get(vid, 0.0) + weight / (self.config.rrf_k + rank)
        return sorted(fused.items(), key=lambda item: item[1], reverse=True)

    def _rerank(self, query: np.ndarray, passages: list[Passage]) -> list[Passage]:
        """Add the best sentence similarity to the fused score of the top passages."""
        head, tail = passages[: self.config.rerank_depth], passages[self.config.rerank_depth :]
        self._attach_sentences(query, head)
        top_fused = max((p.score for p in head), default=1.0) or 1.0
        for passage in head:
            relevance = passage.score / top_fused
            passage.score = relevance + self.config.rerank_weight * passage.best_similarity
        head.sort(key=lambda p: p.score, reverse=True)
        floor = head[-1].score if head else 0.0
        for passage in tail:  # keep the tail below the re-scored head, in fused order
            passage.score = min(passage.score, floor)
        return head + tail

    def _attach_sentences(self, query: np.ndarray, passages: list[Passage]) -> None:
        """Split each passage into sentences and score each against the query, in one batch."""
        spans = [split_sentences(p.chunk.text, offset=p.chunk.start) for p in passages]
        flat = [s for group in spans for s in group]
        if not flat:
            return
        similarities = self.embedder.encode([s.text for s in flat]) @ query
        position = 0
        for passage, group in zip(passages, spans, strict=True):
            passage.sentences = [
                ScoredSentence(start=s.start, end=s.end, text=s.text, similarity=float(sim))
                for s, sim in zip(
                    group, similarities[position : position + len(group)], strict=True
                )
            ]
            position += len(group)
