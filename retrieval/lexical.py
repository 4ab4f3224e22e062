"""BM25 over chunk texts (bm25s with an English stemmer), built as a generation is written.

The scores, the tokenizer's vocabulary and the vector id of each row are saved in the
generation's `bm25/` folder, and searchers load the score matrix memory-mapped, so a query
touches only the columns of its own words.
"""

import threading
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from retrieval.errors import IndexCorruptError, MissingDependencyError

FOLDER = "bm25"
IDS_FILE = "vector_ids.npy"
REBUILD_HINT = "run `python -m app index --rebuild`"


def _import_bm25s():
    try:
        import bm25s
        import Stemmer
    except ImportError as exc:
        raise MissingDependencyError(
            "BM25 search needs bm25s and PyStemmer: run `make install`"
        ) from exc
    return bm25s, Stemmer


def _tokenizer():
    bm25s, Stemmer = _import_bm25s()
    return bm25s.tokenization.Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="en")


class LexicalIndex:
    """BM25 scores of chunks, searched by question; thread-safe."""

    def __init__(self, retriever, tokenizer, vector_ids: np.ndarray) -> None:
        self.retriever = retriever
        self.tokenizer = tokenizer
        self.vector_ids = vector_ids
        self._lock = threading.Lock()  # bm25s' tokenizer and its stemmer are not thread-safe

    def save(self, folder: Path) -> None:
        folder.mkdir()
        np.save(folder / IDS_FILE, self.vector_ids)
        if len(self.vector_ids):
            self.retriever.save(str(folder), show_progress=False)
            self.tokenizer.save_vocab(str(folder))

    @staticmethod
    def saved_in(folder: Path) -> bool:
        return (folder / IDS_FILE).is_file()

    @classmethod
    def load(cls, folder: Path, mmap: bool = True) -> "LexicalIndex":
        """Read a saved index; `mmap` maps the score matrix instead of reading it."""
        bm25s, _ = _import_bm25s()
        try:
            vector_ids = np.load(folder / IDS_FILE, mmap_mode="r" if mmap else None)
            tokenizer, retriever = _tokenizer(), bm25s.BM25()
            if len(vector_ids):
                retriever = bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False)
                tokenizer.load_vocab(str(folder))
        except (OSError, ValueError, KeyError) as exc:
            problem = f"cannot read the BM25 index in {folder}"
            raise IndexCorruptError(f"{problem}; {REBUILD_HINT}") from exc
        return cls(retriever, tokenizer, vector_ids)

    def search(self, question: str, k: int) -> dict[int, float]:
        """Vector id to BM25 score of the best `k` chunks with a positive score."""
        if not len(self.vector_ids):
            return {}
        with self._lock:
            tokens = self.tokenizer.tokenize(
                [question], update_vocab=False, show_progress=False, return_as="tuple"
            )
            if not any(tokens.ids[0]):  # id 0 is the empty token: no word of the question is known
                return {}
            k = min(k, len(self.vector_ids))
            rows, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return {
            int(self.vector_ids[r]): float(s)
            for r, s in zip(rows[0], scores[0], strict=True)
            if s > 0
        }

    def document_frequencies(self, stems: set[str]) -> tuple[int, dict[str, int]]:
        """The number of chunks, and how many of them hold each stemmed term (0 for a term
        no chunk holds): the rarity of a question's words in the whole index."""
        if not len(self.vector_ids):
            return 0, dict.fromkeys(stems, 0)
        vocab = self.tokenizer.get_vocab_dict()
        indptr = self.retriever.scores["indptr"]
        counts = {}
        for stem in stems:
            sid = vocab.get(stem)
            counts[stem] = 0 if sid is None else int(indptr[sid + 1] - indptr[sid])
        return len(self.vector_ids), counts


class LexicalBuilder:
    """Chunks tokenized one at a time as they are written, their token ids packed in one int32
    array: at a million chunks, lists of lists of ints and the texts kept for a batch
    tokenization took 2.8 GB; this keeps the build near the size of its score matrix."""

    def __init__(self) -> None:
        self.tokenizer = _tokenizer()
        self.vector_ids = array("q")
        self.tokens = PackedTokenIds()

    def add(self, vector_id: int, text: str) -> None:
        self.vector_ids.append(vector_id)
        self.tokens.append(next(self.tokenizer.streaming_tokenize([text])))

    def build(self) -> LexicalIndex:
        bm25s, _ = _import_bm25s()
        retriever = bm25s.BM25()
        if len(self.tokens):
            corpus = bm25s.tokenization.Tokenized(self.tokens, self.tokenizer.get_vocab_dict())
            retriever.index(corpus, show_progress=False)
        vector_ids = np.frombuffer(self.vector_ids, dtype=np.int64)
        return LexicalIndex(retriever, self.tokenizer, vector_ids)


class PackedTokenIds:
    """The token ids of many texts in one flat array, read back a text at a time as a list
    (what bm25s' indexing iterates over)."""

    def __init__(self) -> None:
        self.flat = array("i")
        self.ends = array("q")

    def append(self, ids: list[int]) -> None:
        self.flat.extend(ids)
        self.ends.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[list[int]]:
        start = 0
        for end in self.ends:
            yield self.flat[start:end].tolist()
            start = end
