"""One entity named two ways: "Kassym-Jomart Tokayev" and "Tokayev", "Emomali Rahmon" and
"Emomali Rakhmon" (two transliterations), "10" and "10".

A name's distinctive words (four letters or more, titles and common words left out) identify
it: a sentence mentions the name when it holds one of them as a word, spelled the same or within
one transliteration's difference. Numbers and dates are compared whole. The answering core uses
this to see every sentence that names a candidate answer (its evidence across articles) and to
cite another article that names the answer too.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from retrieval.terms import content_terms

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TITLES = {
    "president", "premier", "prime", "minister", "chancellor", "king", "queen", "prince",
    "senator", "governor", "mayor", "general", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "ambassador", "chairman", "chairwoman", "leader", "envoy", "commander",
    "judge", "pope", "vice", "deputy", "foreign",
}  # fmt: skip
# words of a name that do not identify it: titles, and the common words of places and parties
_NOT_IDENTIFYING = TITLES | {
    "republic", "state", "states", "united", "national", "party", "city", "north", "south",
    "east", "west", "new",
}  # fmt: skip
MIN_LETTERS = 4
SPELLING_LIKENESS = 0.85  # "rahmon" and "rakhmon" are 0.92 alike; "iran" and "iraq" 0.75


def fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def name_words(name: str) -> frozenset[str]:
    """The words that identify a name (none for a name of digits only: compared whole)."""
    words = {
        part for word in _WORD.findall(fold(name)) for part in word.replace("’", "'").split("-")
    }
    kept = {w for w in words if len(w) >= MIN_LETTERS and w not in _NOT_IDENTIFYING}
    return frozenset(w for w in kept if content_terms(w))


@lru_cache(maxsize=8192)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[^\w']+", fold(text).replace("’", "'")) if w)


def mentions(name: str, text: str) -> bool:
    """Whether `text` names `name`: the whole name, or one of its identifying words spelled
    alike."""
    whole = folded(name).strip()
    if whole and f" {whole} " in folded(text):
        return True
    wanted = name_words(name)
    if not wanted:
        return False
    words = _words_of(text)
    return any(_alike(w, words) for w in wanted)


def names_fully(name: str, text: str) -> bool:
    """Whether `text` names `name` by every one of its identifying words spelled alike
    ("President Emomali Rakhmon" for "Emomali Rahmon"; not "Judge William" for "Oliver Galmo
    Williams"); a name without such words only whole."""
    wanted = name_words(name)
    if not wanted:
        return f" {folded(name).strip()} " in folded(text)
    words = _words_of(text)
    return all(_alike(w, words) for w in wanted)


def _alike(word: str, words: frozenset[str]) -> bool:
    if word in words or f"{word}'s" in words:
        return True
    return any(
        abs(len(other) - len(word)) <= 2
        and other[0] == word[0]
        and SequenceMatcher(None, word, other).ratio() >= SPELLING_LIKENESS
        for other in words
        if len(other) >= MIN_LETTERS
    )


def folded(text: str) -> str:
    """The text lower-cased, accents and punctuation dropped, spaces single, padded with a
    space at each end."""
    return folded_with_positions(text)[0]


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`folded(text)`, and for each of its characters the offset it came from."""
    chars, positions = [" "], [0]
    for i, char in enumerate(text):
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode().lower()
        for piece in base or " ":
            keep = piece if piece.isalnum() else " "
            if keep == " " and chars[-1] == " ":
                continue
            chars.append(keep)
            positions.append(i)
    if chars[-1] != " ":
        chars.append(" ")
        positions.append(len(text))
    return "".join(chars), positions
