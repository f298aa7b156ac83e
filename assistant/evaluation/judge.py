"""The citation-support judge and its agreement with human labels.

Does a cited passage support the sentence that cites it? The judge is the drafter's own support
measure, :func:`assistant.draft.verify.support_score` (``0.5·cosine + 0.5·lexical`` of stemmed
content words, lexical alone when it already decides) at its threshold ``support_threshold`` (the drafting settings), so
there is one definition of "supported" in the project. Because a judge shared with the drafter could
drift together with it, its agreement with people is checked on a separate hand-labelled set,
``eval/support_labels.jsonl``, by :func:`judge_agreement` (``assistant eval judge``, and a test).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.evaluation.similarity import strip_citation_marks
from assistant.settings import REPO_ROOT
from assistant.text import strip_confirm_lead

SUPPORT_LABELS = REPO_ROOT / "eval" / "support_labels.jsonl"


def claim_text(sentence: str) -> str:
    """The claim a draft sentence makes, without citation markers or the reviewer prefix."""
    return strip_confirm_lead(strip_citation_marks(sentence)).strip().strip("”\"").strip()


class SupportJudge:
    def __init__(self, embeddings, threshold: float | None = None) -> None:
        from assistant.settings import get_settings

        self.embeddings = embeddings
        self.threshold = get_settings().drafting.support_threshold if threshold is None else threshold

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        from assistant.draft.verify import support_score

        claim, joined = claim_text(claim), "\n".join(evidence)
        if not claim or not joined.strip():
            return 0.0
        return support_score(claim, joined, self.embeddings)

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
    """Accuracy and Cohen's kappa of the support judge against the human labels, and the best threshold."""
    scores = [judge.score(x.claim, [x.evidence]) for x in labels]
    return score_agreement(scores, [x.supported for x in labels], judge.threshold)


def matcher_agreement(matcher, labels: Sequence[SupportLabel]) -> dict[str, float]:
    """The same check for the key-point :class:`~assistant.evaluation.similarity.Matcher` (best evidence sentence)."""
    from assistant.evaluation.similarity import split_sentences

    scores = [matcher.best(x.claim, split_sentences(x.evidence))[0] for x in labels]
    return score_agreement(scores, [x.supported for x in labels], matcher.threshold)


def score_agreement(scores: Sequence[float], gold: Sequence[bool], threshold: float) -> dict[str, float]:
    result = _agreement([s >= threshold for s in scores], list(gold))
    best = max(sorted(set(scores)), key=lambda t: (_agreement([s >= t for s in scores], list(gold))["accuracy"], -abs(t - threshold)))
    result.update(threshold=threshold, best_threshold=best, best_accuracy=_agreement([s >= best for s in scores], list(gold))["accuracy"])
    return result


def _agreement(predicted: list[bool], gold: list[bool]) -> dict[str, float]:
    n = len(gold)
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
    }
