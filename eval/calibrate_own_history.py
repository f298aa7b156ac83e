"""Calibrate when an own earlier answer the inquiry does not refer to is used (``own_unreferenced_margin``).

    .venv/bin/python eval/calibrate_own_history.py [--out eval/results/own_history_tune.json]

Only tuning data is read: ``eval/benchmarks/archive_tune.jsonl`` (its own index of the seeds and
eval/archive/docs) and the seeds' ``eval/benchmarks/dev.jsonl``. The drafter uses the receiving
district's own earlier answers first. Drafting a new topic for a district that answered other topics,
its answer on another subject can pass the quoting level on a point it shares words with (Farsta's
budget answer on a question about interpreters' costs). For every answerable case and point, each own
document that passes the quoting level is recorded with its evidence minus the best other district's
evidence (``PrecedentDrafter.score_point``) and whether it is one of the case's relevant documents
(on topic), with what decides whether it is used (``PointEvidence.own_history``: referenced, an answer
to this very inquiry, beside other districts' answers to it). The margin is the middle of the gap
between the lowest on-topic and the highest off-topic difference among the rows it still decides;
the script says so when there are none or no gap.
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
        found = drafter.gather(inquiry, excluded)
        for evidence in found.evidence:
            best_other = max((s.evidence(t) for s in evidence.ranked if not s.own), default=0.0)
            others_same = any(not r.own for r in evidence.ranked if r.doc.doc_id in evidence.same_inquiry)
            for s in evidence.ranked:
                if s.own and s.answers(t):
                    rows.append(
                        {
                            "benchmark": name,
                            "case": case.id,
                            "on_topic": s.doc.doc_id in relevant,
                            "referenced": s.referenced,
                            "follow_up": any(r.referenced for r in evidence.ranked),
                            "same_inquiry": s.doc.doc_id in evidence.same_inquiry,
                            "others_answer_same_inquiry": others_same,
                            "lead": round(s.evidence(t) - best_other, 3),
                            "used": evidence.own_history(s, t, best_other),
                        }
                    )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(REPO / "eval/results/own_history_tune.json"))
    args = ap.parse_args()
    rows = collect("archive_tune.jsonl") + collect("dev.jsonl")
    def count(rows: list[dict]) -> dict:
        return {"n": len(rows), "used": sum(r["used"] for r in rows)}

    on = [r for r in rows if r["on_topic"]]
    off = [r for r in rows if not r["on_topic"]]
    # Where the margin still decides: no referenced own answer, no other district's answer to this inquiry.
    open_on = [r["lead"] for r in on if not r["follow_up"] and not r["same_inquiry"] and not r["others_answer_same_inquiry"]]
    open_off = [r["lead"] for r in off if not r["follow_up"] and not r["same_inquiry"] and not r["others_answer_same_inquiry"]]
    out: dict = {
        "data": "archive_tune.jsonl and dev.jsonl only; held-out never read",
        "own_rows": len(rows),
        "on_topic": count(on) | {"referenced": sum(r["referenced"] for r in on), "same_inquiry": sum(r["same_inquiry"] for r in on)},
        "off_topic": count(off) | {"in_follow_ups": sum(r["follow_up"] for r in off), "beside_same_inquiry_answers": sum(r["others_answer_same_inquiry"] for r in off)},
        "off_topic_used_cases": sorted({r["case"] for r in off if r["used"]}),
        "on_topic_unused_cases": sorted({r["case"] for r in on if not r["used"]}),
        "margin_decides": {"on_topic_leads": sorted(open_on), "off_topic_leads": sorted(open_off)},
    }
    if open_on and open_off and max(open_off) < min(open_on):
        out["own_unreferenced_margin"] = round(-(min(open_on) + max(open_off)) / 2, 2)
    else:
        out["own_unreferenced_margin"] = None
        out["note"] = "too few rows where the margin decides, or no gap: the margin is not re-set from these"
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
