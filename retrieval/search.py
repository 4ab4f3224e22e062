"""Hybrid search over a loaded index: BM25 and dense, fused by weighted reciprocal rank.

The fused top passages are then re-scored with what we have locally: the best MiniLM similarity
between the question and any one sentence of the passage. Those sentence scores are kept on each
`Passage`, so the answer composer reuses them instead of embedding the sentences again.
"""

import threading
from functools import cached_property

import numpy as np
from pydantic import BaseModel

from retrieval.config import MODES, Mode, SearchConfig
from retrieval.embedding import Embedder
from retrieval.index import LoadedIndex, StoredChunk, indexed_text
from retrieval.sentences import split_sentences

__all__ = ["MODES", "HybridSearcher", "Mode", "Passage", "ScoredSentence"]


class ScoredSentence(BaseModel):
    """A sentence of a passage, with offsets into its document and similarity to the question."""

    start: int
    end: int
    text: str
    similarity: float


class Passage(BaseModel):
    """A retrieved chunk with its final score and the signals behind it."""

    chunk: StoredChunk
    score: float
    dense: float | None = None
    bm25: float | None = None
    sentences: list[ScoredSentence] = []

    @property
    def best_similarity(self) -> float:
        return max((s.similarity for s in self.sentences), default=self.dense or 0.0)


class HybridSearcher:
    """Answers `search(question, k)` over one loaded index."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, config: SearchConfig) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config
        self._chunks = index.chunk_by_vector_id()
        self._bm25_lock = threading.Lock()

    def search(self, question: str, k: int, mode: Mode | None = None) -> list[Passage]:
        """The `k` best passages for `question`, best first (mode: the setting by default)."""
        mode = mode or self.config.mode
        if not self._chunks:
            return []
        query = self.embedder.encode([question])[0]
        depth = max(k, self.config.candidates)
        dense = self._dense(query, depth) if mode != "bm25" else {}
        lexical = self._bm25(question, depth) if mode != "dense" else {}
        fused = self._fuse(dense, lexical)
        passages = [
            Passage(
                chunk=self._chunks[vid], score=score, dense=dense.get(vid), bm25=lexical.get(vid)
            )
            for vid, score in fused
        ]
        if mode == "hybrid" and self.config.rerank_depth:
            passages = self._rerank(query, passages)
        top = passages[:k]
        self._attach_sentences(query, [p for p in top if not p.sentences])
        return top

    def _dense(self, query: np.ndarray, depth: int) -> dict[int, float]:
        scores, ids = self.index.store.search(query[None, :], depth)
        return {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}

    def _bm25(self, question: str, depth: int) -> dict[int, float]:
        with self._bm25_lock:  # bm25s' tokenizer and its stemmer are not thread-safe
            retriever, tokenizer, vector_ids = self._bm25_index
            tokens = tokenizer.tokenize([question], update_vocab=False, show_progress=False)
            if not any(tokens[0]):
                return {}
            k = min(depth, len(vector_ids))
            rows, scores = retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return {vector_ids[r]: float(s) for r, s in zip(rows[0], scores[0], strict=True) if s > 0}

    @cached_property
    def _bm25_index(self):
        import bm25s
        import Stemmer

        tokenizer = bm25s.tokenization.Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="en")
        vector_ids = list(self._chunks)
        texts = [indexed_text(self._chunks[v]) for v in vector_ids]
        retriever = bm25s.BM25()
        retriever.index(tokenizer.tokenize(texts, show_progress=False), show_progress=False)
        return retriever, tokenizer, vector_ids

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
