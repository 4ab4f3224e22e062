"""Read article files from a folder into cleaned `Document`s; skip bad files with a named reason."""

import hashlib
import stat
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel

from retrieval.cleaning import CleanedArticle, clean_article
from retrieval.errors import SeedsNotFoundError
from retrieval.frontmatter import FrontMatter, read_front_matter
from retrieval.html import html_to_text
from retrieval.temporal import ArticleDate, infer_article_date, stated_date

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MAX_FILE_BYTES = 10 * 1024 * 1024


class ArticleMetadata(BaseModel):
    """What a page states about its article; every chunk of the article carries it too."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    dateline: str | None = None
    article_date: ArticleDate = ArticleDate()  # stated, or inferred from the text with evidence

    def metadata(self) -> dict:
        return self.model_dump(include=set(ArticleMetadata.model_fields))


class Document(ArticleMetadata):
    """One cleaned article. `doc_id` is the file stem; offsets of chunks point into `text`."""

    doc_id: str
    source: str
    content_hash: str
    text: str
    byline: str | None = None


class Skipped(BaseModel):
    """A file that was not ingested, and why."""

    path: str
    reason: str


class IngestReport(BaseModel):
    """What reading a folder produced: the documents and the files skipped with reasons."""

    documents: list[Document]
    skipped: list[Skipped]


def load_documents(seeds_dir: Path) -> IngestReport:
    """Read every supported file directly inside `seeds_dir`, in name order."""
    if not seeds_dir.is_dir():
        raise SeedsNotFoundError(f"seeds folder not found: {seeds_dir}")
    documents, skipped = [], []
    for path in sorted(seeds_dir.iterdir()):
        if path.is_dir() or path.name.startswith("."):
            continue
        result = read_document(path, seeds_dir)
        (skipped if isinstance(result, Skipped) else documents).append(result)
    return IngestReport(documents=documents, skipped=skipped)


def read_document(path: Path, folder: Path | None = None) -> Document | Skipped:
    """Read and clean one file, or say why it cannot be used; a file of `folder` may not be a
    link to a file outside it."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return Skipped(path=str(path), reason=f"unsupported file type {path.suffix or '(none)'}")
    try:
        raw = _read_bounded(path, folder)
    except OSError as exc:
        return Skipped(path=str(path), reason=f"unreadable: {exc.strerror or exc}")
    except _Refused as exc:
        return Skipped(path=str(path), reason=str(exc))
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Skipped(path=str(path), reason=f"not UTF-8 text (bad byte at {exc.start})")
    if path.suffix.lower() in HTML_SUFFIXES:
        decoded = html_to_text(decoded)
    front = read_front_matter(decoded) if path.suffix.lower() == ".md" else None
    return _document_from_text(path, raw, front.body if front else decoded, front)


class _Refused(Exception):
    """A file that is not read at all, and why."""


def _read_bounded(path: Path, folder: Path | None) -> bytes:
    """The file's bytes, read only when it is a regular file inside `folder` no larger than
    MAX_FILE_BYTES (a FIFO would block, /dev/zero never ends, a link may lead anywhere)."""
    if folder is not None and not path.resolve().is_relative_to(folder.resolve()):
        raise _Refused("a link to a file outside the articles folder")
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("not a regular file (a FIFO, device or socket)")
    too_large = f"larger than {MAX_FILE_BYTES // 2**20} MB"
    if info.st_size > MAX_FILE_BYTES:
        raise _Refused(too_large)
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    if len(raw) > MAX_FILE_BYTES:
        raise _Refused(too_large)
    return raw


def _document_from_text(
    path: Path, raw: bytes, decoded: str, front: FrontMatter | None = None
) -> Document | Skipped:
    if "\x00" in decoded:
        return Skipped(path=str(path), reason="binary content (NUL bytes)")
    cleaned = _with_front_matter(clean_article(decoded), front)
    if not cleaned.text.strip():
        return Skipped(path=str(path), reason="no article text after cleaning")
    return Document(
        doc_id=path.stem,
        source=str(path),
        content_hash=hashlib.sha256(raw).hexdigest(),
        text=cleaned.text,
        title=cleaned.title,
        outlet=cleaned.outlet,
        published=cleaned.published,
        article_date=stated_date(cleaned.published)
        if cleaned.published
        else infer_article_date(decoded, cleaned.text),
        dateline=cleaned.dateline,
        byline=cleaned.byline,
    )


def _with_front_matter(cleaned: CleanedArticle, front: FrontMatter | None) -> CleanedArticle:
    """What the front matter states wins over what the text seems to say; its title leads the
    text as a page's headline does."""
    if front is None:
        return cleaned
    text = cleaned.text
    if front.title and not text.startswith(front.title):
        text = f"{front.title}\n\n{text}" if text.strip() else text
    return replace(
        cleaned,
        text=text,
        title=front.title or cleaned.title,
        published=front.published or cleaned.published,
        outlet=front.outlet or cleaned.outlet,
        byline=front.byline or cleaned.byline,
    )
