"""Sweep search settings on a question set and print doc-level recall@1/3/5 and MRR.

Used to set the fusion and re-scoring weights from the question set:
    .venv/bin/python scripts/tune_retrieval.py [seeds/questions_tune.jsonl]
Embeddings are cached per text, so the sweep embeds each sentence once.
"""

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.engine import Engine
from app.evaluation import load_questions
from app.rewrite import standalone_question
from app.settings import PROJECT_ROOT, Settings
from retrieval.config import SearchConfig
from retrieval.search import HybridSearcher


class CachedEmbedder:
    def __init__(self, inner):
        self.inner, self.model_name = inner, inner.model_name
        self.encode_one = lru_cache(maxsize=None)(lambda t: inner.encode([t])[0])

    @property
    def dimension(self):
        return self.inner.dimension

    def encode(self, texts, progress=False):
        return np.stack([self.encode_one(t) for t in texts]) if texts else self.inner.encode([])


def doc_ranks(searcher, questions, k=5):
    ranks = []
    for q in questions:
        docs = [
            p.chunk.doc_id for p in searcher.search(standalone_question(q.question, q.history), k)
        ]
        ranks.append(next((i for i, d in enumerate(docs, 1) if d in q.sources), None))
    return ranks


def row(label, ranks):
    at = lambda n: np.mean([r is not None and r <= n for r in ranks])  # noqa: E731
    mrr = np.mean([1 / r if r else 0 for r in ranks])
    print(f"{label:<44} r@1 {at(1):.3f}  r@3 {at(3):.3f}  r@5 {at(5):.3f}  MRR {mrr:.3f}")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "seeds/questions_tune.jsonl"
    questions = [q for q in load_questions(path) if q.answerable]
    engine = Engine(Settings())
    engine.ensure_index(progress=False)
    index, embedder = engine.loaded_index(), CachedEmbedder(engine.embedder)
    print(f"{len(questions)} answerable questions, {len(index.chunks)} chunks")
    row(
        "hybrid (current settings)",
        doc_ranks(HybridSearcher(index, embedder, Settings().search), questions),
    )
    for mode in ("dense", "bm25"):
        row(mode, doc_ranks(HybridSearcher(index, embedder, SearchConfig(mode=mode)), questions))
    for dw, bw in ((1, 1), (1, 0.5), (0.5, 1), (1, 2), (2, 1)):
        for rw in (0.0, 0.25, 0.5, 1.0, 2.0):
            config = SearchConfig(
                dense_weight=dw, bm25_weight=bw, rerank_weight=rw, rerank_depth=20 if rw else 0
            )
            ranks = doc_ranks(HybridSearcher(index, embedder, config), questions)
            row(f"hybrid dense={dw} bm25={bw} rerank={rw}", ranks)


if __name__ == "__main__":
    main()
