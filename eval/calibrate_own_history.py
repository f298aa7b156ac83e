"""Calibrate when an own earlier answer the inquiry does not refer to is used (``own_unreferenced_margin``).

    .venv/bin/python eval/calibrate_own_history.py [--out eval/results/own_history_tune.json]

Only tuning data is read: ``eval/benchmarks/archive_tune.jsonl`` (its own index of the seeds and
eval/archive/docs) and the seeds' ``eval/benchmarks/dev.jsonl``. The drafter uses the receiving
district's own earlier answers first. Drafting a new topic for a district that answered other topics,
its answer on another subject can pass the quoting level on a point it shares words with (Farsta's
budget answer on a question about interpreters' costs). For every answerable case and point, each own
document that passes the quoting level is recorded with its evidence minus the best other district's
evidence (``PrecedentDrafter.score_point``) and whether it is one of the case's relevant documents
(on topic). The margin is the middle of the gap between the lowest on-topic and the highest
off-topic difference; the script says so when there is no gap.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def collect(name: str) -> list[dict]:
    from assistant.draft.inquiry import analyse_inquiry
    from assistant.draft.precedent_drafter import PrecedentDrafter
    from assistant.evaluation.benchmark import load_benchmark
    from assistant.evaluation.runner import DocumentNames
    from assistant.evaluation.workspace import benchmark_assistant
    from assistant.settings import get_settings

    cases = load_benchmark(REPO / "eval" / "benchmarks" / name)
    assistant, _ = benchmark_assistant(get_settings(), cases[0].archive)
    names = DocumentNames(assistant.store)
    drafter = PrecedentDrafter(assistant)
    t = drafter.thresholds
    rows = []
    for case in cases:
        if case.expect_refusal:
            continue
        excluded, _ = names.resolve(case.exclude_documents)
        relevant, _ = names.resolve(case.relevant_documents)
        inquiry = analyse_inquiry(case.inquiry)
        if case.district:
            inquiry = inquiry.model_copy(update={"district": case.district})
        for point in drafter._points(inquiry):
            evidence = drafter.score_point(point, inquiry, excluded)
            best_other = max((s.evidence(t) for s in evidence.ranked if not s.own), default=0.0)
            for s in evidence.ranked:
                if s.own and s.answers(t):
                    rows.append(
                        {
                            "benchmark": name,
                            "case": case.id,
                            "on_topic": s.doc.doc_id in relevant,
                            "referenced": s.referenced,
                            "lead": round(s.evidence(t) - best_other, 3),
                        }
                    )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(REPO / "eval/results/own_history_tune.json"))
    args = ap.parse_args()
    rows = collect("archive_tune.jsonl") + collect("dev.jsonl")
    on = [r["lead"] for r in rows if r["on_topic"]]
    off = [r["lead"] for r in rows if not r["on_topic"]]
    out: dict = {
        "data": "archive_tune.jsonl and dev.jsonl only; held-out never read",
        "own_rows": len(rows),
        "on_topic": {"n": len(on), "min": min(on, default=None), "max": max(on, default=None)},
        "off_topic": {"n": len(off), "min": min(off, default=None), "max": max(off, default=None)},
        "off_topic_cases": sorted({r["case"] for r in rows if not r["on_topic"]}),
    }
    if on and off and max(off) < min(on):
        out["own_unreferenced_margin"] = round(-(min(on) + max(off)) / 2, 2)
    else:
        out["own_unreferenced_margin"] = None
        out["note"] = "no gap between on-topic and off-topic own answers: no margin separates them"
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
