"""The Milvus store for real: Milvus Lite embedded in this process, and a Milvus Lite server on
127.0.0.1 reached by URL, as a Milvus server or cluster would be."""

import json
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from app.engine import Engine
from app.settings import Settings
from retrieval.config import MilvusConfig
from retrieval.errors import StoreUnavailableError
from retrieval.milvus_store import MilvusStore, connect, forget_clients
from tests.conftest import SEEDS
from tests.test_cli import run_app
from tests.test_store import unit_vectors

QUESTIONS = [
    "Which country joined the SCO in 2024?",
    "Where was the Shanghai Five founded?",
    "What did Xi Jinping say about terrorism?",
]


@pytest.fixture(autouse=True)
def release_milvus():
    """Each test opens its own databases; close them after, so no lock outlives a test."""
    yield
    forget_clients()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def milvus_server(tmp_path):
    """A Milvus Lite gRPC server in its own process, on a free port of 127.0.0.1."""
    port = free_port()
    command = [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(tmp_path / "srv")]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def test_store_finds_forgets_and_reopens_vectors(tmp_path):
    config = MilvusConfig(uri=str(tmp_path / "m.db"))
    vectors = unit_vectors(2000, seed=3)
    store = MilvusStore.create(config, 64)
    store.add(np.arange(2000), vectors)
    store.add(np.arange(1990, 2000), vectors[1990:])  # again: an upsert, no duplicate rows
    store.remove(np.array([7, 8]))
    store.save(tmp_path / "pointer.json")
    reopened = MilvusStore.load(tmp_path / "pointer.json", config)
    scores, ids = reopened.search(vectors[[7, 1500, 1995]], 3)
    assert len(reopened) == 1998
    assert 7 not in ids[0] and ids[1, 0] == 1500 and ids[2, 0] == 1995
    assert scores[1, 0] == pytest.approx(1.0, abs=1e-4)
    exact = vectors @ vectors[:50].T
    exact[[7, 8]] = -2
    _, found = reopened.search(vectors[:50], 10)
    truth = np.argsort(-exact, axis=0)[:10].T
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.95


def test_the_seed_index_on_milvus_answers_as_on_faiss(tmp_path, embedder, seed_engine):
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=SEEDS, store="milvus")
    engine = Engine(settings, embedder=embedder)
    report = engine.update_index(progress=False)
    assert (report.total_chunks, report.chunks_embedded) == (17, 17)
    assert (tmp_path / "data" / "milvus.db").is_dir()
    for question in QUESTIONS:
        on_milvus = [p.chunk.chunk_id for p in engine.search(question, 5, mode="dense")]
        on_faiss = [p.chunk.chunk_id for p in seed_engine.search(question, 5, mode="dense")]
        assert on_milvus == on_faiss
        assert engine.ask(question).answer == seed_engine.ask(question).answer


def test_updates_change_the_collection_in_place_and_a_rebuild_replaces_it(
    tmp_path, embedder, seeds_copy
):
    settings = Settings(data_dir=tmp_path / "data", seeds_dir=seeds_copy, store="milvus")
    engine = Engine(settings, embedder=embedder)
    engine.update_index(progress=False)
    first = engine.loaded_index().store.collection
    removed = sorted(seeds_copy.glob("*.txt"))[0]
    removed.unlink()
    report = engine.update_index(progress=False)
    index = engine.loaded_index()
    assert report.removed == [removed.stem] and index.store.collection == first
    assert len(index.store) == len(index.chunks) == report.total_chunks < 17
    assert removed.stem not in {p.chunk.doc_id for p in engine.search("SCO summit", 10)}
    engine.update_index(rebuild=True, progress=False)
    rebuilt = engine.loaded_index().store
    client = connect(rebuilt.config)
    assert rebuilt.collection != first and len(rebuilt) == report.total_chunks
    assert [c for c in client.list_collections() if c.startswith("newsqa_")] == [rebuilt.collection]


def test_cli_indexes_and_answers_through_a_milvus_server(tmp_path, milvus_server):
    milvus = {"NEWSQA_STORE": "milvus", "NEWSQA_MILVUS__URI": milvus_server}
    done = run_app("index", data_dir=tmp_path / "d", **milvus)
    assert done.returncode == 0, done.stderr
    asked = run_app("ask", QUESTIONS[0], data_dir=tmp_path / "d", **milvus)
    assert asked.returncode == 0, asked.stderr
    assert "Belarus" in asked.stdout and "[1]" in asked.stdout
    assert not (tmp_path / "d" / "milvus.db").exists()  # the vectors are on the server


def test_unreachable_server_locked_database_and_switched_store_are_clear_errors(tmp_path, embedder):
    down = f"http://127.0.0.1:{free_port()}"
    done = run_app("index", data_dir=tmp_path / "a", NEWSQA_STORE="milvus", NEWSQA_MILVUS__URI=down)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"Milvus at {down} failed" in done.stderr
    settings = Settings(data_dir=tmp_path / "b", seeds_dir=SEEDS, store="milvus")
    Engine(settings, embedder=embedder).update_index(progress=False)  # holds milvus.db open
    locked = run_app("ask", QUESTIONS[0], data_dir=tmp_path / "b", NEWSQA_STORE="milvus")
    assert locked.returncode != 0 and "Traceback" not in locked.stderr
    assert "in use by another process" in locked.stderr
    switched = run_app("ask", QUESTIONS[0], data_dir=tmp_path / "b", NEWSQA_STORE="faiss")
    assert switched.returncode != 0 and "Traceback" not in switched.stderr
    assert "built with the milvus vector store" in switched.stderr


def test_a_failed_connection_is_a_store_error(tmp_path):
    config = MilvusConfig(uri=f"http://127.0.0.1:{free_port()}", timeout_s=2)
    with pytest.raises(StoreUnavailableError, match="Milvus at"):
        MilvusStore.create(config, 8)


def test_bench_measures_the_milvus_store_when_the_settings_choose_it(tmp_path):
    args = ("bench", "--size", "400", "--sample", "48", "--json")
    done = run_app(*args, data_dir=tmp_path / "d", NEWSQA_STORE="milvus")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["index_kind"] == "milvus HNSW" and result["recall_at_10"] >= 0.95
    assert result["index_mb"] > 0  # the Milvus Lite database in the bench's data folder
    assert result["dense"]["p50_ms"] > 0 and result["ask"]["p50_ms"] > 0
    assert "Milvus" in result["notes"][1]
