"""The point decision of issue 10 (relevance.PointEvidence.answerable): the level a point's best
evidence must reach depends on whether the whole archive was retrieved for it, and both levels are
the ones eval/calibrate_relevance.py measured on the tuning half and the seeds' dev benchmark only."""

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


def test_levels_are_ordered():
    # a larger archive brings unrelated documents closer: its level is the higher one
    assert T.whole_archive_evidence_min < T.archive_evidence_min


def test_whole_archive_when_every_answer_document_is_a_candidate():
    ev = _point(1.3, 1.2, 1.1)
    assert ev.whole_archive(3) and ev.whole_archive(2)
    assert not ev.whole_archive(4) and not ev.whole_archive(None)


def test_level_follows_the_archive():
    between = (T.whole_archive_evidence_min + T.archive_evidence_min) / 2
    ev = _point(between, 1.0)
    assert ev.answerable(T, available=2)  # the whole (small) archive was retrieved
    assert not ev.answerable(T, available=80)  # a large archive: unrelated documents come this close
    assert not ev.answerable(T)  # unknown size: the larger archive's level
    assert _point(T.archive_evidence_min + 0.01, 1.0).answerable(T, available=80)


def test_referenced_own_answer_answers_regardless_of_level():
    assert _point(1.0, 0.99, referenced=True).answerable(T, available=80)


def test_inquiry_needs_a_majority_of_points():
    yes, no = _point(T.archive_evidence_min + 0.1), _point(T.archive_evidence_min - 0.1)
    assert inquiry_answered([yes, no], T, 80)
    assert not inquiry_answered([yes, no, no], T, 80)
    assert not inquiry_answered([], T, 80)


def test_settings_are_the_calibrated_values():
    result = json.loads((REPO_ROOT / "eval" / "results" / "relevance_tune.json").read_text(encoding="utf-8"))
    assert result["tuning"] == ["archive_tune.jsonl", "dev.jsonl"]
    assert result["chosen"]["archive_evidence_min"]["value"] == T.archive_evidence_min
    assert result["chosen"]["whole_archive_evidence_min"]["value"] == T.whole_archive_evidence_min
