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


def hostile_page(size: int) -> str:
    """An HTML page of about `size` bytes built to be slow to read: half deeply nested blocks,
    half hidden spans, then one visible paragraph at the very end."""
    depth = size // 2 // len("<div>x </div>")
    spans = size // 2 // len("<span hidden>h</span>")
    return ("<html><head><title>Harbor</title></head><body>" + "<div>x " * depth
            + "</div>" * depth + "<span hidden>h</span>" * spans
            + "<p>The harbor in Varna reopened on Saturday.</p></body></html>")  # fmt: skip


def test_a_10_mb_html_page_is_read_in_one_pass(tmp_path):
    """The HTML reader was quadratic (40,000 paragraphs did not finish in 120 s). A page just
    under the 10 MB limit now indexes in well under the timeout, its last paragraph kept."""
    folder = tmp_path / "articles"
    folder.mkdir()
    page = hostile_page(9_500_000)
    (folder / "big.html").write_text(page, encoding="utf-8")
    assert 9_000_000 < len(page) < 10 * 1024 * 1024
    result = run_app("index", data_dir=tmp_path / "data", seeds_dir=folder, timeout=240)
    assert result.returncode == 0 and "indexed 1 documents" in result.stdout, result.stderr
    found = run_app("search", "When did the harbor in Varna reopen?", data_dir=tmp_path / "data")
    assert "reopened on Saturday" in found.stdout


CSS_HIDDEN = """<html><head><title>Harbor</title><style>
.story .x9 {display:none} #ad1, .promo { visibility: hidden } .note { color: red }
</style></head><body><h1>Harbor opens</h1><p>The harbor opened on Monday.</p>
<p style="color:white;font-size:0">PWNED-white</p><span class="sr-only">PWNED-sr</span>
<div class="x9">PWNED-rule</div><div id="ad1">PWNED-id</div><p class="note">A red note.</p>
<p style="position:absolute;left:-9999px">PWNED-offscreen</p><p style="opacity: 0">PWNED-opacity</p>
<p style="font-size:0.0em">PWNED-size</p><p style="font-size:0.9em">Small print stays.</p>
<span class="visually-hidden">PWNED-vh</span><p style="height:0;overflow:hidden">PWNED-height</p>
</body></html>"""


def test_css_hidden_text_in_html_is_not_indexed(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbor.html").write_text(CSS_HIDDEN, encoding="utf-8")
    data = tmp_path / "data"
    assert run_app("index", data_dir=data, seeds_dir=folder).returncode == 0
    found = run_app("search", "harbor PWNED note print", "-k", "5", data_dir=data).stdout
    assert "opened on Monday" in found and "A red note" in found and "Small print" in found
    assert "PWNED" not in found, found
