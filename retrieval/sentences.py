"""Sentence spans inside a text (pysbd rules, paragraph breaks always end a sentence)."""

import re
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A sentence: its text and its [start, end) character offsets in the text it came from."""

    start: int
    end: int
    text: str


_local = threading.local()  # a pysbd Segmenter keeps the text being split: one per thread


def _segmenter():
    if not hasattr(_local, "segmenter"):
        import pysbd

        _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return _local.segmenter


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
