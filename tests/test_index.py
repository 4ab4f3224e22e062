"""The on-disk index: incremental updates, refusal of mismatched indexes, crash safety."""

import json
import shutil
from pathlib import Path

import pytest

from retrieval import storage
from retrieval.config import ChunkingConfig
from retrieval.errors import IndexCorruptError, IndexMismatchError
from retrieval.index import IndexManager

NEW_ARTICLE = """Summit in Bishkek ends

BISHKEK, Kyrgyzstan -- Leaders of the regional bloc agreed on Friday to build a new railway
linking Kyrgyzstan and Uzbekistan, officials said. The railway will cost four billion dollars.
"""


def manager(data_dir: Path, embedder, chunking: ChunkingConfig | None = None) -> IndexManager:
    return IndexManager(data_dir, embedder, chunking or ChunkingConfig())


def test_incremental_update_embeds_only_what_changed(tmp_path, seeds_copy, embedder):
    index = manager(tmp_path / "data", embedder)
    first = index.update(seeds_copy, progress=False)
    assert len(first.added) == 5 and first.chunks_embedded == first.total_chunks > 0

    again = index.update(seeds_copy, progress=False)
    assert (again.wrote, again.chunks_embedded, len(again.unchanged)) == (False, 0, 5)

    (seeds_copy / "005_bishkek.txt").write_text(NEW_ARTICLE)
    path = seeds_copy / "003_8a3b2beb2ba57f63.txt"
    path.write_text(path.read_text() + "\nThe summit closed with a joint statement on water.\n")
    (seeds_copy / "000_eb7fae85ced59253.txt").unlink()
    third = index.update(seeds_copy, progress=False)
    assert third.added == ["005_bishkek"]
    assert third.changed == ["003_8a3b2beb2ba57f63"]
    assert third.removed == ["000_eb7fae85ced59253"]
    assert len(third.unchanged) == 3

    loaded = index.load()
    assert set(loaded.documents) == {p.stem for p in seeds_copy.glob("*.txt")}
    assert len(loaded.store) == len(loaded.chunks) == third.total_chunks
    assert third.chunks_embedded + third.chunks_cached == sum(
        1 for c in loaded.chunks if c.doc_id in {"005_bishkek", "003_8a3b2beb2ba57f63"}
    )
    # the new article is embedded; the changed one's chunks kept their text (the added line
    # falls in the footer that cleaning drops), so their vectors come from the cache
    assert (third.chunks_embedded, third.chunks_cached) == (1, 2)
    assert not any(c.doc_id == "000_eb7fae85ced59253" for c in loaded.chunks)


def test_a_rebuild_of_unchanged_text_embeds_nothing(tmp_path, seeds_copy, embedder):
    index = manager(tmp_path / "data", embedder)
    first = index.update(seeds_copy, progress=False)
    rebuilt = index.update(seeds_copy, rebuild=True, progress=False)
    assert (rebuilt.chunks_embedded, rebuilt.chunks_cached) == (0, first.total_chunks)
    loaded = index.load()
    question = embedder.encode(["Which country joined the SCO at the Astana summit?"])
    _, ids = loaded.store.search(question, 3)
    assert len(ids[0]) == 3 and (tmp_path / "data" / "cache" / "embeddings.sqlite3").is_file()


def test_a_damaged_embedding_cache_is_passed_over_with_a_warning(tmp_path, seeds_copy, embedder):
    cache = tmp_path / "data" / "cache" / "embeddings.sqlite3"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a database" * 100)
    report = manager(tmp_path / "data", embedder).update(seeds_copy, progress=False)
    assert report.wrote and report.chunks_embedded == report.total_chunks
    assert report.warnings and "embedding cache" in report.warnings[0]


def test_vectors_of_kept_chunks_still_match_their_text(tmp_path, seeds_copy, embedder):
    index = manager(tmp_path / "data", embedder)
    index.update(seeds_copy, progress=False)
    (seeds_copy / "001_f8d36b30d32ee174.txt").unlink()
    index.update(seeds_copy, progress=False)
    loaded = index.load()
    chunks = list(loaded.chunks)
    assert "001_f8d36b30d32ee174" not in {c.doc_id for c in chunks}
    for chunk in chunks:
        query = embedder.encode([chunk.text])
        _, ids = loaded.store.search(query, 1)
        assert loaded.chunks.get(int(ids[0][0])).chunk_id == chunk.chunk_id


def test_index_built_with_another_model_or_dimension_is_refused(tmp_path, seeds_copy, embedder):
    data = tmp_path / "data"
    manager(data, embedder).update(seeds_copy, progress=False)
    manifest_path = storage.current_generation(data) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest.update(embedding_model="other-model", dimension=768)
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match=r"other-model.*--rebuild"):
        manager(data, embedder).load()
    with pytest.raises(IndexMismatchError):
        manager(data, embedder).update(seeds_copy, progress=False)
    rebuilt = manager(data, embedder).update(seeds_copy, rebuild=True, progress=False)
    assert rebuilt.wrote and manager(data, embedder).load().manifest.dimension == 384


def test_index_built_with_other_chunking_is_refused(tmp_path, seeds_copy, embedder):
    data = tmp_path / "data"
    manager(data, embedder).update(seeds_copy, progress=False)
    with pytest.raises(IndexMismatchError, match="chunking"):
        manager(data, embedder, ChunkingConfig(max_words=120)).load()


def test_a_crash_while_writing_keeps_the_previous_index(
    tmp_path, seeds_copy, embedder, monkeypatch
):
    data = tmp_path / "data"
    index = manager(data, embedder)
    index.update(seeds_copy, progress=False)
    before = storage.current_generation(data)
    (seeds_copy / "005_bishkek.txt").write_text(NEW_ARTICLE)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "write_json", fail)
    with pytest.raises(OSError):
        index.update(seeds_copy, progress=False)
    monkeypatch.undo()
    assert storage.current_generation(data) == before
    assert len(list((data / storage.GENERATIONS).iterdir())) == 1
    assert "005_bishkek" not in index.load().documents


def test_a_truncated_vector_file_is_reported_as_corrupt(tmp_path, seeds_copy, embedder):
    data = tmp_path / "data"
    manager(data, embedder).update(seeds_copy, progress=False)
    vectors = storage.current_generation(data) / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexCorruptError):
        manager(data, embedder).load()


def test_old_generations_are_pruned(tmp_path, seeds_copy, embedder):
    data = tmp_path / "data"
    index = manager(data, embedder)
    for n in range(4):
        (seeds_copy / f"extra{n}.txt").write_text(NEW_ARTICLE + f"\nNote {n}.\n")
        index.update(seeds_copy, progress=False)
    assert len(list((data / storage.GENERATIONS).iterdir())) == storage.KEEP_GENERATIONS
    shutil.rmtree(seeds_copy)
