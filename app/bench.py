"""`python -m app bench`: speed, recall and memory on a synthetic news corpus of a chosen size.

One run measures, on `synthetic.passages(size)`:
- encoding: the raw `SentenceTransformer.encode` rate and the whole indexing pipeline's rate
  (ingest, chunk, embed, write) on the same sample of passages, and their ratio;
- the vector index the settings choose for `size` vectors (flat, or IVF past `exact_max`): build
  time, recall@10 against exact search, dense search latency, size on disk;
- BM25, hybrid and extractive `ask` latency over an in-memory index of all the passages;
- the process's peak resident memory.
Only a sample is embedded (at 18 passages/s, a million would take most of a day); the other
vectors are made from the sample's (a mix of two real vectors plus noise, normalised), so the
vector index has the shape of real data. The output says so.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from app import synthetic
from app.answering import Answerer
from app.bench_probe import Latency, latency
from app.models.extractive import ExtractiveModel
from app.settings import PROJECT_ROOT, Settings
from retrieval.chunking import Chunk
from retrieval.embedding import Embedder
from retrieval.index import IndexManager, LoadedIndex, Manifest, StoredChunk
from retrieval.search import HybridSearcher
from retrieval.store import FaissStore

QUERIES = 100
BLOCK = 50_000  # synthetic vectors made and added per step
MAX_IN_MEMORY = 200_000  # passages held as Python objects for the BM25/hybrid/ask figures


class BenchResult(BaseModel):
    """Everything one bench run measured; `notes` says what was approximated."""

    size: int
    sample: int
    encode_per_s: float
    pipeline_per_s: float
    pipeline_ratio: float
    index_kind: str
    index_build_s: float
    recall_at_10: float
    index_mb: float
    dense: Latency
    bm25: Latency | None = None
    hybrid: Latency | None = None
    ask: Latency | None = None
    search_process_rss_mb: float  # a fresh process that maps the index and answers queries
    peak_rss_mb: float  # this bench process, synthetic corpus and exact search included
    notes: list[str] = []


def run_bench(size: int, settings: Settings, embedder: Embedder, sample: int = 512) -> BenchResult:
    """Measure everything on `size` synthetic passages (`sample` of them really embedded)."""
    in_memory = size <= MAX_IN_MEMORY
    texts = list(synthetic.passages(size if in_memory else max(sample, QUERIES)))
    sample = min(sample, size)
    encode_rate, sample_vectors = _encode_rate(embedder, texts[:sample])
    pipeline_rate = _pipeline_rate(embedder, settings, texts[:sample])
    questions = synthetic.questions(texts, QUERIES)
    query_vectors = embedder.encode(questions)
    store, build_s, recall = _build_store(sample_vectors, size, query_vectors, settings)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.faiss"
        store.save(path)
        serving = _search_process(path, query_vectors, settings)
    result = BenchResult(
        size=size,
        sample=sample,
        encode_per_s=encode_rate,
        pipeline_per_s=pipeline_rate,
        pipeline_ratio=pipeline_rate / encode_rate,
        index_kind=store.kind,
        index_build_s=build_s,
        recall_at_10=recall,
        index_mb=serving["file_mb"],
        dense=Latency(**serving["dense"]),
        search_process_rss_mb=serving["rss_mb"],
        peak_rss_mb=0.0,
        notes=[f"{sample} passages embedded; the other {size - sample} vectors are synthetic"],
    )
    if in_memory:
        _text_search(result, texts, store, questions, settings, embedder)
    else:
        result.notes.append(
            f"BM25, hybrid and ask not measured above {MAX_IN_MEMORY} passages: chunk metadata "
            "is held as Python objects"
        )
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _encode_rate(embedder: Embedder, texts: list[str]) -> tuple[float, np.ndarray]:
    embedder.encode(["warm-up: load the model before timing"])
    _forget(embedder)
    started = time.perf_counter()
    vectors = embedder.encode(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def _pipeline_rate(embedder: Embedder, settings: Settings, texts: list[str]) -> float:
    """Passages per second through `IndexManager.update` on files of the same passages."""
    _forget(embedder)  # nothing remembered from the raw run
    with tempfile.TemporaryDirectory() as folder:
        seeds = Path(folder) / "articles"
        seeds.mkdir()
        for n, text in enumerate(texts):
            (seeds / f"p{n:07d}.txt").write_text(text + "\n", encoding="utf-8")
        manager = IndexManager(Path(folder) / "data", embedder, settings.chunking)
        started = time.perf_counter()
        report = manager.update(seeds, progress=False)
        return report.chunks_embedded / (time.perf_counter() - started)


def _vector_blocks(sample: np.ndarray, size: int, seed: int = 3) -> Iterator[np.ndarray]:
    """`size` vectors in blocks: the sample's, then mixes of two sample vectors plus noise,
    normalised (the shape of real embeddings, without embedding a million texts)."""
    rng = np.random.default_rng(seed)
    yield sample[:size]
    for start in range(len(sample), size, BLOCK):
        count = min(BLOCK, size - start)
        first = sample[rng.integers(0, len(sample), count)]
        second = sample[rng.integers(0, len(sample), count)]
        noise = rng.standard_normal((count, sample.shape[1]), dtype=np.float32)
        mixed = 0.7 * first + 0.3 * second + 0.35 * noise / np.sqrt(sample.shape[1])
        yield np.ascontiguousarray(mixed / np.linalg.norm(mixed, axis=1, keepdims=True))


def _build_store(sample: np.ndarray, size: int, queries: np.ndarray, settings: Settings):
    """The store the settings choose, filled block by block; its build time, and its recall@10
    against exact search (kept as a running top 10 over the same blocks)."""
    store = FaissStore(sample.shape[1], config=settings.faiss)
    best_scores = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_ids = np.full((len(queries), 10), -1, dtype=np.int64)
    seconds, offset = 0.0, 0
    for block in _vector_blocks(sample, size):
        ids = np.arange(offset, offset + len(block), dtype=np.int64)
        started = time.perf_counter()
        store.add(ids, block)
        seconds += time.perf_counter() - started
        scores = np.hstack([best_scores, queries @ block.T])
        every = np.hstack([best_ids, np.broadcast_to(ids, (len(queries), len(ids)))])
        top = np.argsort(-scores, axis=1)[:, :10]
        best_scores, best_ids = (
            np.take_along_axis(scores, top, 1),
            np.take_along_axis(every, top, 1),
        )
        offset += len(block)
    _, found = store.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(best_ids, found, strict=True)])
    return store, seconds, float(recall)


def _search_process(path: Path, queries: np.ndarray, settings: Settings) -> dict:
    """Dense search latency and peak memory of a fresh process that maps the saved index, as
    the app's searchers do."""
    with tempfile.TemporaryDirectory() as folder:
        query_file = Path(folder) / "queries.npy"
        np.save(query_file, queries)
        config = settings.faiss.model_dump_json()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "app.bench_probe",
                str(path),
                str(query_file),
                config,
                str(settings.search.candidates),
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=PROJECT_ROOT,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the search process failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def _text_search(result, texts, store, questions, settings: Settings, embedder) -> None:
    """BM25, hybrid and ask latency over every passage held in memory (up to MAX_IN_MEMORY)."""
    if len(texts) > MAX_IN_MEMORY:
        result.notes.append(
            f"BM25, hybrid and ask not measured above {MAX_IN_MEMORY} passages: chunk metadata "
            "is held as Python objects"
        )
        return
    chunks = [_chunk(n, text) for n, text in enumerate(texts)]
    manifest = Manifest(
        embedding_model=embedder.model_name, dimension=store.dimension, chunking=settings.chunking
    )
    loaded = LoadedIndex(manifest=manifest, documents={}, chunks=chunks, store=store)
    searcher = HybridSearcher(loaded, embedder, settings.search)
    searcher.search(questions[0], 5, "bm25")  # builds the BM25 index, not timed
    forget = lambda: _forget(embedder)  # noqa: E731 - each question as if it came first
    result.bm25 = latency(lambda q: searcher.search(q, 5, "bm25"), questions, forget)
    result.hybrid = latency(lambda q: searcher.search(q, 5, "hybrid"), questions, forget)
    answerer = Answerer(searcher, ExtractiveModel(), settings.answer)
    result.ask = latency(lambda q: answerer.ask(q, 5), questions, forget)


def _forget(embedder: Embedder) -> None:
    """Empty the embedder's memo of recent texts, where it has one."""
    if forget := getattr(embedder, "forget", None):
        forget()


def _chunk(n: int, text: str) -> StoredChunk:
    base = Chunk(chunk_id=f"p{n:07d}#0", doc_id=f"p{n:07d}", text=text, start=0, end=len(text))
    return StoredChunk(**base.model_dump(), vector_id=n)


def result_table(result: BenchResult) -> str:
    """The bench as a few aligned lines."""
    rows = [
        ("passages", f"{result.size:,} ({result.sample:,} embedded)"),
        ("encode (raw)", f"{result.encode_per_s:.1f} passages/s"),
        (
            "index pipeline",
            f"{result.pipeline_per_s:.1f} passages/s ({result.pipeline_ratio:.0%} of raw encode)",
        ),
        (
            "vector index",
            f"{result.index_kind}, built in {result.index_build_s:.1f} s, "
            f"{result.index_mb:.1f} MB on disk",
        ),
        ("recall@10 vs exact", f"{result.recall_at_10:.3f}"),
    ]
    for name in ("dense", "bm25", "hybrid", "ask"):
        latency = getattr(result, name)
        if latency is not None:
            rows.append(
                (f"{name} latency", f"p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms")
            )
    rows.append(("search process RSS", f"{result.search_process_rss_mb:.0f} MB (index mapped)"))
    rows.append(("bench peak RSS", f"{result.peak_rss_mb:.0f} MB"))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines + [f"note: {note}" for note in result.notes])
