"""Helpers for the reliability suite: the CLI in a real subprocess, and fingerprints of folders
to prove that a refused input or a failed operation changed nothing on disk."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from tests.conftest import SEEDS

QUESTION = "Which country joined the SCO at the Astana summit?"


def run_app(
    *args,
    data_dir: Path,
    seeds_dir: Path = SEEDS,
    env: dict | None = None,
    timeout: float = 600,
    **popen,
):
    """`python -m app ARGS` as a user runs it; stdout/stderr decoded leniently."""
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=PROJECT_ROOT,
        env=app_environment(data_dir, seeds_dir) | (env or {}),
        capture_output=True,
        timeout=timeout,
        **popen,
    )
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def app_environment(data_dir: Path, seeds_dir: Path = SEEDS) -> dict[str, str]:
    """The environment `python -m app` runs in: these folders, no model hub."""
    return os.environ | {
        "NEWSQA_DATA_DIR": str(data_dir),
        "NEWSQA_SEEDS_DIR": str(seeds_dir),
        "HF_HUB_OFFLINE": "1",
    }


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path) with the sha256 of its content."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def index_skipping(folder: Path, data: Path, reasons: dict[str, str]) -> dict:
    """`index` over `folder`: it succeeds, names each file of `reasons` as skipped with its
    reason, and returns the manifest it wrote."""
    result = run_app("index", data_dir=data, seeds_dir=folder)
    assert result.returncode == 0, result.stderr
    for name, reason in reasons.items():
        assert f"skipped {folder / name}: {reason}" in result.stdout, name
    return json.loads(next((data / "generations").glob("*/manifest.json")).read_text())


def assert_one_clear_line(stderr: str) -> None:
    """stderr holds one `newsqa: error:` line and nothing else but progress bars."""
    lines = [line for line in re.split(r"[\r\n]+", stderr) if line.strip()]
    messages = [line for line in lines if not re.search(r"\d+%\|", line)]
    assert len(messages) == 1 and messages[0].startswith("newsqa: error:"), stderr
    assert "Traceback" not in stderr


@pytest.fixture
def index_copy(seed_engine, tmp_path) -> Path:
    """A private copy of the seed index's data directory."""
    data = tmp_path / "data"
    shutil.copytree(seed_engine.settings.data_dir, data)
    return data
