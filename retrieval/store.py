"""Vector stores: the small `VectorStore` interface callers use, and the FAISS implementation.

A store maps integer ids to vectors and answers top-k inner-product queries. Callers never touch
FAISS directly, so a server backend (Milvus) can stand behind the same interface. The FAISS index
is written with `faiss.write_index` and read with `faiss.read_index`: no pickle.
"""

from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.errors import IndexCorruptError, MissingDependencyError


class VectorStore(Protocol):
    """Integer ids to vectors, with top-k inner-product search."""

    dimension: int

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: np.ndarray) -> None: ...

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids, each of shape (len(query), k); missing hits have id -1."""
        ...

    def save(self, path: Path) -> None: ...


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
    """An exact inner-product FAISS index (`IndexIDMap2` over `IndexFlatIP`)."""

    def __init__(self, dimension: int, index=None) -> None:
        faiss = import_faiss()
        self.dimension = dimension
        self._index = index or faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @classmethod
    def load(cls, path: Path) -> "FaissStore":
        faiss = import_faiss()
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(
                f"cannot read vector index {path}; run `python -m app index --rebuild`"
            ) from exc
        return cls(index.d, index)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(_as_matrix(vectors), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self)))
        if not len(self):
            n = len(query)
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        return self._index.search(_as_matrix(query), k)

    def save(self, path: Path) -> None:
        """Write the index; a failed write (disk full, no permission) raises a plain OSError."""
        data = import_faiss().serialize_index(self._index)
        with path.open("wb") as handle:
            handle.write(memoryview(data))


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
