"""`python -m app bench`: speed, recall and memory on a synthetic news corpus of a chosen size.

One run measures, on `synthetic.passages(size)`:
- encoding: the raw `SentenceTransformer.encode` rate and the whole indexing pipeline's rate
  (ingest, chunk, embed, write) on the same sample of passages, and their ratio;
- the vector index the settings choose for `size` vectors (flat, or IVF past `exact_max`): build
  time, recall@10 against exact search, dense search latency, size on disk;
- the index as the app keeps it (chunk file, saved BM25, vectors), written as a real generation
  of 10-passage articles: its write time and size;
- BM25, hybrid and extractive `ask` latency, and peak memory, of a fresh app process that opens
  that generation as the app does (vectors and BM25 mapped, chunks read per hit);
- the bench process's own peak resident memory.
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
from app.bench_probe import Latency
from app.settings import PROJECT_ROOT, Settings
from retrieval import storage
from retrieval.chunkstore import StoredChunk
from retrieval.embedding import Embedder
from retrieval.index import DocumentEntry, IndexManager, Manifest, write_generation
from retrieval.ingest import Document
from retrieval.store import VectorStore, new_store, release_store

QUERIES = 100
BLOCK = 50_000  # synthetic vectors made and added per step
ARTICLE = 10  # passages per synthetic article


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
    dense: Latency  # vector search alone (candidates hits), in the search process
    bm25: Latency  # BM25 retrieval alone (candidates hits)
    hybrid: Latency  # the whole search: embed, dense + BM25, fuse, rerank, sentence scores
    ask: Latency  # search and the extractive answer with its citation check
    index_write_s: float  # chunk file, BM25 and vectors written as one generation
    chunk_file_mb: float
    bm25_mb: float
    search_process_rss_mb: float  # a fresh process that maps the vectors and searches them
    app_process_rss_mb: float  # a fresh process that opens the whole index, embedder included
    app_open_s: float  # that process: opening the index and loading the embedding model
    peak_rss_mb: float  # this bench process, synthetic corpus and exact search included
    notes: list[str] = []


def run_bench(size: int, settings: Settings, embedder: Embedder, sample: int = 512) -> BenchResult:
    """Measure everything on `size` synthetic passages (`sample` of them really embedded)."""
    sample = min(sample, size)
    texts = list(synthetic.passages(sample))
    encode_rate, sample_vectors = _encode_rate(embedder, texts)
    pipeline_rate = _pipeline_rate(embedder, settings, texts)
    questions = synthetic.questions(_spread_passages(size, QUERIES), QUERIES)
    query_vectors = embedder.encode(questions)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        vectors = (sample_vectors, size, query_vectors)
        store, build_s, exact = _build_store(*vectors, settings, data_dir)
        started = time.perf_counter()
        _write_index(data_dir, size, store, settings, embedder)
        write_s = time.perf_counter() - started
        recall = _recall(store, query_vectors, exact)
        release_store(settings.store_config())  # Milvus Lite: one process at a time
        generation = storage.current_generation(data_dir)
        serving = _probe("dense", data_dir, query_vectors, settings)
        app = _probe("app", data_dir, questions, settings)
        chunk_mb, bm25_mb = (_megabytes(generation / n) for n in ("chunks.sqlite3", "bm25"))
        index_mb = _store_megabytes(data_dir, generation, store)
    return BenchResult(
        size=size,
        sample=sample,
        encode_per_s=encode_rate,
        pipeline_per_s=pipeline_rate,
        pipeline_ratio=pipeline_rate / encode_rate,
        index_kind=store.kind,
        index_build_s=build_s,
        recall_at_10=recall,
        index_mb=index_mb,
        dense=Latency(**serving["dense"]),
        bm25=Latency(**app["bm25"]),
        hybrid=Latency(**app["hybrid"]),
        ask=Latency(**app["ask"]),
        index_write_s=write_s,
        chunk_file_mb=chunk_mb,
        bm25_mb=bm25_mb,
        search_process_rss_mb=serving["rss_mb"],
        app_process_rss_mb=app["rss_mb"],
        app_open_s=app["open_s"],
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        notes=_notes(size, sample, settings),
    )


def _notes(size: int, sample: int, settings: Settings) -> list[str]:
    notes = [f"{sample} passages embedded; the other {size - sample} vectors are synthetic"]
    if settings.store == "milvus":
        where = settings.milvus.uri or "Milvus Lite in a temporary data folder"
        notes.append(f"vectors in Milvus ({where}); its size on disk counts local files only")
    return notes


def _spread_passages(size: int, count: int) -> list[str]:
    """`count` passages from positions spread evenly over the whole corpus."""
    wanted = set(np.linspace(0, size - 1, min(count, size)).astype(int).tolist())
    return [text for n, text in enumerate(synthetic.passages(size)) if n in wanted]


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
        data_dir, store = Path(folder) / "data", settings.store_config()
        manager = IndexManager(data_dir, embedder, settings.chunking, store)
        started = time.perf_counter()
        report = manager.update(seeds, progress=False)
        seconds = time.perf_counter() - started
        release_store(store)
        return report.chunks_embedded / seconds


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


def _build_store(
    sample: np.ndarray, size: int, queries: np.ndarray, settings: Settings, data_dir: Path
):
    """The store the settings choose, filled block by block; its build time, and the exact top
    10 of each query (kept as a running top 10 over the same blocks)."""
    store = new_store(settings.store_config(), sample.shape[1], data_dir)
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
    return store, seconds, best_ids


def _recall(store: VectorStore, queries: np.ndarray, exact: np.ndarray) -> float:
    """recall@10 of `store` against the exact top 10 (after saving: Milvus then uses its index)."""
    _, found = store.search(queries, 10)
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(exact, found, strict=True)]))


def _store_megabytes(data_dir: Path, generation: Path, store: VectorStore) -> float:
    """The vectors' size on disk: the FAISS file, or a Milvus Lite database in the data folder."""
    if not store.shared:
        return _megabytes(generation / store.file_name)
    return sum(_megabytes(p) for p in data_dir.glob("milvus.db*"))


def _write_index(data_dir: Path, size: int, store, settings: Settings, embedder) -> None:
    """The synthetic corpus as one real index generation: articles of `ARTICLE` passages,
    their chunks (one per passage, vector id = passage number), BM25 and `store`."""
    articles = (size + ARTICLE - 1) // ARTICLE
    manifest = Manifest(
        embedding_model=embedder.model_name,
        dimension=store.dimension,
        chunking=settings.chunking,
        documents={
            _article_id(a): DocumentEntry(content_hash=_article_id(a), source="synthetic")
            for a in range(articles)
        },
        next_vector_id=size,
        store=settings.store,
    )
    documents = (doc for doc, _ in _articles(size))
    chunks = (chunk for _, chunks in _articles(size) for chunk in chunks)
    write_generation(data_dir, manifest, documents, chunks, store)


def _articles(size: int) -> Iterator[tuple[Document, list[StoredChunk]]]:
    """The synthetic passages grouped into articles, with one chunk per passage."""
    passages = synthetic.passages(size)
    for article in range((size + ARTICLE - 1) // ARTICLE):
        first = article * ARTICLE
        texts = [next(passages) for _ in range(min(ARTICLE, size - first))]
        doc_id, text = _article_id(article), "\n\n".join(texts)
        document = Document(doc_id=doc_id, source="synthetic", content_hash=doc_id, text=text)
        chunks, start = [], 0
        for n, passage in enumerate(texts):
            chunks.append(
                StoredChunk(
                    chunk_id=f"{doc_id}#{n}",
                    doc_id=doc_id,
                    text=passage,
                    start=start,
                    end=start + len(passage),
                    vector_id=first + n,
                )
            )
            start += len(passage) + 2
        yield document, chunks


def _article_id(article: int) -> str:
    return f"a{article:07d}"


def _probe(mode: str, data_dir: Path, queries, settings: Settings) -> dict:
    """Run `app.bench_probe` in a fresh process on the index in `data_dir`: `dense` opens the
    vectors alone and times `queries` (vectors); `app` opens the whole index as the app does
    and times `queries` (questions) through BM25, hybrid search and the extractive answer."""
    sections = settings.model_dump(mode="json", include={"chunking", "embedding", "search"})
    sections |= settings.model_dump(mode="json", include={"answer", "faiss", "store", "milvus"})
    if token := settings.milvus.token:
        sections["milvus"]["token"] = token.get_secret_value()
    with tempfile.TemporaryDirectory() as folder:
        query_file = Path(folder) / "queries.json"
        query_file.write_text(json.dumps(np.asarray(queries).tolist()))
        done = subprocess.run(
            [sys.executable, "-m", "app.bench_probe", mode, str(data_dir), str(query_file)],
            input=json.dumps(sections),
            capture_output=True,
            text=True,
            check=False,
            cwd=PROJECT_ROOT,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} search process failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def _megabytes(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(f.stat().st_size for f in files) / 2**20


def _forget(embedder: Embedder) -> None:
    """Empty the embedder's memo of recent texts, where it has one."""
    if forget := getattr(embedder, "forget", None):
        forget()


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
    names = {
        "dense": "dense retrieval",
        "bm25": "BM25 retrieval",
        "hybrid": "hybrid search",
        "ask": "ask (extractive)",
    }
    for name, label in names.items():
        latency = getattr(result, name)
        rows.append((label, f"p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms"))
    rows += [
        (
            "index files",
            f"written in {result.index_write_s:.1f} s: chunk file {result.chunk_file_mb:.0f} MB, "
            f"BM25 {result.bm25_mb:.0f} MB",
        ),
        ("search process RSS", f"{result.search_process_rss_mb:.0f} MB ({_serving(result)})"),
        (
            "app process RSS",
            f"{result.app_process_rss_mb:.0f} MB (whole index opened in "
            f"{result.app_open_s:.1f} s, embedding model included)",
        ),
    ]
    rows.append(("bench peak RSS", f"{result.peak_rss_mb:.0f} MB"))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines + [f"note: {note}" for note in result.notes])


def _serving(result: BenchResult) -> str:
    if result.index_kind.startswith("milvus"):
        return "a Milvus client: the server's own memory is not counted"
    return "vectors mapped"
