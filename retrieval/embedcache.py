"""A cache of embeddings by content: the same text and model are never embedded twice.

Vectors are kept in one SQLite file in the data directory, keyed by the SHA-256 of the model name
and the exact text embedded. `index --rebuild`, a changed article whose paragraphs mostly stayed,
or the same story under another file name then embed only what is new. The cache is an
optimisation only: a damaged or unwritable cache file is passed over (with a warning on the
report), never a reason for indexing to fail.
"""

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

CACHE_FILE = "embeddings.sqlite3"


def content_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by content key, in `folder/embeddings.sqlite3`."""

    def __init__(self, folder: Path, model_name: str, dimension: int) -> None:
        self.path = folder / CACHE_FILE
        self.model_name = model_name
        self.dimension = dimension
        self.problem: str | None = None  # set when the cache could not be read or written

    def lookup(self, texts: list[str]) -> dict[int, np.ndarray]:
        """The cached vectors of `texts`, by position in the list."""
        keys = [content_key(self.model_name, t) for t in texts]
        found: dict[str, bytes] = {}
        try:
            with self._connect() as db:
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows = db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part
                    )
                    found.update(rows.fetchall())
        except sqlite3.Error as exc:
            self.problem = f"embedding cache {self.path} unreadable ({exc}); embedding afresh"
            return {}
        vectors = {}
        for position, key in enumerate(keys):
            blob = found.get(key)
            if blob is not None and len(blob) == 4 * self.dimension:
                vectors[position] = np.frombuffer(blob, dtype=np.float32)
        return vectors

    def store(self, texts: list[str], vectors: np.ndarray) -> None:
        """Remember the vectors of `texts`; a write failure is noted, not raised."""
        rows = [
            (content_key(self.model_name, t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self.problem = f"embedding cache {self.path} not updated ({exc})"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection that commits on success and is always closed."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise sqlite3.OperationalError(str(exc)) from exc
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
                yield db
        finally:
            db.close()
