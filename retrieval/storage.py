"""Crash-safe files under the data directory: generations, the CURRENT pointer, and the lock.

Each index build writes a new generation under a hidden name (`.partial-gen-...`), syncs it,
renames it to its real name only once it is complete, and only then swaps the one-line `CURRENT`
file with `os.replace`. A crash at any point leaves the previous generation in force; readers
that already opened a generation keep reading it. A build killed half-way leaves only a hidden
folder, which is never taken for a fallback and is removed by the next build.
"""

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from retrieval.errors import IndexCorruptError, IndexLockedError

CURRENT = "CURRENT"
GENERATIONS = "generations"
LOCK = "index.lock"
KEEP_GENERATIONS = 2
PARTIAL = ".partial-"


def current_generation(data_dir: Path) -> Path | None:
    """The folder of the generation in force, or None when no index was ever written."""
    pointer = data_dir / CURRENT
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    folder = data_dir / GENERATIONS / name
    if not name or "/" in name or not folder.is_dir():
        raise IndexCorruptError(
            f"{pointer} points to a missing index generation {name!r}; "
            "run `python -m app index --rebuild`"
        )
    return folder


def new_generation(data_dir: Path) -> Path:
    """Create an empty, hidden folder for a generation that is not complete yet."""
    name = f"{PARTIAL}gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder = data_dir / GENERATIONS / name
    folder.mkdir(parents=True)
    return folder


def publish_generation(data_dir: Path, folder: Path) -> Path:
    """Sync the partial `folder`, give it its real name, make it the generation in force
    (atomic), then prune old generations. Returns the published folder."""
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        _fsync_dir(path) if path.is_dir() else _fsync_file(path)
    _fsync_dir(folder)
    complete = folder.with_name(folder.name.removeprefix(PARTIAL))
    os.rename(folder, complete)
    _fsync_dir(complete.parent)
    _point_to(data_dir, complete)
    try:  # the new generation is in force now: nothing below may undo that
        _fsync_dir(data_dir)
        _prune(data_dir, keep={complete.name})
    except OSError:
        pass
    return complete


def _point_to(data_dir: Path, folder: Path) -> None:
    tmp = data_dir / f"{CURRENT}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        tmp.write_text(folder.name + "\n", encoding="utf-8")
        _fsync_file(tmp)
        os.replace(tmp, data_dir / CURRENT)
    finally:
        tmp.unlink(missing_ok=True)


def older_generations(data_dir: Path, current: Path) -> list[Path]:
    """The complete generations other than `current`, newest first (fallbacks for a corrupt
    one); a partial folder a killed build left is never one of them."""
    others = [p for p in _complete(data_dir) if p != current]
    return sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)


def discard_generation(folder: Path) -> None:
    """Remove a generation that was never published (after a failed build)."""
    shutil.rmtree(folder, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    """Write JSON and sync it to disk."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def read_json(path: Path) -> Any:
    """Read a JSON file of an index generation; a missing or broken one is corruption."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"cannot read {path}: {exc}; run `python -m app index --rebuild`"
        ) from exc


@contextmanager
def index_lock(data_dir: Path, timeout_s: float):
    """Hold the data directory's exclusive build lock, waiting up to `timeout_s` for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK).open("a+") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"another `index` run holds {data_dir / LOCK}; try again when it ends"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _complete(data_dir: Path) -> list[Path]:
    folder = data_dir / GENERATIONS
    return [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]


def _prune(data_dir: Path, keep: set[str]) -> None:
    """Keep `keep` and the newest other complete generations up to KEEP_GENERATIONS; remove the
    partial folders of killed builds (a build holds the lock, so none is being written)."""
    for partial in (data_dir / GENERATIONS).glob(f"{PARTIAL}*"):
        shutil.rmtree(partial, ignore_errors=True)
    folders = sorted(_complete(data_dir), key=lambda p: p.stat().st_mtime)
    stale = [f for f in folders if f.name not in keep][: max(0, len(folders) - KEEP_GENERATIONS)]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
