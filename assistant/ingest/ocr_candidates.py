"""What an OCR'd token could have been: the Swedish lexicon, glyph confusions and compound readings.

Steps 1 and 2 of the repair described in :mod:`assistant.ingest.ocr`: the wordfreq lexicon indexed
by å/ä/ö skeleton (``_lexicon``), the glyphs OCR produces for å/ä/ö (``_GLYPHS``), the lexicon words
a token can be a misreading of (``_confusions``), and readings of compounds the lexicon lacks
(``_compound_repair``, ``_clean_compound``). Nothing here looks at a token's context or decides
whether to change it: the evidence rules, the detection and ``repair`` are in
:mod:`assistant.ingest.ocr`, which imports these. Split out of ``ocr.py`` along that seam; the
tunables that only candidate generation reads (``PART_ZIPF``, ``REPAIRED_PART_ZIPF``,
``PAIR_PENALTY``) moved with it.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import wordfreq

# --- tunables (documented in assistant.ingest.ocr's module docstring) ---------------------------
PART_ZIPF = 2.5
"""Each part of a compound, as written, must be at least this frequent (diacritic-less junk such
as ``fragor`` or ``direktor`` reaches 2.5 in the list)."""
REPAIRED_PART_ZIPF = 2.0
"""…and each repaired part at least this frequent (``förvaltningar`` is 2.4)."""
PAIR_PENALTY = 2.0
"""Zipf handicap of reading two glyphs as one vowel against reading them one by one."""
_MAX_SUBS = 4

_VOWELS = "åäö"
# What OCR produces for å/ä/ö (lower case; upper case is folded before lookup), and which of the
# three each glyph can stand for. "Strong" glyphs are not letters of Swedish words, so seeing one
# is good evidence of damage; the weak ones (plain letters) are only used when the lexicon agrees.
_GLYPHS: dict[str, str] = {
    "a": "åä",
    "o": "ö",
    "i": "äå",
    "d": "äåö",
    "e": "ä",
    "é": "äåö",
    "è": "äåö",
    "ê": "äåö",
    "ë": "äö",
    "á": "åä",
    "à": "åä",
    "â": "åä",
    "ã": "åä",
    "í": "äå",
    "ì": "äå",
    "ó": "ö",
    "ò": "ö",
    "ô": "ö",
    "õ": "ö",
    "ø": "ö",
    "ü": "ö",
    "4": "åä",
    "&": "äå",
    "6": "ö",
    "0": "ö",
}
_STRONG = frozenset(g for g in _GLYPHS if not ("a" <= g <= "z"))
# One vowel misread as two glyphs (barnavéardsutredningar, socialtjainst, stadsdelsndimnden).
_PAIR_GLYPHS = frozenset("aidéèêáàâíì&4")
# Digits OCR produces for letters other than å/ä/ö.
_DIGIT_LETTERS = {"1": "il", "0": "o"}

# A word token: letters, and "&" (a glyph OCR leaves for ä, see _GLYPHS).
_TOKEN_RE = re.compile(r"(?:[^\W_]|&)+")


# --------------------------------------------------------------------------------------------
# lexicon
# --------------------------------------------------------------------------------------------
class _Lexicon:
    """Zipf frequencies and the å/ä/ö skeleton index, built once per process (~0.5 s)."""

    def __init__(self) -> None:
        freqs = wordfreq.get_frequency_dict("sv", wordlist="best")
        self.zipf: dict[str, float] = {w: math.log10(f) + 9.0 for w, f in freqs.items()}
        self.skeleton: dict[str, list[str]] = {}
        table = str.maketrans({v: "*" for v in _VOWELS})
        for word in self.zipf:
            if any(v in word for v in _VOWELS):
                self.skeleton.setdefault(word.translate(table), []).append(word)
        self.keys = sorted(self.skeleton)  # for prefix tests while building candidate keys

    def z(self, word: str) -> float:
        return self.zipf.get(word, 0.0)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some skeleton key starts with ``prefix``."""
        i = bisect.bisect_left(self.keys, prefix)
        return i < len(self.keys) and self.keys[i].startswith(prefix)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


@dataclass(frozen=True)
class _Candidate:
    zipf: float
    subs: int  # number of glyph substitutions
    strong: bool  # at least one substitution of a non-letter glyph
    word: str
    pair: bool = False  # two glyphs read as one vowel (changes the length)

    @property
    def score(self) -> float:
        """Frequency, less ``PAIR_PENALTY`` for the rarer split-glyph damage: "dér" is "där"
        (é→ä), not "är" (dé→ä), but "édr" is "är" since no single-glyph reading is common."""
        return self.zipf - (PAIR_PENALTY if self.pair else 0.0)


@lru_cache(maxsize=200_000)
def _confusions(token: str) -> tuple[_Candidate, ...]:
    """Lexicon words that ``token`` (lower case) can be an OCR misreading of, best first.

    The token itself is not included. The skeleton key (å/ä/ö written ``*``) of each reading is
    built left to right: every glyph is kept or read as one of the vowels it can stand for, and two
    adjacent glyphs may be read as one vowel; vowels the token already has stay. A branch stops
    as soon as no lexicon key starts with it, so long tokens cost little. At most ``_MAX_SUBS``
    substitutions.
    """
    found: dict[str, _Candidate] = {}
    for variant in _digit_variants(token):
        _search(variant, variant != token, found)
    return tuple(sorted(found.values(), key=lambda c: (-c.score, c.subs)))


def _digit_variants(token: str) -> list[str]:
    """The token, and the token with a digit read as the letter it resembles (1nte, sko1an, f0r)."""
    variants = [token]
    for digit, letters in _DIGIT_LETTERS.items():
        if digit in token:
            variants += [token.replace(digit, letter) for letter in letters]
    return variants


def _search(base: str, digit_fix: bool, found: dict[str, _Candidate]) -> None:
    """Add the lexicon readings of ``base`` to ``found`` (see ``_confusions``)."""
    lex = _lexicon()
    if digit_fix and base in lex.zipf:
        found[base] = _Candidate(lex.z(base), 1, True, base)
    n = len(base)
    # stack entries: (position in base, key so far, allowed vowels per "*", subs, strong, pair)
    stack: list[tuple[int, str, tuple[str, ...], int, bool, bool]] = [(0, "", (), 0, digit_fix, False)]
    while stack:
        pos, key, allowed, subs, strong, pair = stack.pop()
        if pos == n:
            if subs == 0 and not digit_fix:
                continue
            for word in lex.skeleton.get(key, ()):
                stars = (i for i, c in enumerate(key) if c == "*")
                if all(word[i] in ok for i, ok in zip(stars, allowed, strict=True)):
                    cand = _Candidate(lex.z(word), max(subs, 1), strong, word, pair)
                    if word not in found or found[word].subs > cand.subs:
                        found[word] = cand
            continue
        c = base[pos]
        branches: list[tuple[int, str, tuple[str, ...], int, bool, bool]] = []
        if c in _VOWELS:
            branches.append((pos + 1, key + "*", allowed + (c,), subs, strong, pair))
        else:
            branches.append((pos + 1, key + c, allowed, subs, strong, pair))
        if subs < _MAX_SUBS and c in _GLYPHS:
            branches.append((pos + 1, key + "*", allowed + (_GLYPHS[c],), subs + 1, strong or c in _STRONG, pair))
        if subs < _MAX_SUBS and pos + 1 < n and c in _PAIR_GLYPHS and base[pos + 1] in _PAIR_GLYPHS:
            pair_strong = strong or c in _STRONG or base[pos + 1] in _STRONG
            branches.append((pos + 2, key + "*", allowed + (_VOWELS,), subs + 1, pair_strong, True))
        for branch in branches:
            if branch[0] == n or lex.has_prefix(branch[1]):
                stack.append(branch)


# --------------------------------------------------------------------------------------------
# compounds
# --------------------------------------------------------------------------------------------
def _left_forms(part: str) -> list[tuple[str, int, str]]:
    """Dictionary forms a compound's first part may come from: ``(form, letters to strip, link)``.

    The part is ``form[:len(form) - strip] + link``. Swedish joins compounds with a linking ``s``
    (barnavård|s|utredningar), drops a final ``-e``/``-a`` (handläggar|nivå, skol|gång) or turns
    ``-a`` into ``-e`` (förskole|avdelning); ``samhälls-`` is ``samhälle`` with a linking ``s``.
    """
    forms = [(part, 0, ""), (part + "e", 1, ""), (part + "a", 1, "")]
    if part.endswith("e") and len(part) > 3:
        forms.append((part[:-1] + "a", 1, "e"))  # förskole|avdelning from förskola
    if part.endswith("s") and len(part) > 3:
        stem = part[:-1]
        forms += [(stem, 0, "s"), (stem + "e", 1, "s"), (stem + "a", 1, "s")]
    return forms


def _part_options(part: str, left: bool) -> list[tuple[str, float, int]]:
    """Readings of one compound part: ``(text of the part, zipf of its word, substitutions)``."""
    lex = _lexicon()
    options: list[tuple[str, float, int]] = []
    for form, strip, link in _left_forms(part) if left else [(part, 0, "")]:
        z = lex.z(form)
        if z >= PART_ZIPF:
            options.append((part, z, 0))
        for cand in _confusions(form)[:8]:
            if cand.zipf < REPAIRED_PART_ZIPF or (strip and cand.word[-strip:] != form[-strip:]):
                continue
            options.append((cand.word[: len(cand.word) - strip] + link, cand.zipf, cand.subs))
    return options


class _Split(NamedTuple):
    """A compound reading of a token: fewer parts is better, then a more frequent weakest part."""

    parts: int
    zipf: float  # frequency of the weakest part
    subs: int
    word: str

    def beats(self, other: _Split | None) -> bool:
        return other is None or (-self.parts, self.zipf, -self.subs) > (-other.parts, other.zipf, -other.subs)


@lru_cache(maxsize=100_000)
def _clean_compound(token: str) -> _Split | None:
    """The best split of ``token``, as written, into two or three common words, if any.

    Parts after the first have at least four letters, so short junk words cannot make a damaged
    token look like a compound (vuxen|tit|het).
    """
    lex = _lexicon()
    best: _Split | None = None
    for k in range(3, len(token) - 3):
        lz = max(lex.z(form) for form, _, _ in _left_forms(token[:k]))
        if lz < PART_ZIPF:
            continue
        right = token[k:]
        if lex.z(right) >= PART_ZIPF:
            split = _Split(2, min(lz, lex.z(right)), 0, token)
        elif (sub := _clean_compound(right)) is not None and sub.parts == 2:
            split = _Split(3, min(lz, sub.zipf), 0, token)
        else:
            continue
        if split.beats(best):
            best = split
    return best


@lru_cache(maxsize=50_000)
def _compound_repair(token: str, depth: int = 0) -> _Split | None:
    """Best repair of a compound the lexicon lacks, as two (or three) repaired parts.

    Two parts beat three (``samhälls|vård`` over ``sam|hålls|vård``); then the weakest part's
    frequency decides, then fewer substitutions. At least one part must have been repaired.
    """
    best: _Split | None = None
    for k in range(3, len(token) - 3):  # parts after the first have at least four letters
        lefts = _part_options(token[:k], left=True)
        if not lefts:
            continue
        rights = [(w, z, s, 2) for w, z, s in _part_options(token[k:], left=False)]
        if depth == 0 and (sub := _compound_repair(token[k:], 1)) is not None:
            rights.append((sub.word, sub.zipf, sub.subs, 3))
        for (lw, lz, ls), (rw, rz, rs, parts) in itertools.product(lefts, rights):
            if ls + rs == 0:
                continue
            split = _Split(parts, min(lz, rz), ls + rs, lw + rw)
            if split.beats(best):
                best = split
    return best
