"""The user's article folder behind the chat's sidebar: validated uploads, removal, index status.

An upload is checked (safe name, supported type, size, readable article text, not a copy of an
article already there) in a hidden staging file and only then renamed into place, so a refused or
interrupted upload changes nothing. Removal moves the file to a trash folder under the data
directory instead of deleting it.
"""

import hashlib
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path, PurePath

from pydantic import BaseModel

from app.errors import ArticleError
from retrieval.index import LoadedIndex
from retrieval.ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, Document, read_document

_UNSAFE = re.compile(r"[^\w.-]+")  # letters and digits of any script stay
MAX_NAME_CHARS = 120
TRASH = "removed-articles"


class IndexStatus(BaseModel):
    """What the index in force holds, for the status line."""

    documents: int
    chunks: int
    embedding_model: str
    built_at: str

    def line(self) -> str:
        model = PurePath(self.embedding_model).name
        built = self.built_at.replace("T", " ")[:16] or "unknown"
        return f"{self.documents} articles · {self.chunks} chunks · {model} · built {built}"


def index_status(index: LoadedIndex) -> IndexStatus:
    manifest = index.manifest
    return IndexStatus(
        documents=len(index.documents),
        chunks=len(index.chunks),
        embedding_model=manifest.embedding_model,
        built_at=manifest.built_at,
    )


def safe_file_name(name: str) -> str:
    """A plain file name for an upload: no folders, no hidden names, only a supported type."""
    base = PurePath(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = _UNSAFE.sub("_", stem).strip("._-")[:MAX_NAME_CHARS]
    if suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        raise ArticleError(f"{name!r}: unsupported file type {suffix or '(none)'}; use {kinds}")
    if not stem:
        raise ArticleError(f"{name!r} is not a usable file name")
    return stem + suffix.lower()


def add_article(seeds_dir: Path, name: str, data: bytes) -> Path:
    """Validate an uploaded file and place it in `seeds_dir`; raise `ArticleError` if refused."""
    safe = safe_file_name(name)
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(f"{name!r} is larger than {MAX_FILE_BYTES // 2**20} MB")
    _refuse_clash(seeds_dir, safe, data)
    staging = seeds_dir / f".upload-{os.getpid()}-{safe}"
    try:
        staging.write_bytes(data)
        checked = read_document(staging)
        if not isinstance(checked, Document):
            raise ArticleError(f"{name!r} was refused: {checked.reason}")
        target = seeds_dir / safe
        os.replace(staging, target)
        return target
    finally:
        staging.unlink(missing_ok=True)


def _refuse_clash(seeds_dir: Path, safe: str, data: bytes) -> None:
    stem = Path(safe).stem
    digest = hashlib.sha256(data).hexdigest()
    for path in article_files(seeds_dir):
        if path.stem == stem:
            raise ArticleError(f"an article named {stem!r} exists already ({path.name})")
        if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            raise ArticleError(f"{safe!r} has the same content as {path.name}")


def article_files(seeds_dir: Path) -> list[Path]:
    """The article files the index reads from `seeds_dir`, in name order."""
    if not seeds_dir.is_dir():
        return []
    return sorted(
        p
        for p in seeds_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_SUFFIXES
    )


def remove_article(seeds_dir: Path, data_dir: Path, doc_id: str) -> Path:
    """Move the article `doc_id` out of `seeds_dir` into the trash folder; return where it went."""
    matches = [p for p in article_files(seeds_dir) if p.stem == doc_id]
    if not matches:
        raise ArticleError(f"no article {doc_id!r} in {seeds_dir}")
    trash = data_dir / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = trash / f"{stamp}-{matches[0].name}"
    copies = 1
    while target.exists():  # the same name removed twice in one second keeps both copies
        copies += 1
        target = trash / f"{stamp}-{copies}-{matches[0].name}"
    shutil.move(matches[0], target)
    return target
