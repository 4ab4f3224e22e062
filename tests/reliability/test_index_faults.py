"""Index faults: damaged files are detected at load with a message that offers a rebuild, the
previous good generation stays usable, and a failed write never replaces a good index."""

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.engine import Engine
from app.settings import PROJECT_ROOT, Settings
from tests.conftest import SEEDS
from tests.reliability.conftest import (
    QUESTION,
    app_environment,
    assert_one_clear_line,
    fingerprint,
    run_app,
)


def current(data: Path) -> Path:
    return data / "generations" / (data / "CURRENT").read_text().strip()


@pytest.fixture
def two_generations(index_copy, embedder) -> Path:
    """A data directory whose current generation has a good predecessor."""
    engine = Engine(Settings(data_dir=index_copy, seeds_dir=SEEDS), embedder=embedder)
    engine.update_index(rebuild=True, progress=False)
    assert len(list((index_copy / "generations").iterdir())) == 2
    return index_copy


def truncate_vectors(folder: Path) -> None:
    path = folder / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:1000])


def scramble_vectors(folder: Path) -> None:
    path = folder / "vectors.faiss"
    path.write_bytes(os.urandom(path.stat().st_size))


def drop_manifest_entry(folder: Path) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["documents"].popitem()
    path.write_text(json.dumps(manifest))


def delete_chunks(folder: Path) -> None:
    (folder / "chunks.sqlite3").unlink()


def truncate_chunks(folder: Path) -> None:
    path = folder / "chunks.sqlite3"
    path.write_bytes(path.read_bytes()[:500])


def delete_bm25(folder: Path) -> None:
    shutil.rmtree(folder / "bm25")


DAMAGE = [
    truncate_vectors,
    scramble_vectors,
    drop_manifest_entry,
    delete_chunks,
    truncate_chunks,
    delete_bm25,
]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_damage_with_no_good_generation_is_an_error_offering_a_rebuild(index_copy, damage):
    damage(current(index_copy))
    result = run_app("ask", QUESTION, data_dir=index_copy)
    assert result.returncode == 1 and "index --rebuild" in result.stderr
    assert_one_clear_line(result.stderr)
    healed = run_app("index", "--rebuild", data_dir=index_copy)
    assert healed.returncode == 0, healed.stderr
    assert "Belarus" in run_app("ask", QUESTION, data_dir=index_copy).stdout


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_damage_falls_back_to_the_previous_generation_with_a_warning(two_generations, damage):
    damage(current(two_generations))
    result = run_app("ask", QUESTION, "--json", data_dir=two_generations)
    assert result.returncode == 0, result.stderr
    assert "newsqa: warning:" in result.stderr and "index --rebuild" in result.stderr
    assert "Belarus" in json.loads(result.stdout)["answer"]


def test_a_pointer_to_a_missing_generation_offers_a_rebuild(index_copy):
    (index_copy / "CURRENT").write_text("gen-gone\n")
    result = run_app("search", QUESTION, data_dir=index_copy)
    assert result.returncode == 1 and "index --rebuild" in result.stderr
    assert_one_clear_line(result.stderr)


def kill_a_build_half_way(data: Path) -> tuple[Path, set[Path]]:
    """Start `index --rebuild` and SIGKILL it while its new generation folder is being written
    (the window is ~30 ms here, so a few tries: a build that finished first is simply the index
    the next try starts from). Returns the generation in force and the generation folders as
    they were before the killed build."""
    for _ in range(5):
        good, before = current(data), set((data / "generations").iterdir())
        build = subprocess.Popen([sys.executable, "-m", "app", "index", "--rebuild"],
                                 cwd=PROJECT_ROOT, env=app_environment(data),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        while build.poll() is None and set((data / "generations").iterdir()) == before:
            time.sleep(0.0005)
        build.kill()
        if build.wait() != 0:  # killed, not finished: a folder of its own is left behind
            return good, before
    pytest.fail("five builds finished before they could be killed half-way")


def test_a_killed_build_keeps_the_index_and_its_fallback(two_generations):
    good, previous = kill_a_build_half_way(two_generations)
    assert set((two_generations / "generations").iterdir()) - previous  # it left a folder
    assert current(two_generations) == good
    assert "Belarus" in run_app("ask", QUESTION, data_dir=two_generations).stdout
    rebuilt = run_app("index", "--rebuild", data_dir=two_generations)
    assert rebuilt.returncode == 0, rebuilt.stderr
    kept = set((two_generations / "generations").iterdir())
    assert good in kept and len(kept) == 2 and kept - previous == {current(two_generations)}
    drop_manifest_entry(current(two_generations))  # the fallback is the good one, not the orphan
    result = run_app("ask", QUESTION, "--json", data_dir=two_generations)
    assert result.returncode == 0 and "newsqa: warning:" in result.stderr, result.stderr
    assert "Belarus" in json.loads(result.stdout)["answer"]


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # vectors.faiss needs 26 kB


def test_a_write_that_runs_out_of_space_keeps_the_good_index(index_copy):
    before = fingerprint(index_copy)
    result = run_app("index", "--rebuild", data_dir=index_copy, preexec_fn=limit_file_size)
    assert result.returncode == 1 and "File too large" in result.stderr
    assert_one_clear_line(result.stderr)
    assert fingerprint(index_copy) == before  # no partial generation, same pointer
    assert "Belarus" in run_app("ask", QUESTION, data_dir=index_copy).stdout


@pytest.fixture
def tiny_disk(index_copy):
    """The index copied onto a tmpfs with ~16 kB to spare: a real ENOSPC on the next build."""
    mount = Path(tempfile.mkdtemp(prefix="newsqa-disk-"))
    used = sum(p.stat().st_size for p in index_copy.rglob("*") if p.is_file())
    size_kb = (used + 64 * 1024) // 1024  # file pages and folders take a little more than bytes
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); "
                    "the RLIMIT_FSIZE test covers a failed write")  # fmt: skip
    try:
        shutil.copytree(index_copy, mount / "data")
        yield mount / "data"
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


def test_a_full_disk_keeps_the_good_index(tiny_disk):
    before = fingerprint(tiny_disk)
    result = run_app("index", "--rebuild", data_dir=tiny_disk)
    assert result.returncode == 1 and "No space left on device" in result.stderr
    assert_one_clear_line(result.stderr)
    assert fingerprint(tiny_disk) == before
    assert "Belarus" in run_app("ask", QUESTION, data_dir=tiny_disk).stdout


@pytest.fixture
def read_only_data(index_copy):
    """The index in a folder the app cannot write: a read-only bind mount (as root, where
    permissions don't bind), else a folder without write permission."""
    if os.geteuid() != 0:
        paths = [index_copy, *index_copy.rglob("*")]
        for path in paths:
            path.chmod(path.stat().st_mode & 0o555)
        yield index_copy
        for path in paths:
            path.chmod(path.stat().st_mode | 0o200)
        return
    bind = ["mount", "--bind", str(index_copy), str(index_copy)]
    read_only = ["mount", "-o", "remount,ro,bind", str(index_copy)]
    for command in (bind, read_only):
        done = subprocess.run(command, capture_output=True)
        if done.returncode != 0:
            subprocess.run(["umount", str(index_copy)], check=False, capture_output=True)
            pytest.skip(f"cannot make a read-only mount here: {done.stderr.decode().strip()}")
    try:
        yield index_copy
    finally:
        subprocess.run(["umount", str(index_copy)], check=True)


def test_a_read_only_data_directory_still_answers_and_refuses_to_build(read_only_data):
    before = fingerprint(read_only_data)
    refused = run_app("index", "--rebuild", data_dir=read_only_data)
    assert refused.returncode == 1, refused.stderr
    assert re.search("Permission denied|Read-only file system", refused.stderr)
    assert_one_clear_line(refused.stderr)
    answered = run_app("ask", QUESTION, "--json", data_dir=read_only_data)
    assert answered.returncode == 0, answered.stderr
    assert "Belarus" in json.loads(answered.stdout)["answer"]
    assert fingerprint(read_only_data) == before
