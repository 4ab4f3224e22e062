"""Ingestion of the seed articles: boilerplate removal, metadata, offsets, bad files."""

from pathlib import Path

import pytest

from retrieval.errors import SeedsNotFoundError
from retrieval.ingest import load_documents, read_document
from tests.conftest import SEEDS

EXPECTED = {
    "000_eb7fae85ced59253": (
        "Putin, Jiang Meet With Leaders of Shanghai 5",
        None,
        None,
        "Dushanbe, Tajikistan",
    ),
    "001_f8d36b30d32ee174": (
        "Leaders of Russia, China attend summit of regional security grouping",
        "The Associated Press",
        None,
        None,
    ),
    "002_76736a5005c162cc": (None, "Financial Times", "2021-09-17", None),
    "003_8a3b2beb2ba57f63": (
        "2nd Russia–Central Asia summit opens in Dushanbe",
        "Anadolu Agency",
        None,
        "Istanbul",
    ),
    "004_c8b71dc69254530b": (
        "Putin, Xi meet at Central Asian summit in show of deepening cooperation",
        "Press TV",
        None,
        None,
    ),
}
BOILERPLATE = [
    "Get the latest updates",
    "Last Updated",
    "07/27/2016",
    "Sign up",
    "myFT Daily Digest",
    "Copyright",
    "Federal News Network Logo",
    "WTOP",
    "SHARE THIS ARTICLE",
    "www.presstv.co.uk",
    "Roku",
    "This news has been read",
    "Kaynak",
    "Türkçe",
    "News   /",
    "ADDS DETAILS FROM KREMLIN",
    "By Alperen Aktas",
    "\nadvised\n",
]


@pytest.fixture(scope="module")
def documents():
    report = load_documents(SEEDS)
    assert report.skipped == []
    return {doc.doc_id: doc for doc in report.documents}


def test_every_seed_article_is_read_with_its_file_stem_as_id(documents):
    assert set(documents) == set(EXPECTED)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_metadata_of_each_seed_article(documents, doc_id):
    doc = documents[doc_id]
    assert (doc.title, doc.outlet, doc.published, doc.dateline) == EXPECTED[doc_id]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_boilerplate_is_removed_and_whitespace_fixed(documents, doc_id):
    text = documents[doc_id].text
    for fragment in BOILERPLATE:
        assert fragment not in text, fragment
    assert "  " not in text and "\n\n\n" not in text and text == text.strip()


def test_last_updated_banner_is_not_taken_as_the_publication_date(documents):
    assert documents["000_eb7fae85ced59253"].published is None
    assert "Jiang Zemin on Wednesday joined" in documents["000_eb7fae85ced59253"].text


def test_story_text_is_kept(documents):
    assert "Belarus, joined the SCO on Thursday." in documents["001_f8d36b30d32ee174"].text
    assert documents["003_8a3b2beb2ba57f63"].byline == "Alperen Aktas"
    assert documents["004_c8b71dc69254530b"].text.endswith("formally join the SCO on Thursday.")


def test_non_utf8_empty_binary_and_unsupported_files_are_skipped_with_a_reason(tmp_path: Path):
    (tmp_path / "good.txt").write_text("A headline\n\nSome article text about a summit.")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 society in Dushanbe.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02GIF89a\x00")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    report = load_documents(tmp_path)
    assert [d.doc_id for d in report.documents] == ["good"]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "no article text" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["image.png"]


def test_missing_seeds_folder_raises_a_domain_error(tmp_path: Path):
    with pytest.raises(SeedsNotFoundError, match="seeds folder not found"):
        load_documents(tmp_path / "nope")


def test_labelled_publication_dates_are_parsed(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("Published: July 3, 2024\nSummit opens\n\nASTANA, Kazakhstan -- Leaders met.")
    doc = read_document(path)
    assert (doc.published, doc.title, doc.dateline) == (
        "2024-07-03",
        "Summit opens",
        "Astana, Kazakhstan",
    )


FRONT = """---
title: "Harbour reopens after the storm"
date: 2024-03-05
source: Varna Daily
author: Ana Petrova
tags: [harbour, storm]
---

The harbour of Varna reopened on Tuesday after a week of repairs.
"""


def test_markdown_front_matter_is_metadata_not_text(tmp_path: Path):
    path = tmp_path / "harbour.md"
    path.write_text(FRONT)
    doc = read_document(path)
    assert doc.title == "Harbour reopens after the storm"
    assert (doc.published, doc.outlet, doc.byline) == ("2024-03-05", "Varna Daily", "Ana Petrova")
    assert doc.text.startswith("Harbour reopens after the storm\n\nThe harbour of Varna")
    assert "---" not in doc.text and "tags" not in doc.text


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: [unclosed\n---\n\nThe harbour reopened on Tuesday.\n",  # not YAML
        "---\n- a list\n- not a mapping\n---\n\nThe harbour reopened on Tuesday.\n",
        "--- a rule, not front matter\n\nThe harbour reopened on Tuesday.\n",
    ],
)
def test_a_front_matter_that_is_none_leaves_the_text_as_it_was(tmp_path: Path, text):
    path = tmp_path / "odd.md"
    path.write_text(text)
    doc = read_document(path)
    assert "The harbour reopened on Tuesday." in doc.text and doc.published is None
