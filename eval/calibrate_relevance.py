"""Calibrate when the archive answers a point (``evidence_min`` in ``settings.DraftingSettings``).

    .venv/bin/python eval/calibrate_relevance.py [--out eval/results/relevance_tune.json]

Only tuning data is read: ``eval/benchmarks/archive_tune.jsonl`` (on its own archive: the seeds plus
eval/archive/docs) and the seeds' ``eval/benchmarks/dev.jsonl`` (on the seeds alone). The held-out half
is never opened here. For every case and point (question or att-sats) it records the drafter's own
evidence per retrieved answer (``PrecedentDrafter.score_point``), then searches ``evidence_min`` for
the rule in ``Scored.answers`` (``coverage_weight`` is fixed beforehand at 0.5):

    a point is answered  ⇔  some answer has score + 0.5 · coverage ≥ evidence_min,
                            or it is an own earlier answer the inquiry refers to (score ≥ referenced_min)
    an inquiry is refused ⇔ fewer than answered_share_min (a majority, fixed beforehand) of its points are

Objective, in order: inquiries decided right (refused iff out of scope); points answered in answerable
inquiries minus points that would be answered in out-of-scope ones; then the middle of the interval of
equally good values (the widest margin both ways).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.draft.inquiry import analyse_inquiry  # noqa: E402
from assistant.draft.precedent_drafter import PrecedentDrafter  # noqa: E402
from assistant.evaluation.benchmark import load_benchmark  # noqa: E402
from assistant.evaluation.runner import DocumentNames  # noqa: E402
from assistant.evaluation.workspace import benchmark_assistant  # noqa: E402
from assistant.settings import DraftingSettings, get_settings  # noqa: E402

TUNING = ("archive_tune.jsonl", "dev.jsonl")


def collect(name: str) -> list[dict]:
    cases = load_benchmark(REPO / "eval" / "benchmarks" / name)
    assistant, report = benchmark_assistant(get_settings(), cases[0].archive)
    assert report.ok, report.failed
    names = DocumentNames(assistant.store)
    drafter = PrecedentDrafter(assistant)
    rows = []
    for case in cases:
        excluded, _ = names.resolve(case.exclude_documents)
        inquiry = analyse_inquiry(case.inquiry, case.district)
        points = []
        for point in drafter._points(inquiry):
            ev = drafter.score_point(point, inquiry, excluded)
            points.append([{"score": round(s.score, 4), "coverage": round(s.coverage, 4), "own": s.own, "referenced": s.referenced} for s in ev.ranked])
        rows.append({"benchmark": name, "id": case.id, "type": case.case_type, "refuse": case.expect_refusal, "points": points})
        best = [max((d["score"] + 0.5 * d["coverage"] for d in p), default=0) for p in points]
        print(f"{case.id:50s} {'REFUSE' if case.expect_refusal else '      '} " + " ".join(f"{b:.3f}" for b in best))
    return rows


def answered(point: list[dict], t: DraftingSettings) -> bool:
    return any((d["referenced"] and d["score"] >= t.referenced_min) or d["score"] + t.coverage_weight * d["coverage"] >= t.evidence_min for d in point)


def refused(ok: list[bool], t: DraftingSettings) -> bool:
    return not ok or sum(ok) / len(ok) < t.answered_share_min


def score(rows: list[dict], t: DraftingSettings) -> tuple[int, int]:
    """(inquiries decided right, points answered in answerable inquiries − points answered in out-of-scope ones)."""
    right = points = 0
    for r in rows:
        ok = [answered(p, t) for p in r["points"]]
        right += refused(ok, t) == r["refuse"]
        points += -sum(ok) if r["refuse"] else sum(ok)
    return right, points


def search(rows: list[dict]) -> dict:
    base = DraftingSettings()
    grid = [round(1.0 + 0.001 * i, 3) for i in range(801)]  # 1.000 … 1.800
    results = [(score(rows, base.model_copy(update={"evidence_min": g})), g) for g in grid]
    top = max(r for r, _ in results)
    ties = [g for r, g in results if r == top]
    chosen = base.model_copy(update={"evidence_min": round((ties[0] + ties[-1]) / 2, 3)})
    return {
        "inquiries_right": top[0],
        "inquiries": len(rows),
        "point_balance": top[1],
        "evidence_min_interval": [ties[0], ties[-1]],
        "chosen": chosen.model_dump(),
        "wrong_with_chosen": [r["id"] for r in rows if refused([answered(p, chosen) for p in r["points"]], chosen) != r["refuse"]],
        "unanswered_points_in_scope": [r["id"] for r in rows if not r["refuse"] for p in r["points"] if not answered(p, chosen)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results" / "relevance_tune.json")
    args = parser.parse_args()
    rows = [r for name in TUNING for r in collect(name)]
    result = search(rows)
    print(json.dumps({k: v for k, v in result.items()}, ensure_ascii=False, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"tuning": list(TUNING), **result, "rows": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
