"""Content terms of a text: lower-cased, stemmed words without stop words, for lexical overlap."""

import re
import threading
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_EXTRA_STOPWORDS = {
    "which",
    "what",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "why",
    "how",
    "did",
    "does",
    "do",
    "say",
    "said",
    "according",
    "article",
    "articles",
    "s",
}


_local = threading.local()  # PyStemmer's stemmers are not thread-safe: one per thread


def _stemmer():
    if not hasattr(_local, "stemmer"):
        import Stemmer

        _local.stemmer = Stemmer.Stemmer("english")
    return _local.stemmer


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | _EXTRA_STOPWORDS


def content_terms(text: str) -> set[str]:
    """The set of stemmed content words of `text` (numbers kept, stop words dropped)."""
    words = [w.lower().replace("’", "'").split("'")[0] for w in _WORD.findall(text)]
    kept = [w for w in words if w and w not in _stopwords()]
    return set(_stemmer().stemWords(kept))


def coverage(needed: set[str], present: set[str]) -> float:
    """Share of `needed` terms found in `present` (1.0 when nothing is needed)."""
    return len(needed & present) / len(needed) if needed else 1.0
