"""Sentence spans inside a text (pysbd rules, paragraph breaks always end a sentence)."""

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Span:
    """A sentence: its text and its [start, end) character offsets in the text it came from."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split `text` into sentences; offsets are into `text`, shifted by `offset`."""
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        cursor = para.start()
        for piece in _segmenter().segment(para.group()):
            sentence = piece.strip()
            if not sentence:
                continue
            start = text.find(sentence, cursor)
            if start < 0:
                continue
            cursor = start + len(sentence)
            spans.append(Span(offset + start, offset + cursor, sentence))
    return spans
