"""The chunks and documents of one index generation, in one SQLite file read per hit.

A generation's `chunks.sqlite3` holds every stored chunk (keyed by its vector id) and every
document, each as its pydantic JSON. Searchers open it read-only and immutable (a published
generation never changes) and read only the rows a query hits, so a million chunks cost the
page cache, not a million Python objects. `write_tables` streams rows in, so a writer need not
hold them all either.
"""

import errno
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from retrieval.chunking import Chunk
from retrieval.errors import IndexCorruptError
from retrieval.ingest import Document

FILE_NAME = "chunks.sqlite3"
REBUILD_HINT = "run `python -m app index --rebuild`"
PAGE = 5000  # rows per insert, and per read when listing every chunk
CACHED_CHUNKS = 4096  # recently read chunks kept parsed

SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE chunks (
    vector_id INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX chunks_by_document ON chunks (doc_id);
"""


class StoredChunk(Chunk):
    """A chunk as stored on disk, with the id of its vector."""

    vector_id: int


def write_tables(path: Path, documents: Iterable[Document], chunks: Iterable[StoredChunk]) -> None:
    """Write a new chunk file (documents, then chunks, in batches) and sync it to disk; a
    failed write (disk full, no permission) raises a plain OSError."""
    db = sqlite3.connect(path)
    try:
        with db:
            db.executescript(SCHEMA)
            for batch in _batches((d.doc_id, d.model_dump_json()) for d in documents):
                db.executemany("INSERT INTO documents VALUES (?, ?)", batch)
            rows = ((c.vector_id, c.chunk_id, c.doc_id, c.model_dump_json()) for c in chunks)
            for batch in _batches(rows):
                db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)", batch)
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
        raise OSError(f"cannot write {path}: {exc}") from exc
    finally:
        db.close()


class ChunkFile:
    """One generation's chunk file, opened read-only; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(
                f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self.chunk_count = self._one("SELECT count(*) FROM chunks")[0]
            self.document_count = self._one("SELECT count(*) FROM documents")[0]
        except sqlite3.Error as exc:
            raise IndexCorruptError(f"cannot read {path}: {exc}; {REBUILD_HINT}") from exc
        self._lock = threading.Lock()
        self.chunks = ChunkTable(self)
        self.documents = DocumentTable(self)

    def rows(self, sql: str, *params) -> list[tuple]:
        """The rows of one query; a damaged file is an `IndexCorruptError`."""
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise IndexCorruptError(f"cannot read {self.path}: {exc}; {REBUILD_HINT}") from exc

    def _one(self, sql: str) -> tuple:
        return self._db.execute(sql).fetchone()


class ChunkTable:
    """The chunks of a generation by vector id or chunk id, parsed when first read."""

    def __init__(self, source: ChunkFile) -> None:
        self._source = source
        self._cache: OrderedDict[int, StoredChunk] = OrderedDict()
        self._cache_lock = threading.Lock()

    def __len__(self) -> int:
        return self._source.chunk_count

    def __iter__(self) -> Iterator[StoredChunk]:
        """Every chunk in vector-id order, read in pages (for updates and listings)."""
        last = -1
        while page := self._source.rows(
            "SELECT vector_id, body FROM chunks WHERE vector_id > ? ORDER BY vector_id LIMIT ?",
            last,
            PAGE,
        ):
            yield from (_parse_chunk(body, self._source.path) for _, body in page)
            last = page[-1][0]

    def get(self, vector_id: int) -> StoredChunk | None:
        with self._cache_lock:
            if vector_id in self._cache:
                self._cache.move_to_end(vector_id)
                return self._cache[vector_id]
        rows = self._source.rows("SELECT body FROM chunks WHERE vector_id = ?", vector_id)
        chunk = _parse_chunk(rows[0][0], self._source.path) if rows else None
        if chunk is not None:
            with self._cache_lock:
                self._cache[vector_id] = chunk
                while len(self._cache) > CACHED_CHUNKS:
                    self._cache.popitem(last=False)
        return chunk

    def by_chunk_id(self, chunk_id: str) -> StoredChunk | None:
        rows = self._source.rows("SELECT vector_id FROM chunks WHERE chunk_id = ?", chunk_id)
        return self.get(rows[0][0]) if rows else None

    def vector_ids_of(self, doc_id: str) -> list[int]:
        rows = self._source.rows("SELECT vector_id FROM chunks WHERE doc_id = ?", doc_id)
        return [vector_id for (vector_id,) in rows]


class DocumentTable(Mapping[str, Document]):
    """The documents of a generation by id, read (and parsed) on each lookup."""

    def __init__(self, source: ChunkFile) -> None:
        self._source = source

    def __getitem__(self, doc_id: str) -> Document:
        rows = self._source.rows("SELECT body FROM documents WHERE doc_id = ?", doc_id)
        if not rows:
            raise KeyError(doc_id)
        try:
            return Document.model_validate_json(rows[0][0])
        except ValidationError as exc:
            raise IndexCorruptError(f"{self._source.path} is malformed; {REBUILD_HINT}") from exc

    def __iter__(self) -> Iterator[str]:
        return iter([doc_id for (doc_id,) in self._source.rows("SELECT doc_id FROM documents")])

    def __len__(self) -> int:
        return self._source.document_count

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        return bool(self._source.rows("SELECT 1 FROM documents WHERE doc_id = ?", doc_id))


def _parse_chunk(body: str, path: Path) -> StoredChunk:
    try:
        return StoredChunk.model_validate_json(body)
    except ValidationError as exc:
        raise IndexCorruptError(f"{path} is malformed; {REBUILD_HINT}") from exc


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == PAGE:
            yield batch
            batch = []
    if batch:
        yield batch
