"""Swedish-aware matching of a short statement against draft text: stemmed overlap + embeddings.

Every content metric (key-point coverage, must-not violations, question coverage, leave-one-out)
asks the same question — does this sentence say that? — so they share one :class:`Matcher`:

* ``lexical(claim, text)``: share of the claim's content stems found in the text (recall), with the
  project's Swedish analyzer (Snowball stems + compound parts, ``assistant.index.keyword.analyze``);
* ``semantic(claim, text)``: the embedding cosine rescaled so that unrelated Swedish sentences about
  the same theme (cosine ≈ 0.80-0.89 with multilingual-e5-small) score 0 and paraphrases (≥ 0.95) 1;
* ``score = (lexical + semantic) / 2``; a claim is matched at ``score ≥ MATCH_THRESHOLD``.

The lexical side is computed first and decides alone when it is conclusive, so most pairs never
need an embedding; embeddings are cached per text because drafts reuse the same precedent sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

MATCH_THRESHOLD = 0.5
COS_FLOOR = 0.85
COS_CEIL = 0.95
LEXICAL_SURE = 0.75  # matched on words alone
LEXICAL_HOPELESS = 0.15  # below this, skip the embedding: civil-service paraphrases share more words than that

# Function words carry no claim; a short general list (not tied to any document).
_STOP = frozenset(
    """och att det som en ett i på av för till med om är har inte de den detta dessa eller men så
    vid från under efter även samt också kan ska skall får finns blir var varit vara sig sin sina
    sitt deras dess han hon vi ni man alla all allt vad hur när där här mot utan genom enligt både
    dock redan bara mer mest många flera olika denna eget egna egen""".split()
)

_CITE_MARK = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(\[–-])|\n\s*\n|\n(?=\s*[-•–]\s)")


def strip_citation_marks(text: str) -> str:
    """``"… samtycke [2]."`` → ``"… samtycke."``: markers are not words of the claim."""
    return _CITE_MARK.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (Swedish punctuation, bullets and blank lines end a sentence)."""
    parts = _SENTENCE_END.split(strip_citation_marks(text))
    return [p.strip() for p in parts if p and len(p.strip()) > 2]


@lru_cache(maxsize=20000)
def content_stems(text: str) -> frozenset[str]:
    """Stemmed content tokens of a text, via the project's Swedish analyzer."""
    from assistant.index.keyword import analyze

    return frozenset(t for t in analyze(strip_citation_marks(text)) if len(t) > 1 and t not in _STOP)


def lexical_recall(claim: str, text: str) -> float:
    """Share of the claim's content stems that occur in ``text`` (0 when the claim has none)."""
    wanted = content_stems(claim)
    if not wanted:
        return 0.0
    return len(wanted & content_stems(text)) / len(wanted)


class Matcher:
    """Scores claims against sentences; holds the embedding cache for one evaluation run."""

    def __init__(self, embeddings, threshold: float = MATCH_THRESHOLD) -> None:
        self.embeddings = embeddings
        self.threshold = threshold
        self._query_cache: dict[str, np.ndarray] = {}
        self._passage_cache: dict[str, np.ndarray] = {}

    # --- embeddings -----------------------------------------------------------------------------
    def query_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        for t in texts:
            if t not in self._query_cache:
                self._query_cache[t] = np.asarray(self.embeddings.embed_query(t), dtype=np.float32)
        return [self._query_cache[t] for t in texts]

    def passage_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._passage_cache))
        if missing:
            for t, v in zip(missing, self.embeddings.embed_documents(missing)):
                self._passage_cache[t] = np.asarray(v, dtype=np.float32)
        return [self._passage_cache[t] for t in texts]

    @staticmethod
    def rescale(cos: float) -> float:
        return float(min(1.0, max(0.0, (cos - COS_FLOOR) / (COS_CEIL - COS_FLOOR))))

    # --- scoring --------------------------------------------------------------------------------
    def scores(self, claim: str, sentences: Sequence[str]) -> list[float]:
        """Match score of ``claim`` against each sentence (embeddings only where words don't decide)."""
        lex = [lexical_recall(claim, s) for s in sentences]
        result = [x if x >= LEXICAL_SURE else x / 2 for x in lex]
        unsure = [i for i, x in enumerate(lex) if LEXICAL_HOPELESS <= x < LEXICAL_SURE]
        if unsure:
            (q,) = self.query_vectors([claim])
            vecs = self.passage_vectors([sentences[i] for i in unsure])
            for i, v in zip(unsure, vecs):
                cos = float(np.dot(q, v) / (np.linalg.norm(q) * np.linalg.norm(v) + 1e-9))
                result[i] = (lex[i] + self.rescale(cos)) / 2
        return result

    def best(self, claim: str, sentences: Sequence[str]) -> tuple[float, int | None]:
        """Best score and index of the sentence that matches ``claim`` best (None if no sentences)."""
        if not sentences:
            return 0.0, None
        s = self.scores(claim, sentences)
        i = int(np.argmax(s))
        return s[i], i

    def matches(self, claim: str, sentences: Sequence[str]) -> tuple[bool, float, int | None]:
        score, i = self.best(claim, sentences)
        return score >= self.threshold, score, i
