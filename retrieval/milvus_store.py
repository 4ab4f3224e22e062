"""The Milvus vector store: the `VectorStore` interface over a Milvus collection.

One URI serves both kinds of Milvus: a local path ending in `.db` opens Milvus Lite (embedded in
this process, from the `milvus-lite` package; one process at a time), and `http://host:19530`
reaches a Milvus server or cluster. The vectors live in the collection, not in the index
generation: a generation keeps only a small pointer file (`vectors.milvus.json`) naming the
collection. Incremental updates change that collection in place (upserts, then deletes); a
rebuild writes a fresh collection and drops the old one once the new generation is in force, so a
server keeps answering from the old one meanwhile. Rows are upserted by id, so an interrupted
update that is run again never leaves duplicates.
"""

import json
import logging
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from retrieval import storage
from retrieval.config import MilvusConfig
from retrieval.errors import IndexCorruptError, MissingDependencyError, StoreUnavailableError

REBUILD_HINT = "run `python -m app index --rebuild`"
BATCH = 2000  # rows per upsert call
INDEX_PARAMS = {"HNSW": {"M": 16, "efConstruction": 200}, "IVF_FLAT": {"nlist": 1024}}
INDEX_PARAMS["IVF_SQ8"] = INDEX_PARAMS["IVF_FLAT"]
_clients: dict[tuple[str, str], object] = {}  # one client per URI and token in this process


def import_pymilvus():
    """Import pymilvus lazily, with an install hint when it is missing."""
    try:
        import pymilvus
    except ImportError as exc:
        raise MissingDependencyError(
            "the Milvus store needs pymilvus and milvus-lite: run `make install` "
            "(or `pip install 'newsqa[milvus]'`)"
        ) from exc
    return pymilvus


class MilvusStore:
    """Integer ids to vectors in one Milvus collection, searched by inner product."""

    shared = True  # the vectors live outside the generation folder
    file_name = "vectors.milvus.json"  # the pointer to the collection

    def __init__(self, client, collection: str, dimension: int, config: MilvusConfig) -> None:
        self.client = client
        self.collection = collection
        self.dimension = dimension
        self.config = config

    @classmethod
    def create(cls, config: MilvusConfig, dimension: int) -> "MilvusStore":
        """A new, empty collection named after `config.collection` with a unique suffix."""
        pymilvus = import_pymilvus()
        client, uri = connect(config), config.uri
        name = f"{config.collection}_{uuid.uuid4().hex[:12]}"
        schema = pymilvus.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", pymilvus.DataType.INT64, is_primary=True)
        schema.add_field("vector", pymilvus.DataType.FLOAT_VECTOR, dim=dimension)
        index = client.prepare_index_params()
        index.add_index(
            field_name="vector",
            index_type=config.index_type,
            metric_type="IP",
            params=INDEX_PARAMS.get(config.index_type, {}),
        )
        with _unavailable(uri):
            client.create_collection(
                name, schema=schema, index_params=index, consistency_level="Strong"
            )
        return cls(client, name, dimension, config)

    @classmethod
    def load(cls, path: Path, config: MilvusConfig) -> "MilvusStore":
        """Open the collection a generation's pointer file names."""
        try:
            pointer = json.loads(path.read_text(encoding="utf-8"))
            collection, dimension = str(pointer["collection"]), int(pointer["dimension"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(f"cannot read {path}; {REBUILD_HINT}") from exc
        client, uri = connect(config), config.uri
        with _unavailable(uri):
            if not client.has_collection(collection):
                raise IndexCorruptError(
                    f"Milvus at {uri} has no collection {collection!r}; {REBUILD_HINT}"
                )
            client.load_collection(collection)
        return cls(client, collection, dimension, config)

    @property
    def kind(self) -> str:
        return f"milvus {self.config.index_type}"

    def __len__(self) -> int:
        with _unavailable(self.config.uri):
            rows = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(ids), BATCH):
            end = start + BATCH
            rows = [
                {"id": int(i), "vector": v}
                for i, v in zip(ids[start:end], vectors[start:end], strict=True)
            ]
            with _unavailable(self.config.uri):
                self.client.upsert(self.collection, rows)

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            with _unavailable(self.config.uri):
                self.client.delete(self.collection, ids=[int(i) for i in ids])

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids, each of shape (len(query), k); missing hits have id -1."""
        params = {"ef": max(k, self.config.ef_search), "nprobe": self.config.nprobe}
        query = np.atleast_2d(np.asarray(query, dtype=np.float32))
        scores = np.zeros((len(query), k), dtype=np.float32)
        ids = np.full((len(query), k), -1, dtype=np.int64)
        with _unavailable(self.config.uri):
            results = self.client.search(
                self.collection,
                data=list(query),
                limit=k,
                output_fields=["id"],
                search_params={"params": params},
            )
        for row, hits in enumerate(results):
            for col, hit in enumerate(hits[:k]):
                ids[row, col], scores[row, col] = hit["id"], hit["distance"]
        return scores, ids

    def save(self, path: Path) -> None:
        """Flush the collection (so searches use its index) and write the pointer file."""
        with _unavailable(self.config.uri):
            self.client.flush(self.collection)
        storage.write_json(path, {"collection": self.collection, "dimension": self.dimension})

    def published(self) -> None:
        """Drop this store's older collections, now that a generation using this one is in force."""
        prefix = f"{self.config.collection}_"
        with _unavailable(self.config.uri):
            for name in self.client.list_collections():
                if name.startswith(prefix) and name != self.collection:
                    self.client.drop_collection(name)


def connect(config: MilvusConfig):
    """One client per URI in this process (Milvus Lite allows one process per database)."""
    uri = config.uri
    token = config.token.get_secret_value() if config.token else ""
    key = (uri, token)
    if key not in _clients:
        pymilvus = import_pymilvus()
        if _is_local(uri):
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        with _unavailable(uri), _lite_log() as lite_errors:
            try:
                _clients[key] = pymilvus.MilvusClient(uri, token=token, timeout=config.timeout_s)
            except pymilvus.MilvusException as exc:
                if lite_errors and _is_local(uri):
                    raise StoreUnavailableError(_lite_message(uri, lite_errors[-1])) from exc
                raise
    return _clients[key]


def forget_clients() -> None:
    """Close every client and, for Milvus Lite, release the database (tests; a clean exit)."""
    for (uri, _), client in list(_clients.items()):
        client.close()
        if _is_local(uri):
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(uri)
    _clients.clear()


def _is_local(uri: str) -> bool:
    return "://" not in uri


def _lite_message(uri: str, error: str) -> str:
    if "lock" in error:
        return (
            f"the Milvus Lite database {uri} is in use by another process (Milvus Lite serves one "
            "process at a time): stop that process, or use a Milvus server "
            "(NEWSQA_MILVUS__URI=http://host:19530)"
        )
    return f"cannot open the Milvus Lite database {uri}: {error}"


@contextmanager
def _unavailable(uri: str):
    """Turn Milvus' own errors (server down, bad URI, refused) into one clear error."""
    pymilvus = import_pymilvus()
    try:
        yield
    except pymilvus.MilvusException as exc:
        reason = getattr(exc, "message", None) or str(exc)
        raise StoreUnavailableError(f"Milvus at {uri} failed: {reason}") from exc


@contextmanager
def _lite_log():
    """Keep Milvus Lite's start-up errors off stderr (they are tracebacks) and collect them."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(str(record.exc_info[1]) if record.exc_info else record.getMessage())

    logger = logging.getLogger("milvus_lite")
    handler, propagate = Collect(logging.ERROR), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield errors
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
