"""Swedish-aware matching of a short statement against draft text: stemmed overlap + embeddings.

Every content metric (key-point coverage, must-not violations, question coverage, leave-one-out)
asks the same question — does this sentence say that? — so they share one :class:`Matcher`:

* ``lexical(claim, text)``: share of the claim's content stems found in the text (recall), with the
  project's Swedish analyzer (Snowball stems + compound parts, ``assistant.index.keyword.analyze``);
* ``semantic(claim, text)``: the embedding cosine rescaled so that unrelated Swedish sentences about
  the same theme (cosine ≈ 0.80-0.89 with multilingual-e5-small) score 0 and paraphrases (≥ 0.95) 1;
* ``score = (lexical + semantic) / 2``; a claim is matched at ``score ≥ MATCH_THRESHOLD``.

The lexical side is computed first and decides alone when it is conclusive, so most pairs never
need an embedding; embeddings go through ``assistant.draft.vectors`` (cached per text), since drafts
reuse the same precedent sentences.
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

_CITE_MARK = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")


def strip_citation_marks(text: str) -> str:
    """``"… samtycke [2]."`` → ``"… samtycke."``: markers are not words of the claim."""
    return _CITE_MARK.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, split the way the drafter splits precedent text."""
    from assistant.text import sentences

    clean = strip_citation_marks(text)
    return [re.sub(r"\s+", " ", s.text) for s in sentences(clean)]


@lru_cache(maxsize=20000)
def content_stems(text: str) -> frozenset[str]:
    """Stemmed content tokens of a text, via the project's Swedish analyzer (drops function words)."""
    from assistant.index.keyword import analyze

    return frozenset(t for t in analyze(strip_citation_marks(text)) if len(t) > 1)


def lexical_recall(claim: str, text: str) -> float:
    """Share of the claim's content stems that occur in ``text`` (0 when the claim has none)."""
    wanted = content_stems(claim)
    if not wanted:
        return 0.0
    return len(wanted & content_stems(text)) / len(wanted)


class Matcher:
    """Scores claims against sentences (embeddings through the drafter's shared vector cache)."""

    def __init__(self, embeddings, threshold: float = MATCH_THRESHOLD) -> None:
        self.embeddings = embeddings
        self.threshold = threshold

    def cosines(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """Cosine of the claim (embedded as a query) with each sentence (embedded as a passage)."""
        from assistant.draft import vectors

        if not sentences:
            return np.zeros(0, dtype=np.float32)
        return vectors.passages(self.embeddings, list(sentences)) @ vectors.query(self.embeddings, claim)

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
            for i, cos in zip(unsure, self.cosines(claim, [sentences[i] for i in unsure])):
                result[i] = (lex[i] + self.rescale(float(cos))) / 2
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
