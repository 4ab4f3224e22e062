"""Near-duplicate articles (re-published or syndicated copies of one story) and passages.

Texts are compared by their sets of five-word shingles. To stay cheap on large corpora, only a
fixed sample of each set is kept (the shingles whose hash falls in one residue class: the same
shingle is sampled in every text), and candidate pairs are found through an inverted index of the
sampled shingles, so an article is compared only with articles it shares shingles with; the
shared shingles are counted from those postings (no set intersections), and a posting list is
capped so that phrases common to thousands of articles keep the whole pass linear.
"""

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 4  # keep one shingle in four
DUPLICATE_SIMILARITY = 0.6  # share of sampled shingles two copies of one story have in common
# A shingle's posting list stops growing here: the earliest articles that hold it (originals come
# first) stay findable, and boilerplate phrases shared by thousands of articles cost no more than
# this per lookup. Without the cap, 4,000 template-heavy articles took 55 s (quadratic).
MAX_POSTINGS = 64
_WORD = re.compile(r"\w+")


def shingles(text: str, sample: bool = True) -> set[int]:
    """Hashes of the text's five-word shingles (lower-cased words), sampled unless told not to."""
    words = _WORD.findall(text.lower())
    hashes = set()
    for i in range(max(1, len(words) - SHINGLE_WORDS + 1)):
        piece = " ".join(words[i : i + SHINGLE_WORDS]).encode()
        value = int.from_bytes(hashlib.blake2b(piece, digest_size=8).digest(), "big")
        if not sample or value % SAMPLE_MODULUS == 0:
            hashes.add(value)
    return hashes


def resemblance(a: set[int], b: set[int]) -> float:
    """How much of the smaller set the larger one contains (1.0: one text holds the other)."""
    return _share(len(a & b), len(a), len(b))


def _share(shared: int, size_a: int, size_b: int) -> float:
    return shared / max(1, min(size_a, size_b))


def duplicate_groups(texts: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups (two or more ids) of texts that are copies of one another, in the order given:
    the first id of a group is its original."""
    sizes: dict[str, int] = {}
    postings: dict[int, list[str]] = defaultdict(list)
    original: dict[str, str] = {}
    order: dict[str, int] = {}
    for key, text in texts:
        order[key] = len(order)
        mine = shingles(text)
        sizes[key] = len(mine)
        shared = Counter(other for value in mine for other in postings.get(value, ()))
        for value in mine:
            if len(holders := postings[value]) < MAX_POSTINGS:
                holders.append(key)
        match = next(
            (
                other
                for other in sorted(shared, key=order.get)
                if _share(shared[other], len(mine), sizes[other]) >= DUPLICATE_SIMILARITY
            ),
            None,
        )
        if match is not None:
            original[key] = original.get(match, match)
    groups: dict[str, list[str]] = defaultdict(list)
    for key, first in original.items():
        groups[first].append(key)
    return [[first, *copies] for first, copies in groups.items()]
