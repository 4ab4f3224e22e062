"""Vector stores: the small `VectorStore` interface callers use, and the FAISS implementation.

A store maps integer ids to vectors and answers top-k inner-product queries. Callers never touch
FAISS directly, so a server backend (Milvus) can stand behind the same interface. The FAISS index
is written with `faiss.serialize_index` and read with `faiss.read_index`: no pickle.

The index type follows the size (`FaissConfig.index = "auto"`): exact search (`IndexFlatIP`) while
it is fast enough, up to `exact_max` vectors; past that, an inverted-file index with 8-bit scalar
quantisation (`IVF{nlist},SQ8`, a quarter of the memory, `nprobe` lists searched), converted once
when an update crosses the line. Both take incremental adds and removals. `hnsw` can be chosen
instead; it cannot remove vectors, so a removal rebuilds it from the vectors that stay. Searchers
read the file memory-mapped (`IO_FLAG_MMAP`) where FAISS allows it.

`new_store` / `load_store` pick the backend a `StoreConfig` names: FAISS here, or Milvus
(`retrieval.milvus_store`). Each generation of the index holds its store's file: the FAISS
index itself, or a pointer to the Milvus collection.
"""

import math
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from retrieval.config import FaissConfig, StoreConfig
from retrieval.errors import IndexCorruptError, MissingDependencyError

TRAIN_PER_LIST = 40  # training vectors per inverted list
MAX_TRAIN = 100_000


FAISS_FILE = "vectors.faiss"
MILVUS_FILE = "vectors.milvus.json"


@runtime_checkable
class VectorStore(Protocol):
    """Integer ids to vectors, with top-k inner-product search."""

    dimension: int
    shared: bool  # True when the vectors live outside the index folder (a Milvus collection)
    file_name: str  # what `save` writes into a generation folder
    kind: str  # the index it searches with, for reports: "flat", "ivf", "milvus HNSW"...

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: np.ndarray) -> None: ...

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids, each of shape (len(query), k); missing hits have id -1."""
        ...

    def save(self, path: Path) -> None: ...

    def published(self) -> None:
        """Called once the generation that uses this store is in force."""
        ...


def store_file(config: StoreConfig) -> str:
    """The name of the store's file in a generation folder."""
    return MILVUS_FILE if config.backend == "milvus" else FAISS_FILE


def new_store(config: StoreConfig, dimension: int, data_dir: Path) -> VectorStore:
    """An empty store of the configured backend."""
    if config.backend == "milvus":
        from retrieval.milvus_store import MilvusStore

        return MilvusStore.create(_milvus_config(config, data_dir), dimension)
    return FaissStore(dimension, config=config.faiss)


def load_store(folder: Path, config: StoreConfig, data_dir: Path, mmap: bool) -> VectorStore:
    """The store of one generation; `mmap` maps a FAISS file (for searching only)."""
    path = folder / store_file(config)
    if config.backend == "milvus":
        from retrieval.milvus_store import MilvusStore

        return MilvusStore.load(path, _milvus_config(config, data_dir))
    return FaissStore.load(path, config.faiss, mmap and config.faiss.mmap)


def release_store(config: StoreConfig) -> None:
    """Close this process's Milvus clients, so another process may open a Milvus Lite database."""
    if config.backend == "milvus":
        from retrieval.milvus_store import forget_clients

        forget_clients()


def _milvus_config(config: StoreConfig, data_dir: Path):
    """The Milvus settings with the URI filled in: by default Milvus Lite in the data folder."""
    uri = config.milvus.uri or str(data_dir.resolve() / "milvus.db")
    return config.milvus.model_copy(update={"uri": uri})


def import_faiss():
    """Import faiss lazily, with an install hint when it is missing."""
    try:
        import faiss
    except ImportError as exc:
        raise MissingDependencyError(
            "faiss is not installed: run `make install` (or `pip install faiss-cpu`)"
        ) from exc
    return faiss


class FaissStore:
    """A FAISS inner-product index with ids: flat (exact), IVF-SQ8 or HNSW, chosen by size."""

    shared = False
    file_name = FAISS_FILE

    def __init__(self, dimension: int, index=None, config: FaissConfig | None = None) -> None:
        self.dimension = dimension
        self.config = config or FaissConfig()
        self._replace(index if index is not None else self._new_index(0))

    @classmethod
    def load(cls, path: Path, config: FaissConfig | None = None, mmap: bool = False):
        """Read an index file; `mmap` maps it instead of reading it (for searching only)."""
        faiss = import_faiss()
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        try:
            index = faiss.read_index(str(path), flags)
        except RuntimeError as exc:
            if mmap:  # some index types cannot be mapped: read them
                return cls.load(path, config)
            raise IndexCorruptError(
                f"cannot read vector index {path}; run `python -m app index --rebuild`"
            ) from exc
        return cls(index.d, index, config)

    @property
    def kind(self) -> str:
        """ "flat", "ivf" or "hnsw"."""
        inner = self._inner()
        name = type(inner).__name__
        return "ivf" if "IVF" in name else "hnsw" if "HNSW" in name else "flat"

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        ids, vectors = np.asarray(ids, dtype=np.int64), _as_matrix(vectors)
        wanted = self._wanted_kind(len(self) + len(ids))
        if wanted != self.kind:
            old_ids, old_vectors = self.all_vectors()
            ids, vectors = np.concatenate([old_ids, ids]), np.vstack([old_vectors, vectors])
            self._replace(self._new_index(len(ids), vectors))
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> None:
        if not len(ids):
            return
        ids = np.asarray(ids, dtype=np.int64)
        if self.kind != "hnsw":
            self._index.remove_ids(ids)
            return
        kept_ids, kept = self.all_vectors()
        mask = ~np.isin(kept_ids, ids)
        self._replace(self._new_index(int(mask.sum()), kept[mask]))
        self._index.add_with_ids(kept[mask], kept_ids[mask])

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self)))
        if not len(self):
            n = len(query)
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        return self._index.search(_as_matrix(query), k)

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every id and its vector (IVF-SQ8 gives them back decoded, so approximately)."""
        faiss = import_faiss()
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dimension), dtype=np.float32)
        if self.kind == "ivf":
            invlists = faiss.extract_index_ivf(self._index).invlists
            ids = np.concatenate(
                [
                    faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
                    for i in range(invlists.nlist)
                    if invlists.list_size(i)
                ]
            )
            ivf = faiss.extract_index_ivf(self._index)
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
            return ids, ivf.reconstruct_batch(ids)
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return ids, self._index.index.reconstruct_n(0, len(self))

    def save(self, path: Path) -> None:
        """Write the index; a failed write (disk full, no permission) raises a plain OSError."""
        data = import_faiss().serialize_index(self._index)
        with path.open("wb") as handle:
            handle.write(memoryview(data))

    def published(self) -> None:
        """Nothing to do: the file is the generation's own."""

    def _wanted_kind(self, total: int) -> str:
        if self.config.index != "auto":
            return self.config.index
        current = self.kind if hasattr(self, "_index") else "flat"
        if current != "flat":
            return current  # auto never goes back from an approximate index
        return "ivf" if total > self.config.exact_max else "flat"

    def _new_index(self, total: int, vectors: np.ndarray | None = None):
        faiss = import_faiss()
        kind = self._wanted_kind(total)
        if kind == "flat" or (kind == "ivf" and (vectors is None or len(vectors) < 2)):
            return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))
        if kind == "hnsw":
            return faiss.IndexIDMap2(
                faiss.IndexHNSWFlat(self.dimension, 32, faiss.METRIC_INNER_PRODUCT)
            )
        nlist = max(1, min(int(4 * math.sqrt(total)), len(vectors) // TRAIN_PER_LIST))
        index = faiss.index_factory(self.dimension, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        train = vectors[rng.choice(len(vectors), min(len(vectors), MAX_TRAIN), replace=False)]
        index.train(train)
        return index

    def _replace(self, index) -> None:
        self._index = index
        self._tune()

    def _tune(self) -> None:
        inner = self._inner()
        if hasattr(inner, "nprobe"):
            inner.nprobe = self.config.nprobe
        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = self.config.ef_search

    def _inner(self):
        """The index under the id map, as its own FAISS type."""
        index = self._index
        return import_faiss().downcast_index(index.index) if hasattr(index, "id_map") else index


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
