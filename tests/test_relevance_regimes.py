"""The point decision of issue 10 (relevance.PointEvidence.answerable): which feature decides (the best
document's evidence, or its lead over the background) and its level depend on whether the whole archive
was retrieved for the point, and both are what eval/calibrate_relevance.py chose on the tuning half and
the seeds' dev benchmark only."""

from __future__ import annotations

import json
from types import SimpleNamespace

from assistant.draft.relevance import PointEvidence, Scored, inquiry_answered
from assistant.settings import REPO_ROOT, DraftingSettings

T = DraftingSettings()


def _point(*evidence: float, referenced: bool = False) -> PointEvidence:
    # coverage 0, so evidence == score; one document per value
    ranked = [
        Scored(precedent=None, doc=SimpleNamespace(doc_id=f"d{i}"), score=e, coverage=0.0, own=False)  # type: ignore[arg-type]
        for i, e in enumerate(evidence)
    ]
    if referenced:
        ranked[0].referenced = True
    return PointEvidence(point="p", ranked=ranked)


def test_lead_is_the_best_over_the_mean_of_the_lower_half():
    ev = _point(1.6, 1.3, 1.2, 1.0)
    assert abs(ev.lead(T) - (1.6 - (1.2 + 1.0) / 2)) < 1e-9
    assert _point(1.6).lead(T) == 0.0  # nothing to stand out from
    assert abs(ev.feature("best+0.5·lead", T) - (1.6 + 0.5 * ev.lead(T))) < 1e-9


def test_whole_archive_when_every_answer_document_is_a_candidate():
    ev = _point(1.3, 1.2, 1.1)
    assert ev.whole_archive(3) and ev.whole_archive(2)
    assert not ev.whole_archive(4) and not ev.whole_archive(None)


def test_criterion_follows_the_archive():
    # A near miss in a large archive: a strong best document, but its neighbours come as close.
    near_miss = _point(1.55, 1.5, 1.48, 1.47, 1.46, 1.45)
    # What answers stands out from the background.
    answered = _point(1.55, 1.2, 1.1, 1.05, 1.0, 0.95)
    assert "lead" in T.archive_criterion and T.whole_archive_criterion == "best"
    assert answered.answerable(T, available=80)
    assert not near_miss.answerable(T, available=80)
    assert not near_miss.answerable(T)  # unknown size: the larger archive's rule
    # Retrieved whole (the seeds), the best document's evidence decides, at its own level.
    assert near_miss.answerable(T, available=6)
    assert not _point(T.whole_archive_evidence_min - 0.01, 0.5).answerable(T, available=2)


def test_referenced_own_answer_answers_regardless_of_level():
    assert _point(1.0, 0.99, referenced=True).answerable(T, available=80)


def test_inquiry_needs_a_majority_of_points():
    yes, no = _point(1.55, 1.0, 0.9, 0.8), _point(1.55, 1.5, 1.48, 1.47)
    assert inquiry_answered([yes, no], T, 80)
    assert not inquiry_answered([yes, no, no], T, 80)
    assert not inquiry_answered([], T, 80)


def test_settings_are_the_calibrated_values():
    result = json.loads((REPO_ROOT / "eval" / "results" / "relevance_tune.json").read_text(encoding="utf-8"))
    assert result["tuning"] == ["archive_tune.jsonl", "dev.jsonl"]
    assert result["chosen"]["archive_evidence_min"] == {"criterion": T.archive_criterion, "value": T.archive_evidence_min}
    assert result["chosen"]["whole_archive_evidence_min"] == {"criterion": T.whole_archive_criterion, "value": T.whole_archive_evidence_min}
