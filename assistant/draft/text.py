"""Small text helpers shared by the drafting modules: sentences with offsets, stems, lexical overlap.

Kept here (not in ``index.keyword``) because drafting needs *sentence* spans that index exactly into
``ParsedDocument.text`` and a cheap, deterministic overlap measure that decides most support checks
without running the embedding model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("swedish")

# Function words that carry no topic; a short closed list of Swedish grammar words, not a domain list.
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett var jag så men ska kan när
    från vid eller även detta denna dessa deras dess sin sitt sina vi ni han hon man hur vad vilka
    vilken vilket där här då än också bara alla samt utan under efter mellan genom inom över mot
    sig sedan nu mer mest andra annan annat ut upp in blir bli blev vara varit finns fanns får
    fick kommer skulle måste bör kunna olika flera många både dock enligt hos ska skall sådan
    sådana vissa vår våra vårt er era ert dem oss honom henne man själv egna eget egen
    """.split()
)

_WORD_RE = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü][\wÅÄÖåäöÉéÜü-]*")
# A sentence ends at . ! ? followed by whitespace and an upper-case letter/digit, or at a blank line.
_SENT_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÅÄÖ0-9])|\n\s*\n(?!\s*[a-zåäö—–-])")
_ABBREV_END_RE = re.compile(r"(?:\b(?:t\.ex|bl\.a|m\.fl|m\.m|s\.k|d\.v\.s|dvs|ca|nr|kap|jfr|resp|p\.g\.a|fr\.o\.m|t\.o\.m)\.|\b[A-ZÅÄÖ]\.)$")


@dataclass(frozen=True)
class Span:
    """A sentence (or any text piece) with its offsets in the text it came from."""

    start: int
    end: int
    text: str


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def stems(text: str) -> set[str]:
    """Stemmed content words (lower-case, no stopwords, no 1-2 letter words)."""
    out: set[str] = set()
    for w in words(text):
        lw = w.lower()
        if len(lw) < 3 or lw in STOPWORDS:
            continue
        out.add(_stem(lw))
        # Compounds and hyphenated words: also index the parts ("RSU-grupp" → rsu, grupp).
        if "-" in lw:
            out.update(_stem(p) for p in lw.split("-") if len(p) >= 3 and p not in STOPWORDS)
    return out


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content stems that occur in the evidence (0..1); 0 for an empty claim."""
    c = stems(claim)
    if not c:
        return 0.0
    e = stems(evidence)
    hits = 0
    for s in c:
        if s in e or any(len(s) >= 5 and (s in x or x in s) and len(x) >= 5 for x in e):
            hits += 1
    return hits / len(c)


def squash(text: str) -> str:
    """Collapse hard line breaks and runs of whitespace (documents often wrap lines)."""
    return re.sub(r"\s+", " ", text).strip()


_WRAP_HYPHEN = re.compile(r"(\w)-[ \t]*\n\s*(?!(?:och|eller|samt)\b)([a-zåäö])")


def unwrap(text: str) -> str:
    """Text for display: hard line breaks removed, words hyphenated across a line break rejoined
    ("social-\ntjänsten" → "socialtjänsten", but "RSU-\noch CSU" stays "RSU- och CSU")."""
    return squash(_WRAP_HYPHEN.sub(r"\1\2", text))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` into sentences whose offsets index ``text`` itself.

    Hard line breaks inside a sentence are kept in the span (so ``text[s.start:s.end]`` is the exact
    quote); blank lines and sentence-final punctuation end a sentence. Common abbreviations do not.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    spans: list[Span] = []
    pos = 0
    for m in _SENT_END_RE.finditer(region):
        if m.group(0).strip() == "" and "\n\n" not in re.sub(r"[ \t\r]", "", m.group(0)):
            if _ABBREV_END_RE.search(region[pos : m.start()]):
                continue
        _add_span(spans, text, start + pos, start + m.start())
        pos = m.end()
    _add_span(spans, text, start + pos, end)
    return spans


def _add_span(spans: list[Span], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a >= 2:
        spans.append(Span(a, b, text[a:b]))
