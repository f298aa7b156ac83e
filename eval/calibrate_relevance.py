"""Calibrate when the archive answers a point (``archive_criterion`` ≥ ``archive_evidence_min``, ``whole_archive_*``).

    .venv/bin/python eval/calibrate_relevance.py [--out eval/results/relevance_tune.json] [--rows FILE]

Only tuning data is read: ``eval/benchmarks/archive_tune.jsonl`` (on its own archive: the seeds plus
eval/archive/docs) and the seeds' ``eval/benchmarks/dev.jsonl`` (on the seeds alone). The held-out half
is never opened here. For every case and point (question or att-sats) it records the drafter's own
evidence per retrieved answer (``PrecedentDrafter.score_point``) and whether every answer document of
the archive is among the candidates (``PointEvidence.whole_archive``); ``--rows`` reuses the rows of an
earlier output instead. Decision criteria of one form are compared:

    a point is answered   ⇔  feature(point) ≥ threshold,
                             or an own earlier answer the inquiry refers to has score ≥ referenced_min
    an inquiry is refused ⇔  fewer than answered_share_min (a majority, fixed beforehand) of its points are

so an inquiry is answered iff its k-th best point feature (k = ⌈share · points⌉) reaches the threshold.
Features: ``best`` (the evidence of the best document), ``lead`` (best minus the background: the mean
evidence of the lower half of the point's candidates) and ``best + λ·lead``. For each: the threshold is
the middle of the widest interval of values that decide the most inquiries right; its decision margin
(distance of the nearest inquiry to it, also in units of the pooled within-class standard deviation of
the feature); and leave-one-topic-out cross-validation (each archive topic, each out-of-scope inquiry and
each seed precedent's dev cases is one fold; the threshold is refitted without the fold and the fold's
inquiries decided with it). Each is measured three ways: pooled (one threshold for both archives, the
rule before), and separately for the points of an archive larger than one retrieval (the tuning half)
and of an archive retrieved whole (the seeds). Chosen per regime: fewest CV errors, then largest margin.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TUNING = ("archive_tune.jsonl", "dev.jsonl")
LAMBDAS = (0.5, 1.0, 2.0, 3.0)


def collect(name: str) -> list[dict]:
    from assistant.draft.inquiry import analyse_inquiry
    from assistant.draft.precedent_drafter import INQUIRY_KINDS, PrecedentDrafter
    from assistant.evaluation.benchmark import load_benchmark
    from assistant.evaluation.runner import DocumentNames
    from assistant.evaluation.workspace import benchmark_assistant
    from assistant.settings import get_settings

    cases = load_benchmark(REPO / "eval" / "benchmarks" / name)
    assistant, report = benchmark_assistant(get_settings(), cases[0].archive)
    assert report.ok, report.failed
    names = DocumentNames(assistant.store)
    drafter = PrecedentDrafter(assistant)
    records = assistant.index.archive_features(assistant.store).records()
    rows = []
    for case in cases:
        excluded, _ = names.resolve(case.exclude_documents)
        relevant, _ = names.resolve(case.relevant_documents)
        inquiry = analyse_inquiry(case.inquiry, case.district)
        available = sum(r["kind"] not in INQUIRY_KINDS and d not in excluded for d, r in records.items())
        points = []
        for point in drafter._points(inquiry):
            ev = drafter.score_point(point, inquiry, excluded)
            points.append(
                [{"doc": s.doc.doc_id, "score": round(s.score, 4), "coverage": round(s.coverage, 4), "own": s.own, "referenced": s.referenced} for s in ev.ranked]
            )
        rows.append(
            {"benchmark": name, "id": case.id, "topic": case.topic, "type": case.case_type, "refuse": case.expect_refusal,
             "relevant": sorted(relevant), "available": available, "points": points}
        )
        print(f"{case.id:50s} {'REFUSE' if case.expect_refusal else ''}", flush=True)
    return rows


def whole_archive(row: dict) -> bool:
    """Every answer document of the archive among every point's candidates (PointEvidence.whole_archive)."""
    return all(len({d["doc"] for d in p}) >= row["available"] for p in row["points"])


# --- point features (the same arithmetic as assistant.draft.relevance.PointEvidence) ---------------
def evidences(point: list[dict], cw: float) -> list[float]:
    return sorted((d["score"] + cw * d["coverage"] for d in point if d["score"] > 0.0), reverse=True)


def best(point: list[dict], cw: float) -> float:
    found = evidences(point, cw)
    return found[0] if found else 0.0


def lead(point: list[dict], cw: float) -> float:
    found = evidences(point, cw)
    if len(found) < 2:
        return 0.0
    low = found[len(found) // 2 :]
    return found[0] - sum(low) / len(low)


def features(cw: float) -> dict:
    out = {"best": lambda p: best(p, cw), "lead": lambda p: lead(p, cw)}
    for lam in LAMBDAS:
        out[f"best+{lam}·lead"] = lambda p, lam=lam: best(p, cw) + lam * lead(p, cw)
    return out


def inquiry_value(row: dict, feature, share: float, referenced_min: float) -> float:
    vals = sorted((math.inf if any(d["referenced"] and d["score"] >= referenced_min for d in p) else feature(p) for p in row["points"]), reverse=True)
    if not vals:
        return -math.inf
    return vals[max(1, math.ceil(share * len(vals))) - 1]


def fit(values: list[tuple[float, bool]]) -> tuple[float, int, list[float]]:
    """Threshold = middle of the widest interval deciding the most inquiries right: (threshold, right, interval)."""
    finite = sorted({v for v, _ in values if math.isfinite(v)})
    cuts = [finite[0] - 0.05, *((a + b) / 2 for a, b in zip(finite, finite[1:])), finite[-1] + 0.05]
    right = [sum((v >= c) != refuse for v, refuse in values) for c in cuts]
    top = max(right)
    best_iv: list[float] = []
    i = 0
    while i < len(cuts):
        if right[i] != top:
            i += 1
            continue
        j = i
        while j + 1 < len(cuts) and right[j + 1] == top:
            j += 1
        lo = finite[i - 1] if i > 0 else finite[0] - 0.1
        hi = finite[j] if j < len(finite) else finite[-1] + 0.1
        if not best_iv or hi - lo > best_iv[1] - best_iv[0]:
            best_iv = [lo, hi]
        i = j + 1
    return (best_iv[0] + best_iv[1]) / 2, top, best_iv


def fold_of(row: dict) -> str:
    if row["topic"]:
        return row["topic"]
    if row["refuse"] or not row["relevant"]:
        return row["id"]
    return "seed:" + row["relevant"][0]


def evaluate(rows: list[dict], name: str, feature, share: float, referenced_min: float) -> dict:
    values = [(inquiry_value(r, feature, share, referenced_min), r["refuse"]) for r in rows]
    threshold, right, interval = fit(values)
    inside = [v for v, refuse in values if not refuse and math.isfinite(v)]
    outside = [v for v, refuse in values if refuse]
    pooled = math.sqrt((statistics.pvariance(inside) * len(inside) + statistics.pvariance(outside) * len(outside)) / (len(inside) + len(outside)))
    margin = min(abs(v - threshold) for v, _ in values if math.isfinite(v))
    cv_wrong = []
    for fold in sorted({fold_of(r) for r in rows}):
        train = [(v, refuse) for (v, refuse), r in zip(values, rows) if fold_of(r) != fold]
        t, _, _ = fit(train)
        cv_wrong += [r["id"] for (v, refuse), r in zip(values, rows) if fold_of(r) == fold and (v >= t) == refuse]
    return {
        "criterion": name,
        "threshold": round(threshold, 3),
        "interval": [round(x, 3) for x in interval],
        "interval_width": round(interval[1] - interval[0], 3),
        "inquiries_right": right,
        "inquiries": len(rows),
        "wrong": [r["id"] for (v, refuse), r in zip(values, rows) if (v >= threshold) == refuse],
        "margin": round(margin, 3),
        "pooled_sd": round(pooled, 3),
        "margin_sd": round(margin / pooled, 2),
        "loto_cv_errors": len(cv_wrong),
        "loto_cv_wrong": cv_wrong,
        "folds": len({fold_of(r) for r in rows}),
    }


def table_for(rows: list[dict], base) -> list[dict]:
    table = [evaluate(rows, name, f, base.answered_share_min, base.referenced_min) for name, f in features(base.coverage_weight).items()]
    table.sort(key=lambda e: (e["loto_cv_errors"], -e["margin_sd"]))
    return table


def main() -> int:
    from assistant.settings import DraftingSettings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results" / "relevance_tune.json")
    parser.add_argument("--rows", type=Path, help="reuse the rows of an earlier output (no retrieval)")
    args = parser.parse_args()
    if args.rows:
        rows = json.loads(args.rows.read_text(encoding="utf-8"))["rows"]
    else:
        rows = [r for name in TUNING for r in collect(name)]
    assert all(whole_archive(r) or not any(len({d["doc"] for d in p}) >= r["available"] for p in r["points"]) for r in rows), "mixed regimes in one inquiry"
    base = DraftingSettings()
    regimes = {
        "pooled (one threshold, the rule before)": rows,
        "archive (larger than one retrieval: tuning half)": [r for r in rows if not whole_archive(r)],
        "whole archive retrieved (seeds: dev)": [r for r in rows if whole_archive(r)],
    }
    tables = {}
    for label, subset in regimes.items():
        tables[label] = table_for(subset, base)
        print(label)
        for e in tables[label]:
            print(f"  {e['criterion']:14s} threshold {e['threshold']:.3f} interval {e['interval']} right {e['inquiries_right']}/{e['inquiries']} "
                  f"margin {e['margin']:.3f} = {e['margin_sd']:.2f} sd  folds {e['folds']}  LOTO errors {e['loto_cv_errors']} {e['loto_cv_wrong']}")
    archive, whole = (tables[k][0] for k in list(regimes)[1:])
    print(f"chosen: archive {archive['criterion']} ≥ {archive['threshold']}; whole archive {whole['criterion']} ≥ {whole['threshold']}")
    result = {
        "tuning": list(TUNING),
        "rule": "point answered ⇔ feature archive_criterion ≥ archive_evidence_min (whole_archive_criterion ≥ whole_archive_evidence_min "
        "when every answer document of the archive is among its candidates), or a referenced own answer with score ≥ referenced_min; "
        "inquiry answered ⇔ ≥ answered_share_min of its points",
        "chosen": {"archive_evidence_min": {"criterion": archive["criterion"], "value": archive["threshold"]},
                   "whole_archive_evidence_min": {"criterion": whole["criterion"], "value": whole["threshold"]}},
        "cv": "leave-one-topic-out: each archive topic, each out-of-scope inquiry and each seed precedent's dev cases is one fold",
        "margin_unit": "margin = distance of the nearest inquiry's k-th point feature to the threshold; margin_sd = margin / pooled within-class sd",
        "tables": tables,
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
