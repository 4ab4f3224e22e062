"""Hostile files in the articles folder (issue 15): none hangs indexing, none is read beyond the
size limit, none leads outside the folder; an empty folder name is refused."""

import os
import shutil

import pytest

from tests.conftest import SEEDS
from tests.reliability.conftest import fingerprint, index_skipping, run_app

# 463 bytes that made the breadcrumb pattern backtrack exponentially (time doubled per "/ b")
REDOS = "Harbor news\n\na" + " \u2002/ \u2002b" * 40 + " !\n\nThe harbor opened on Monday.\n"


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / "redos.txt").write_text(REDOS, encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    return folder


def test_fifos_devices_and_links_out_are_skipped_and_odd_whitespace_is_indexed(
    hostile_folder, tmp_path
):
    reasons = {
        "fifo.txt": "not a regular file",
        "zero.txt": "a link to a file outside the articles folder",
        "passwd.txt": "a link to a file outside the articles folder",
    }
    manifest = index_skipping(hostile_folder, tmp_path / "data", reasons)
    assert "redos" in manifest["documents"] and "passwd" not in manifest["documents"]


def test_a_link_to_an_article_inside_the_folder_is_still_read(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "store").mkdir()
    target = folder / "store" / "harbour.txt"
    target.write_text("Title: Harbour\n\nThe harbour in Varna opened on Saturday.\n")
    os.symlink(target, folder / "harbour.txt")
    result = run_app("index", data_dir=tmp_path / "data", seeds_dir=folder)
    assert result.returncode == 0 and "indexed 1 documents" in result.stdout, result.stdout


def test_an_empty_articles_folder_name_is_a_usage_error(tmp_path):
    data = tmp_path / "data"
    assert run_app("index", data_dir=data).returncode == 0
    before = fingerprint(data)
    result = run_app("index", "--seeds", "", data_dir=data)
    assert result.returncode == 2 and "an empty folder name" in result.stderr
    assert fingerprint(data) == before


def test_an_emptied_folder_does_not_empty_the_index_without_allow_remove(tmp_path):
    data, empty, two = tmp_path / "data", tmp_path / "empty", tmp_path / "two"
    empty.mkdir()
    two.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, two)
    assert run_app("index", data_dir=data).returncode == 0
    before = fingerprint(data)
    for folder, left, flags in ((empty, 0, ()), (empty, 0, ("--rebuild",)), (two, 2, ())):
        result = run_app("index", *flags, data_dir=data, seeds_dir=folder)
        assert result.returncode == 2, result.stdout
        assert f"would remove {5 - left} of the 5 indexed articles" in result.stderr
        assert "--allow-remove" in result.stderr and fingerprint(data) == before
    result = run_app("index", "--allow-remove", data_dir=data, seeds_dir=two)
    assert result.returncode == 0 and "removed 3" in result.stdout
