"""Shared fixtures: the real bundled embedding model and a real index built from the seeds."""

import shutil
from pathlib import Path

import pytest

from app.engine import Engine
from app.settings import PROJECT_ROOT, Settings
from retrieval.config import EmbeddingConfig
from retrieval.embedding import SentenceTransformerEmbedder

SEEDS = PROJECT_ROOT / "seeds" / "articles"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(EmbeddingConfig())


@pytest.fixture(scope="session")
def seed_engine(tmp_path_factory, embedder) -> Engine:
    """An engine over a real index of the seed articles, built once per test session."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), seeds_dir=SEEDS)
    engine = Engine(settings, embedder=embedder)
    engine.update_index(progress=False)
    return engine


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
