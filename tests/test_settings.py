"""Settings: `.env.example` mirrors every field, and the environment overrides defaults."""

import os
import re
import subprocess
import sys

from pydantic import BaseModel

from app.settings import PROJECT_ROOT, Settings


def setting_names(model: type[BaseModel], prefix: str = "NEWSQA_") -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names += setting_names(annotation, f"{prefix}{name.upper()}__")
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


def test_env_example_mirrors_settings_line_by_line():
    text = (PROJECT_ROOT / ".env.example").read_text()
    lines = re.findall(r"^([A-Z0-9_]+)=", text, flags=re.M)
    assert lines == setting_names(Settings)


def test_env_example_values_are_valid_settings(monkeypatch):
    text = (PROJECT_ROOT / ".env.example").read_text()
    for name, value in re.findall(r"^([A-Z0-9_]+)=(.*)$", text, flags=re.M):
        monkeypatch.setenv(name, value)
    settings = Settings()
    for name, field in Settings.model_fields.items():
        if name not in {"data_dir", "seeds_dir"}:
            assert getattr(settings, name) == field.get_default(call_default_factory=True), name
    assert settings.data_dir.name == ".newsqa" and settings.seeds_dir.parts[-2:] == (
        "seeds",
        "articles",
    )


def test_nested_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSQA_SEARCH__BM25_WEIGHT", "0.25")
    monkeypatch.setenv("NEWSQA_TOP_K", "7")
    settings = Settings()
    assert (settings.search.bm25_weight, settings.top_k) == (0.25, 7)


def test_embedding_threads_set_torchs_threads_when_the_model_loads():
    """Run in a process of its own: torch's thread count is process-wide."""
    code = (
        "import torch\n"
        "from app.settings import Settings\n"
        "from retrieval.embedding import SentenceTransformerEmbedder\n"
        "default = torch.get_num_threads()\n"
        "SentenceTransformerEmbedder(Settings().embedding).encode(['a question'])\n"
        "print(default, torch.get_num_threads())\n"
    )
    env = os.environ | {"NEWSQA_EMBEDDING__THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr
    default, threads = done.stdout.split()
    assert int(default) >= 1 and threads == "1"
