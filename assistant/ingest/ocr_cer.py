"""How well OCR repair did: character error rate over the passages two texts share.

Used by ``eval/bench_ocr.py`` and the tests, never by ingest itself. The alignment is on
damage-insensitive word skeletons, so a repaired skrivelse can be scored against a clean paraphrase
of it (another document's restatement). Split out of :mod:`assistant.ingest.ocr`, which re-exports
``aligned_cer`` and ``CerResult``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from assistant.ingest.ocr_candidates import _TOKEN_RE


@dataclass(frozen=True)
class CerResult:
    """Character error rate over the regions where a hypothesis and a reference say the same words."""

    errors: int
    reference_chars: int
    regions: int
    words: int

    @property
    def cer(self) -> float:
        return self.errors / self.reference_chars if self.reference_chars else 0.0


_SKELETON_DROP = re.compile(r"[aeiouyåäöéèêëáàâãíìóòôõøüd&0-9]")


def _word_skeleton(word: str) -> str:
    """A word with vowels, ``d``, digits and ``&`` removed: OCR damage to å/ä/ö leaves it intact."""
    return _SKELETON_DROP.sub("", word.casefold())


def aligned_cer(hypothesis: str, reference: str, min_words: int = 3) -> CerResult:
    """CER of ``hypothesis`` against ``reference`` over the passages both share.

    The two texts need not be the same document (a skrivelse and a paraphrase of it): the word
    sequences are aligned by edit distance on damage-insensitive skeletons (``_word_skeleton``),
    and only runs of at least ``min_words`` aligned words are kept. Within them the characters are
    compared case-folded, words joined by single spaces, so line breaks and sentence-initial
    capitals of the paraphrase do not count as errors.
    """
    hyp_words = _TOKEN_RE.findall(hypothesis)
    ref_words = _TOKEN_RE.findall(reference)
    hyp_keys = [_word_skeleton(w) for w in hyp_words]
    ref_keys = [_word_skeleton(w) for w in ref_words]
    errors = chars = regions = words = 0
    for op in Levenshtein.opcodes(hyp_keys, ref_keys):
        if op.tag != "equal" or op.src_end - op.src_start < min_words:
            continue
        hyp = " ".join(hyp_words[op.src_start : op.src_end]).casefold()
        ref = " ".join(ref_words[op.dest_start : op.dest_end]).casefold()
        errors += Levenshtein.distance(hyp, ref)
        chars += len(ref)
        regions += 1
        words += op.src_end - op.src_start
    return CerResult(errors=errors, reference_chars=chars, regions=regions, words=words)
