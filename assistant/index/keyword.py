"""Swedish keyword search: an analyzer for tjänsteutlåtanden and a persisted bm25s index.

The analyzer (:func:`analyze`) turns text into BM25 terms:

* law references become one term each, whatever their spelling: "11 kap 2 §", "11 Kap. 2§" and
  "11 kap. 2 §" all give ``11kap2§``; a lone "19 §" gives ``19§``; "SFS 2025:400" gives ``sfs2025:400``;
* words are lower-cased, Swedish stop words dropped, and stemmed with the Snowball stemmer;
* compounds are split into known parts from the wordfreq Swedish lexicon, keeping the whole word as
  well, so "barnavårdsutredningar" also yields the terms of "barnavård" and "utredning";
* å/ä/ö/é are folded to a/a/o/e *after* stemming, so an OCR-damaged query ("socialforvaltningen")
  still meets the repaired text, at the price of a few harmless collisions (för/for).

The rules themselves (law-reference terms, the fold, the stop words) are :mod:`assistant.text`'s.

:class:`KeywordIndex` stores each document's chunks and their terms under ``index/keyword/docs/``
(one JSON file per document, written atomically), and builds the bm25s matrix from the stored
terms when it is first searched after a change; analysis, the slow part, is never repeated.
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.fileio import atomic_write_text
from assistant.models import Chunk
from assistant.text import fold_letters, index_stopwords, law_matches

ANALYZER_VERSION = "sv-1"
"""Bumped whenever :func:`analyze` changes, so stored terms are recomputed."""

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

_MIN_COMPOUND = 8
"""Only words at least this long are tried as compounds."""
_MIN_PART = 4
"""Shortest compound part: three-letter parts ("for", "vis") shred OCR-damaged words into noise."""
_MAX_PARTS = 3


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    """Swedish words with their Zipf frequency (wordfreq's large list, ~340k words)."""
    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9 for w, f in get_frequency_dict("sv").items() if w.isalpha() and len(w) >= 3}


def _is_part(word: str) -> float | None:
    """Zipf frequency if ``word`` may stand as a compound part, else None.

    Short parts must be common words (so rare short strings do not shred compounds); long parts may
    be rare, as domain words are ("barnavård" has Zipf 1.9).
    """
    if word in index_stopwords():
        return None
    z = _lexicon().get(word)
    if z is None:
        return None
    need = 1.5 if len(word) >= 6 else 3.0
    return z if z >= need else None


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound, fewest parts first, or ``()`` if it does not split.

    Linking -s- between parts (fogemorfem) is allowed: "barnavårdsutredningar" →
    ("barnavård", "utredningar").
    """
    n = len(word)
    if n < _MIN_COMPOUND or not word.isalpha():
        return ()
    # best[i] = (parts, -zipf sum, split) for word[:i]
    best: list[tuple[int, float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, ())
    for i in range(_MIN_PART, n + 1):
        for j in range(0, i - _MIN_PART + 1):
            prev = best[j]
            if prev is None or prev[0] >= _MAX_PARTS or (j == 0 and i == n):
                continue
            candidates = [word[j:i]]
            if i < n and word[i - 1] == "s" and i - j - 1 >= _MIN_PART:
                candidates.append(word[j : i - 1])  # part followed by a linking s
            for part in candidates:
                z = _is_part(part)
                if z is None:
                    continue
                cand = (prev[0] + 1, prev[1] - z, (*prev[2], part))
                if best[i] is None or cand[:2] < best[i][:2]:  # type: ignore[index]
                    best[i] = cand
    result = best[n]
    if result is None or result[0] < 2:
        return ()
    return result[2]


@lru_cache(maxsize=500_000)
def _word_terms(word: str) -> tuple[str, ...]:
    stem = _stemmer().stemWord
    terms = [fold_letters(stem(word))]
    for part in split_compound(word):
        terms.append(fold_letters(stem(part)))
    return tuple(dict.fromkeys(terms))


def analyze(text: str) -> list[str]:
    """BM25 terms of ``text`` (see the module docstring); the same function serves queries."""
    text = unicodedata.normalize("NFC", text)
    matches = law_matches(text)
    terms = [t for t, _ in matches]
    if matches:
        # Blank the references out so their bare numbers do not become terms.
        chars = list(text)
        for _, (a, b) in matches:
            chars[a:b] = " " * (b - a)
        text = "".join(chars)
    stop = index_stopwords()
    for m in _WORD.finditer(text.lower()):
        token = m.group()
        pieces = token.split("-")
        for piece in pieces:
            if len(piece) < 2 or piece in stop or piece.isdigit() and len(piece) < 4:
                continue
            terms.extend(_word_terms(piece))
        if len(pieces) > 1:
            joined = "".join(pieces)  # "RSU-grupper" also as "rsugrupp"
            if len(joined) >= 4:
                terms.append(fold_letters(_stemmer().stemWord(joined)))
    return terms


# ---------------------------------------------------------------------------------------------
# index
# ---------------------------------------------------------------------------------------------
class KeywordIndex:
    """Chunks and their terms on disk, and a bm25s index over them built on demand.

    Rows (``self.rows``) are the chunks in a stable order; :meth:`scores` returns one BM25 score per
    row. The index is also the catalogue of chunk records the retriever turns into passages.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.docs_dir = self.directory / "docs"
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        self._docs: dict[str, tuple[list[Chunk], list[list[str]]]] = {}
        for path in sorted(self.docs_dir.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            chunks = [Chunk.model_validate(c) for c in data["chunks"]]
            terms = data["terms"] if data.get("analyzer") == ANALYZER_VERSION else [analyze(c.text) for c in chunks]
            self._docs[data["doc_id"]] = (chunks, _interned(terms))
        self._bm25 = None
        self._doc_terms: dict[str, frozenset[str]] = {}
        self._df: dict[str, int] = {}
        self._dirty = True
        self._lock = threading.RLock()
        self.rows: list[Chunk] = []
        self._row_of: dict[str, int] = {}
        self.version = 0
        """Incremented on every rebuild: callers cache per-row data against it."""

    # --- documents --------------------------------------------------------------------------
    def add(self, doc_id: str, chunks: list[Chunk], terms: list[list[str]] | None = None) -> None:
        """Store (or replace) a document's chunks."""
        terms = terms if terms is not None else [analyze(c.text) for c in chunks]
        payload = {
            "doc_id": doc_id,
            "analyzer": ANALYZER_VERSION,
            "chunks": [c.model_dump() for c in chunks],
            "terms": terms,
        }
        atomic_write_text(self._path(doc_id), json.dumps(payload, ensure_ascii=False), fsync=False)
        self._docs[doc_id] = (list(chunks), _interned(terms))
        self._dirty = True

    def remove(self, doc_id: str) -> bool:
        if self._docs.pop(doc_id, None) is None:
            return False
        self._path(doc_id).unlink(missing_ok=True)
        self._dirty = True
        return True

    def has(self, doc_id: str) -> bool:
        return doc_id in self._docs

    def chunks_for(self, doc_id: str) -> list[Chunk]:
        entry = self._docs.get(doc_id)
        return list(entry[0]) if entry else []

    def doc_ids(self) -> list[str]:
        return sorted(self._docs)

    def __len__(self) -> int:
        return sum(len(c) for c, _ in self._docs.values())

    def _path(self, doc_id: str) -> Path:
        safe = re.sub(r"[^\w.-]", "_", doc_id)
        return self.docs_dir / f"{safe}.json"

    # --- search -----------------------------------------------------------------------------
    def row(self, chunk_id: str) -> int | None:
        self._ensure_built()
        return self._row_of.get(chunk_id)

    def ensure_built(self) -> None:
        """Build the bm25s matrix if documents changed since the last build."""
        self._ensure_built()

    def _ensure_built(self) -> None:
        if not self._dirty:
            return
        with self._lock:  # the app searches from several threads; build once
            if self._dirty:
                self._build()

    def _build(self) -> None:
        import bm25s

        rows: list[Chunk] = []
        corpus: list[list[str]] = []
        for doc_id in sorted(self._docs):
            chunks, terms = self._docs[doc_id]
            rows.extend(chunks)
            corpus.extend(terms)
        bm25 = None
        if rows:
            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
        doc_terms = {doc_id: frozenset(t for ts in terms for t in ts) for doc_id, (_, terms) in self._docs.items()}
        df: dict[str, int] = {}
        for terms_of_doc in doc_terms.values():
            for t in terms_of_doc:
                df[t] = df.get(t, 0) + 1
        # Swap in the new state only once it is complete.
        self._bm25, self.rows, self._row_of = bm25, rows, {c.chunk_id: i for i, c in enumerate(rows)}
        self._doc_terms, self._df = doc_terms, df
        self._dirty = False
        self.version += 1

    def doc_terms(self, doc_id: str) -> frozenset[str]:
        """Every term of a document (from the stored chunk terms: nothing is analysed again)."""
        self._ensure_built()
        return self._doc_terms.get(doc_id, frozenset())

    def idf(self, term: str) -> float:
        """Inverse document frequency over the archive's documents; a term no document has gets the
        highest weight (what an inquiry asks about that the archive never mentions weighs most)."""
        self._ensure_built()
        n = len(self._doc_terms)
        return math.log((n + 1) / (self._df.get(term, 0) + 0.5))

    def coverage(self, query: str | list[str], doc_id: str) -> float:
        """IDF-weighted share of the query's terms (text, or terms from :func:`analyze`) that occur in
        the document (0..1)."""
        terms = set(analyze(query) if isinstance(query, str) else query)
        total = sum(self.idf(t) for t in terms)
        if total <= 0:
            return 0.0
        have = self.doc_terms(doc_id)
        return sum(self.idf(t) for t in terms if t in have) / total

    def scores(self, query: str | list[str]) -> np.ndarray:
        """BM25 score of every row for ``query`` (text, or terms from :func:`analyze`)."""
        self._ensure_built()
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        terms = analyze(query) if isinstance(query, str) else query
        vocab = self._bm25.vocab_dict
        known = [t for t in terms if t in vocab]
        if not known:
            return np.zeros(len(self.rows), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def top(self, query: str | list[str], n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best ``n`` rows with a positive score, optionally among rows where ``mask`` is true."""
        s = self.scores(query)
        if s.size == 0:
            return []
        if mask is not None:
            s = np.where(mask, s, 0.0)
        n = min(n, int(np.count_nonzero(s > 0)))
        if n <= 0:
            return []
        idx = np.argpartition(-s, n - 1)[:n]
        idx = idx[np.argsort(-s[idx], kind="stable")]
        return [(int(i), float(s[i])) for i in idx]


def _interned(terms: list[list[str]]) -> list[list[str]]:
    """One string object per distinct term: 100k chunks hold ~5M term references but few distinct
    terms, and without interning each reference is its own string (hundreds of MB)."""
    return [[sys.intern(t) for t in chunk_terms] for chunk_terms in terms]
