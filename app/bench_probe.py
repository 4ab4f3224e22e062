"""The search processes of `python -m app bench`, each timing one query at a time and printing
its latencies and peak memory as JSON:

- `dense DATA_DIR QUERIES.json`: opens the index's vectors as the app's searchers do (a FAISS
  file mapped, or the Milvus collection) and searches them. It imports numpy, the settings and
  the store only, so its memory is the index's, not torch's.
- `app DATA_DIR QUESTIONS.json`: opens the whole index as the app does (vectors and BM25
  mapped, chunks read per hit, the embedding model loaded) and times BM25 retrieval alone, the
  whole hybrid search (question embedded, dense and BM25 fused, the top passages' sentences
  scored) and the extractive answer, each question as if it came first.

The settings' sections (chunking, embedding, search, answer, store, faiss, milvus) come as JSON
on stdin.
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from app.settings import Settings
from retrieval import storage
from retrieval.store import load_store


class Latency(BaseModel):
    """Percentiles of one operation, in milliseconds."""

    p50_ms: float
    p95_ms: float


def latency(operation, inputs, before=None) -> Latency:
    """Percentiles of `operation` over `inputs`; `before` runs untimed ahead of each one."""
    times = []
    for item in inputs:
        if before is not None:
            before()
        started = time.perf_counter()
        operation(item)
        times.append((time.perf_counter() - started) * 1000)
    return Latency(p50_ms=float(np.percentile(times, 50)), p95_ms=float(np.percentile(times, 95)))


def peak_rss_mb() -> float:
    """This process's peak resident memory. `VmHWM` belongs to the process's own memory map,
    which `exec` replaced; `ru_maxrss` would still count the parent that forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_vectors(data_dir: Path, queries: list, sections: dict) -> dict:
    """Open the index's vectors (a FAISS file mapped, or the Milvus collection) and time one
    search of `candidates` hits per query vector."""
    settings = Settings(data_dir=data_dir, **sections)
    generation = storage.current_generation(data_dir)
    store = load_store(generation, settings.store_config(), data_dir, mmap=True)
    vectors = np.asarray(queries, dtype=np.float32)
    dense = latency(lambda q: store.search(q[None, :], settings.search.candidates), vectors)
    return {"dense": dense.model_dump(), "rss_mb": peak_rss_mb()}


def serve_questions(data_dir: Path, questions: list[str], sections: dict) -> dict:
    """Open the index in `data_dir` as the app does and time BM25, hybrid and `ask`."""
    from app.answering import Answerer
    from app.models.extractive import ExtractiveModel
    from retrieval.embedding import SentenceTransformerEmbedder
    from retrieval.index import IndexManager
    from retrieval.search import HybridSearcher

    started = time.perf_counter()
    settings = Settings(data_dir=data_dir, **sections)
    embedder = SentenceTransformerEmbedder(settings.embedding)
    manager = IndexManager(data_dir, embedder, settings.chunking, settings.store_config())
    searcher = HybridSearcher(manager.load(mmap=True), embedder, settings.search)
    searcher.search(questions[0], 5, "hybrid")  # loads the model and BM25: part of opening
    opened = time.perf_counter() - started
    answerer = Answerer(searcher, ExtractiveModel(), settings.answer)
    timings = {
        "bm25": lambda q: searcher.index.lexical().search(q, settings.search.candidates),
        "hybrid": lambda q: searcher.search(q, 5, "hybrid"),
        "ask": lambda q: answerer.ask(q, 5),
    }
    figures = {
        name: latency(run, questions, embedder.forget).model_dump() for name, run in timings.items()
    }
    return figures | {"rss_mb": peak_rss_mb(), "open_s": opened}


if __name__ == "__main__":
    mode, target, query_file = sys.argv[1:4]
    serve = {"dense": serve_vectors, "app": serve_questions}[mode]
    queries = json.loads(Path(query_file).read_text(encoding="utf-8"))
    print(json.dumps(serve(Path(target), queries, json.loads(sys.stdin.read()))))
