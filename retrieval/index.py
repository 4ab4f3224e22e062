"""The on-disk index: manifest, chunks, documents, BM25 and vectors, updated incrementally.

`IndexManager.update()` embeds only new or changed documents (by content hash), drops deleted
ones, and publishes the result as a new generation (see `storage`). `IndexManager.load()` refuses
an index built with another embedding model, dimension, chunker or file format.
"""

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError

from retrieval import storage
from retrieval.chunking import Chunk, chunk_document
from retrieval.chunkstore import FILE_NAME as CHUNK_FILE
from retrieval.chunkstore import ChunkFile, ChunkTable, DocumentTable, StoredChunk, write_tables
from retrieval.config import ChunkingConfig, StoreConfig
from retrieval.duplicates import duplicate_groups
from retrieval.embedcache import EmbeddingCache
from retrieval.embedding import Embedder
from retrieval.errors import (
    IndexCorruptError,
    IndexFormatError,
    IndexMismatchError,
    MassRemovalError,
)
from retrieval.ingest import Document, Skipped, load_documents
from retrieval.lexical import FOLDER as LEXICAL_FOLDER
from retrieval.lexical import LexicalBuilder, LexicalIndex
from retrieval.store import VectorStore, load_store, new_store
from retrieval.timefilter import date_order

FORMAT_VERSION = 3  # 2: dates, events, near-duplicates; 3: chunks in SQLite, BM25 saved
REBUILD_HINT = "run `python -m app index --rebuild`"
EMBED_SLICE = 64  # chunks embedded between two calls of a progress callback

Progress = bool | Callable[[int, int], None]  # a tqdm bar (True), none (False), or a callback


class DocumentEntry(BaseModel):
    """What the manifest records of one indexed document (its chunks are in the chunk file)."""

    content_hash: str
    source: str


class Manifest(BaseModel):
    """Describes one index generation: how it was built and what it holds."""

    format_version: int = FORMAT_VERSION
    embedding_model: str
    dimension: int
    chunking: ChunkingConfig
    documents: dict[str, DocumentEntry] = {}
    chunk_count: int = 0
    next_vector_id: int = 0
    built_at: str = ""
    store: str = "faiss"  # the vector store backend: faiss, or milvus
    duplicate_groups: list[list[str]] = []  # near-duplicate articles, the original first


@dataclass
class LoadedIndex:
    """An index generation, opened: chunks and documents are read per hit, BM25 when first
    used, the vectors mapped or in the store's server."""

    manifest: Manifest
    documents: DocumentTable
    chunks: ChunkTable
    store: VectorStore
    folder: Path
    warning: str | None = None  # set when a damaged generation was passed over
    _lexical: LexicalIndex | None = field(default=None, repr=False)
    _lexical_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def lexical(self) -> LexicalIndex:
        """The generation's BM25 index, loaded memory-mapped on first use."""
        with self._lexical_lock:
            if self._lexical is None:
                self._lexical = LexicalIndex.load(self.folder / LEXICAL_FOLDER)
            return self._lexical


class UpdateReport(BaseModel):
    """What one `update()` did."""

    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    unchanged: list[str] = []
    skipped: list[Skipped] = []
    chunks_embedded: int = 0  # chunks the model encoded
    chunks_cached: int = 0  # chunks whose vectors came from the embedding cache
    warnings: list[str] = []
    total_documents: int = 0
    total_chunks: int = 0
    seconds: float = 0.0
    wrote: bool = False


def indexed_text(chunk: Chunk) -> str:
    """The text embedded and BM25-indexed for a chunk: its title first, unless already there."""
    if chunk.title and not chunk.text.startswith(chunk.title):
        return f"{chunk.title}\n{chunk.text}"
    return chunk.text


class IndexManager:
    """Builds, updates and loads the index kept under one data directory."""

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        chunking: ChunkingConfig,
        store: StoreConfig | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.embedder = embedder
        self.chunking = chunking
        self.store = store or StoreConfig()

    def exists(self) -> bool:
        return (self.data_dir / storage.CURRENT).is_file()

    def load(self, mmap: bool = False) -> LoadedIndex:
        """Read the generation in force; refuse one that does not fit the current settings.
        `mmap` maps the vectors instead of reading them (for searching, never for updating).

        When its files are damaged, the previous kept generation is used instead, with a warning
        that says so and how to rebuild; with no good generation left, the damage is an error.
        """
        folder = storage.current_generation(self.data_dir)
        if folder is None:
            raise FileNotFoundError(f"no index in {self.data_dir}")
        try:
            return self._load_generation(folder, mmap)
        except IndexCorruptError as damage:
            for older in storage.older_generations(self.data_dir, folder):
                try:
                    loaded = self._load_generation(older, mmap)
                except (IndexCorruptError, IndexMismatchError):
                    continue
                loaded.warning = f"{damage}; meanwhile the previous index ({older.name}) is used"
                return loaded
            raise

    def _load_generation(self, folder: Path, mmap: bool = False) -> LoadedIndex:
        manifest = _read_manifest(folder)
        self._check_compatible(manifest)
        store = load_store(folder, self.store, self.data_dir, mmap)
        return _read_generation(folder, manifest, store)

    def update(
        self,
        seeds_dir: Path,
        rebuild: bool = False,
        progress: Progress = True,
        allow_remove: bool = False,
    ) -> UpdateReport:
        """Bring the index in line with `seeds_dir`, embedding only what changed.

        `progress` is True for a progress bar on stderr, or a callback given (done, total) chunks.
        An update that would remove more than half of the indexed articles, or all of them, is
        refused (`MassRemovalError`, nothing written) unless `allow_remove`.
        """
        started = time.perf_counter()
        with storage.index_lock(self.data_dir, timeout_s=600):
            ingest = load_documents(seeds_dir)
            previous = None if rebuild or not self.exists() else self._previous()
            report = UpdateReport(skipped=ingest.skipped)
            plan = _plan(previous, _unique_documents(ingest.documents, report), report)
            if not allow_remove:
                _check_removals(self._indexed_ids(previous), plan, seeds_dir)
            if previous is None or report.added or report.changed or report.removed:
                self._write(previous, plan, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _indexed_ids(self, previous: "LoadedIndex | None") -> set[str]:
        """The articles in the index now (also when rebuilding; none when it is unreadable)."""
        if previous is not None:
            return set(previous.manifest.documents)
        try:
            folder = storage.current_generation(self.data_dir)
            return set(_read_manifest(folder).documents) if folder else set()
        except (OSError, IndexCorruptError):
            return set()

    def _previous(self) -> "LoadedIndex | None":
        """The index to update; None (rebuild) when an older version of newsqa wrote it."""
        try:
            return self.load()
        except IndexFormatError:
            return None

    def _check_compatible(self, manifest: Manifest) -> None:
        if manifest.format_version != FORMAT_VERSION:
            raise IndexFormatError(
                f"index format {manifest.format_version} is not {FORMAT_VERSION}; {REBUILD_HINT}"
            )
        built = (manifest.embedding_model, manifest.dimension)
        wanted = (self.embedder.model_name, self.embedder.dimension)
        if built != wanted:
            raise IndexMismatchError(
                f"index was built with embedding model {built[0]!r} (dimension {built[1]}) but the "
                f"settings use {wanted[0]!r} (dimension {wanted[1]}); {REBUILD_HINT}"
            )
        if manifest.store != self.store.backend:
            raise IndexMismatchError(
                f"index was built with the {manifest.store} vector store but the settings use "
                f"{self.store.backend} (NEWSQA_STORE); {REBUILD_HINT}"
            )
        if manifest.chunking != self.chunking:
            raise IndexMismatchError(
                f"index was built with chunking {manifest.chunking.model_dump()} but the settings "
                f"use {self.chunking.model_dump()}; {REBUILD_HINT}"
            )

    def _write(self, previous: "LoadedIndex | None", plan: "_Plan", report, progress) -> None:
        manifest = Manifest(
            embedding_model=self.embedder.model_name,
            dimension=self.embedder.dimension,
            chunking=self.chunking,
            next_vector_id=previous.manifest.next_vector_id if previous else 0,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            store=self.store.backend,
        )
        store = previous.store if previous else self._new_store(manifest.dimension)
        new_chunks = self._embed_new(plan.new_documents, manifest, store, progress, report)
        # added before stale vectors go: an interrupted update of a shared store only adds
        store.remove(np.array(plan.stale_vector_ids, dtype=np.int64))
        manifest.documents = {
            d.doc_id: DocumentEntry(content_hash=d.content_hash, source=d.source)
            for d in plan.documents
        }
        manifest.duplicate_groups = duplicate_groups(
            (d.doc_id, d.text) for d in sorted(plan.documents, key=_publication_order)
        )
        kept = _kept_chunks(previous, set(plan.kept_ids))
        total = write_generation(
            self.data_dir, manifest, plan.documents, _chain(kept, new_chunks), store
        )
        report.total_documents, report.total_chunks, report.wrote = len(plan.documents), total, True

    def _new_store(self, dimension: int) -> VectorStore:
        return new_store(self.store, dimension, self.data_dir)

    def _embed_new(self, documents, manifest, store: VectorStore, progress: Progress, report):
        pieces = [c for doc in documents for c in chunk_document(doc, self.chunking)]
        if not pieces:
            return []
        vectors = self._cached_encode([indexed_text(c) for c in pieces], progress, report)
        first = manifest.next_vector_id
        ids = np.arange(first, first + len(pieces), dtype=np.int64)
        store.add(ids, vectors)
        manifest.next_vector_id = first + len(pieces)
        return [
            StoredChunk(**c.model_dump(), vector_id=int(i))
            for c, i in zip(pieces, ids, strict=True)
        ]

    def _cached_encode(self, texts: list[str], progress: Progress, report) -> np.ndarray:
        """Vectors of `texts`: from the embedding cache where it has them, else encoded (and
        then cached)."""
        dimension = self.embedder.dimension
        cache = EmbeddingCache(self.data_dir / "cache", self.embedder.model_name, dimension)
        vectors = np.zeros((len(texts), dimension), dtype=np.float32)
        cached = cache.lookup(texts)
        for position, vector in cached.items():
            vectors[position] = vector
        missing = [i for i in range(len(texts)) if i not in cached]
        if missing:
            fresh = self._encode([texts[i] for i in missing], progress)
            vectors[missing] = fresh
            cache.store([texts[i] for i in missing], fresh)
        report.chunks_embedded, report.chunks_cached = len(missing), len(cached)
        if cache.problem:
            report.warnings.append(cache.problem)
        return vectors

    def _encode(self, texts: list[str], progress: Progress) -> np.ndarray:
        if not callable(progress):
            return self.embedder.encode(texts, progress=bool(progress))
        parts = []
        for start in range(0, len(texts), EMBED_SLICE):
            parts.append(self.embedder.encode(texts[start : start + EMBED_SLICE]))
            progress(min(start + EMBED_SLICE, len(texts)), len(texts))
        return np.concatenate(parts)


def _check_removals(indexed: set[str], plan: "_Plan", seeds_dir: Path) -> None:
    """Refuse to drop most of the index (an update or a rebuild from a folder that looks
    emptied or mistaken)."""
    removed = len(indexed - {d.doc_id for d in plan.documents})
    if removed and (removed == len(indexed) or removed > len(indexed) / 2):
        raise MassRemovalError(
            f"this update would remove {removed} of the {len(indexed)} indexed articles (the "
            f"folder {seeds_dir} has {len(plan.documents)}); nothing was changed. If that is "
            "meant, run `index --allow-remove`"
        )


def _publication_order(document: Document) -> tuple[date, str]:
    """Earliest article first (undated last), then by id: the first copy is the original."""
    return date_order(document.article_date), document.doc_id


class _Plan(BaseModel):
    documents: list[Document]
    new_documents: list[Document]
    kept_ids: list[str]  # documents whose chunks and vectors stay as they are
    stale_vector_ids: list[int]


def _kept_chunks(previous: "LoadedIndex | None", kept_ids: set[str]) -> Iterator[StoredChunk]:
    """The previous generation's chunks of the kept documents, read page by page."""
    if previous is not None and kept_ids:
        yield from (c for c in previous.chunks if c.doc_id in kept_ids)


def _chain(*parts: Iterable[StoredChunk]) -> Iterator[StoredChunk]:
    for part in parts:
        yield from part


def _unique_documents(documents: list[Document], report: UpdateReport) -> list[Document]:
    """Drop a second file with the same id (stem) or the same cleaned text, naming the first."""
    by_id: dict[str, Document] = {}
    by_text: dict[str, Document] = {}
    for doc in documents:
        text_key = hashlib.sha256(doc.text.encode()).hexdigest()
        first = by_id.get(doc.doc_id) or by_text.get(text_key)
        if first is not None:
            same = "document id" if first.doc_id == doc.doc_id else "text"
            reason = f"same {same} as {first.source}"
            report.skipped.append(Skipped(path=doc.source, reason=reason))
            continue
        by_id[doc.doc_id] = by_text[text_key] = doc
    return list(by_id.values())


def _plan(previous: LoadedIndex | None, documents: list[Document], report: UpdateReport) -> _Plan:
    """Sort documents into added / changed / unchanged / removed against the previous index."""
    old = previous.manifest.documents if previous else {}
    wanted = {doc.doc_id for doc in documents}
    new_docs, kept_ids = [], set()
    for doc in documents:
        entry = old.get(doc.doc_id)
        if entry and entry.content_hash == doc.content_hash:
            kept_ids.add(doc.doc_id)
            report.unchanged.append(doc.doc_id)
        else:
            new_docs.append(doc)
            (report.changed if entry else report.added).append(doc.doc_id)
    report.removed = sorted(set(old) - wanted)
    stale = [
        vid
        for doc_id in old
        if doc_id not in kept_ids
        for vid in previous.chunks.vector_ids_of(doc_id)
    ]
    return _Plan(
        documents=documents,
        new_documents=new_docs,
        kept_ids=sorted(kept_ids),
        stale_vector_ids=stale,
    )


def write_generation(
    data_dir: Path,
    manifest: Manifest,
    documents: Iterable[Document],
    chunks: Iterable[StoredChunk],
    store: VectorStore,
) -> int:
    """Write and publish a new generation: the store's file, the chunk file (streamed in), the
    BM25 index and, last, the manifest. Returns the number of chunks written."""
    folder = storage.new_generation(data_dir)
    try:
        store.save(folder / store.file_name)
        lexical = LexicalBuilder()
        write_tables(folder / CHUNK_FILE, documents, _tokenized(chunks, lexical))
        chunk_count = len(lexical.vector_ids)
        lexical.build().save(folder / LEXICAL_FOLDER)
        del lexical
        manifest.chunk_count = chunk_count
        storage.write_json(folder / "manifest.json", manifest.model_dump(mode="json"))
    except BaseException:
        storage.discard_generation(folder)
        raise
    try:
        folder = storage.publish_generation(data_dir, folder)
    except BaseException:
        storage.discard_generation(folder)  # still partial: the rename is the last step but one
        raise
    store.published()
    return chunk_count


def _tokenized(chunks: Iterable[StoredChunk], lexical: LexicalBuilder):
    """Pass the chunks on, adding each one's indexed text to the BM25 index being built."""
    for chunk in chunks:
        lexical.add(chunk.vector_id, indexed_text(chunk))
        yield chunk


def _read_manifest(folder: Path) -> Manifest:
    try:
        return Manifest.model_validate(storage.read_json(folder / "manifest.json"))
    except ValidationError as exc:
        raise IndexCorruptError(f"{folder / 'manifest.json'} is malformed; {REBUILD_HINT}") from exc


def _read_generation(folder: Path, manifest: Manifest, store: VectorStore) -> LoadedIndex:
    tables = ChunkFile(folder / CHUNK_FILE)
    if not LexicalIndex.saved_in(folder / LEXICAL_FOLDER):
        raise IndexCorruptError(f"the BM25 index of {folder} is missing; {REBUILD_HINT}")
    loaded = LoadedIndex(
        manifest=manifest,
        documents=tables.documents,
        chunks=tables.chunks,
        store=store,
        folder=folder,
    )
    _check_consistent(loaded, folder)
    return loaded


def _check_consistent(loaded: LoadedIndex, folder: Path) -> None:
    manifest = loaded.manifest
    expected = manifest.chunk_count
    stored = len(loaded.store)
    if loaded.store.shared:  # an interrupted update may have added rows no chunk names yet
        stored = min(stored, expected)
    if not (stored == len(loaded.chunks) == expected):
        raise IndexCorruptError(
            f"index in {folder} is inconsistent: {len(loaded.store)} vectors, "
            f"{len(loaded.chunks)} chunks, manifest lists {expected}; {REBUILD_HINT}"
        )
    if len(manifest.documents) != len(loaded.documents):
        raise IndexCorruptError(
            f"index in {folder} is inconsistent: {len(loaded.documents)} documents, manifest "
            f"lists {len(manifest.documents)}; {REBUILD_HINT}"
        )
    if loaded.store.dimension != loaded.manifest.dimension:
        raise IndexCorruptError(f"vector dimension differs from the manifest; {REBUILD_HINT}")
