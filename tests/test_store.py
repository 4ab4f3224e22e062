"""The FAISS store for real: the index type follows size, adds and removals at every type,
memory-mapped loading, and the bench that measures it all."""

import json

import numpy as np
import pytest

from retrieval.config import FaissConfig
from retrieval.store import FaissStore
from tests.test_cli import run_app


def unit_vectors(count: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, 64)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_auto_turns_flat_into_ivf_past_exact_max_and_keeps_every_vector():
    vectors = unit_vectors(3000)
    store = FaissStore(64, config=FaissConfig(exact_max=2000))
    store.add(np.arange(1500), vectors[:1500])
    assert store.kind == "flat"
    store.add(np.arange(1500, 3000), vectors[1500:])
    assert (store.kind, len(store)) == ("ivf", 3000)
    ids, kept = store.all_vectors()
    assert sorted(ids) == list(range(3000))
    assert np.abs(kept[np.argsort(ids)] - vectors).max() < 0.02  # 8-bit codes, decoded


@pytest.mark.parametrize("kind", ["flat", "ivf", "hnsw"])
def test_every_index_type_finds_a_vector_and_forgets_a_removed_one(kind):
    vectors = unit_vectors(2000, seed=1)
    store = FaissStore(64, config=FaissConfig(index=kind, nprobe=64))
    store.add(np.arange(2000), vectors)
    assert store.kind == kind
    _, ids = store.search(vectors[[7, 1500]], 1)
    assert ids[:, 0].tolist() == [7, 1500]
    store.remove(np.array([7]))
    _, ids = store.search(vectors[[7]], 3)
    assert 7 not in ids[0] and len(store) == 1999


def test_a_searcher_reads_the_index_memory_mapped(tmp_path):
    vectors = unit_vectors(500, seed=2)
    for kind in ("flat", "ivf"):
        store = FaissStore(64, config=FaissConfig(index=kind))
        store.add(np.arange(500), vectors)
        store.save(tmp_path / f"{kind}.faiss")
        mapped = FaissStore.load(tmp_path / f"{kind}.faiss", FaissConfig(nprobe=32), mmap=True)
        _, ids = mapped.search(vectors[[42]], 1)
        assert (mapped.kind, len(mapped), ids[0, 0]) == (kind, 500, 42)


def test_bench_prints_every_figure_as_json(tmp_path):
    done = run_app("bench", "--size", "400", "--sample", "48", "--json", data_dir=tmp_path / "d")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["size"] == 400 and result["sample"] == 48
    assert result["encode_per_s"] > 0 and 0 < result["pipeline_ratio"] <= 1.5
    assert result["recall_at_10"] == 1.0 and result["index_kind"] == "flat"
    for name in ("dense", "bm25", "hybrid", "ask"):
        assert 0 < result[name]["p50_ms"] <= result[name]["p95_ms"], name
    assert result["peak_rss_mb"] > 100 and "synthetic" in result["notes"][0]
    assert 0 < result["search_process_rss_mb"] < result["app_process_rss_mb"]
    assert result["chunk_file_mb"] > 0 and result["bm25_mb"] > 0 and result["app_open_s"] > 0
    bad = run_app("bench", "--size", "0", data_dir=tmp_path / "d")
    assert bad.returncode == 2 and "at least 1" in bad.stderr
