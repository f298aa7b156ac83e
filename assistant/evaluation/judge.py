"""The citation-support judge and its agreement with human labels.

Does a cited passage support the sentence that cites it? The judge answers with a score in [0, 1]:

    support(claim, evidence) = ( lexical + semantic ) / 2
    lexical  = share of the claim's content stems (Swedish analyzer) found anywhere in the evidence
    semantic = max over evidence sentences of the rescaled embedding cosine (see ``similarity``)

and ``supported = support ≥ SUPPORT_THRESHOLD``. It is the same measure the drafter's verifier uses
(embedding cosine + stemmed lexical overlap), computed here independently of the drafter so that a
change in the verifier cannot make its own drafts look better. Its agreement with people is checked
on ``eval/support_labels.jsonl`` (hand-labelled claim/passage pairs) by :func:`judge_agreement`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.evaluation.similarity import Matcher, lexical_recall, split_sentences, strip_citation_marks
from assistant.settings import REPO_ROOT

SUPPORT_THRESHOLD = 0.5
SUPPORT_LABELS = REPO_ROOT / "eval" / "support_labels.jsonl"

# The drafter's wrapper around a local fact of another district ("Att bekräfta för Farsta: …").
_CONFIRM_PREFIX = re.compile(r"^\s*Att bekräfta för [^:\n]{1,80}:\s*", re.IGNORECASE)


def claim_text(sentence: str) -> str:
    """The claim a draft sentence makes, without citation markers or the reviewer prefix."""
    return _CONFIRM_PREFIX.sub("", strip_citation_marks(sentence)).strip()


class SupportJudge:
    def __init__(self, matcher: Matcher, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.matcher = matcher
        self.threshold = threshold

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        claim = claim_text(claim)
        joined = "\n".join(evidence)
        if not claim or not joined.strip():
            return 0.0
        lexical = lexical_recall(claim, joined)
        if lexical >= 0.9:  # the claim is (an adapted copy of) the evidence
            return lexical
        sentences = [s for e in evidence for s in split_sentences(e)] or [joined]
        semantic = max(self.matcher.rescale(c) for c in self._cosines(claim, sentences))
        return (lexical + semantic) / 2

    def _cosines(self, claim: str, sentences: Sequence[str]) -> list[float]:
        import numpy as np

        (q,) = self.matcher.query_vectors([claim])
        vecs = self.matcher.passage_vectors(list(sentences))
        return [float(np.dot(q, v) / (np.linalg.norm(q) * np.linalg.norm(v) + 1e-9)) for v in vecs]

    def supports(self, claim: str, evidence: Sequence[str]) -> bool:
        return self.score(claim, evidence) >= self.threshold


class SupportLabel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    claim: str
    evidence: str
    supported: bool


def load_support_labels(path: Path = SUPPORT_LABELS) -> list[SupportLabel]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(SupportLabel.model_validate(json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path}: rad {number}: {exc}") from None
    return rows


def judge_agreement(judge: SupportJudge, labels: Sequence[SupportLabel]) -> dict[str, float]:
    """Accuracy and Cohen's kappa of the judge against the human labels."""
    predicted = [judge.supports(x.claim, [x.evidence]) for x in labels]
    gold = [x.supported for x in labels]
    n = len(labels)
    agree = sum(p == g for p, g in zip(predicted, gold)) / n
    p_yes = (sum(predicted) / n) * (sum(gold) / n)
    p_no = (1 - sum(predicted) / n) * (1 - sum(gold) / n)
    expected = p_yes + p_no
    kappa = (agree - expected) / (1 - expected) if expected < 1 else 1.0
    tp = sum(p and g for p, g in zip(predicted, gold))
    return {
        "pairs": float(n),
        "accuracy": agree,
        "kappa": kappa,
        "precision": tp / max(1, sum(predicted)),
        "recall": tp / max(1, sum(gold)),
        "threshold": judge.threshold,
    }
