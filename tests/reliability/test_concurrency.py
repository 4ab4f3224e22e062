"""Concurrency: index runs serialise on a lock, and questions asked while a rebuild runs see the
old index until the new one is swapped in whole."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from app.engine import Engine
from app.settings import PROJECT_ROOT, Settings
from retrieval import storage
from tests.conftest import SEEDS
from tests.reliability.conftest import QUESTION, run_app


def start_index(data_dir, *args) -> subprocess.Popen:
    env = os.environ | {"NEWSQA_DATA_DIR": str(data_dir), "NEWSQA_SEEDS_DIR": str(SEEDS)}
    return subprocess.Popen(
        [sys.executable, "-m", "app", "index", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_index_runs_at_once_both_finish_and_leave_one_good_index(index_copy):
    runs = [start_index(index_copy, "--rebuild") for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(list((index_copy / "generations").iterdir())) <= storage.KEEP_GENERATIONS
    assert not list(index_copy.glob("CURRENT.tmp-*"))
    result = run_app("ask", QUESTION, data_dir=index_copy)
    assert result.returncode == 0 and "Belarus" in result.stdout


def test_eight_concurrent_asks_during_a_rebuild_all_get_good_answers(index_copy, embedder):
    engine = Engine(Settings(data_dir=index_copy, seeds_dir=SEEDS), embedder=embedder)
    old = storage.current_generation(index_copy)
    expected = engine.ask(QUESTION)
    assert "Belarus" in expected.answer
    rebuild = start_index(index_copy, "--rebuild")
    results, rounds_during = [], 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        while rebuild.poll() is None:
            results += pool.map(lambda _: engine.ask(QUESTION), range(8))
            rounds_during += 1
        results += pool.map(lambda _: engine.ask(QUESTION), range(8))  # after the swap
    assert rebuild.returncode == 0, rebuild.stderr.read()
    assert rounds_during >= 1
    new = storage.current_generation(index_copy)
    assert new != old and engine.searcher().index.manifest.built_at
    assert engine._generation == new  # the engine moved to the new index on its own
    for result in results:
        assert result.answer == expected.answer  # same corpus, same answer, whatever the timing
        assert result.citations == expected.citations
