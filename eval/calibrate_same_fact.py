"""Calibrate when two districts' sentences state the same city-wide fact (``same_fact_overlap``).

    .venv/bin/python eval/calibrate_same_fact.py [--out eval/results/same_fact_tune.json]

Only the tuning half of the development archive is read (the topics under ``tune`` in
``eval/archive/split.json``, their answers in ``eval/archive/docs/`` and gold in ``eval/archive/gold/``);
the held-out topics are never opened. The drafter's Bakgrund states what several districts' answers say
alike about the whole city (``PrecedentDrafter._common_ground``); a sentence already said in the answers
is not said again. "Already said" was "shares a city anchor (law, city body, city document, city
figure) with a used sentence", which is too coarse: one answer names stadsledningskontoret about a park
investment and another about budget instructions, and the second fact was dropped. Now it is "shares
an anchor *and* the two sentences say the same": a measure of the pair ≥ threshold.

Pairs: every two sentences of two different districts' answers to the same topic (sections the common
ground reads: summary, answer, background) that share a city anchor, or each name a city document
(``adapt.share_anchor``: "stadens modell" / "stadens koncept"). Gold: *same* when both contain a
marker of the same gold city-wide fact, *different* otherwise; at least one side must hold a marker
(two unlabelled sentences are not used). The other side may be unlabelled because that is how the
drafter asks the test: a fact-bearing candidate against any anchored sentence another district wrote
(support) or the answers already state (already said). Until 2026-12-01 both sides had to be
labelled, which left out the many same-topic sentences that share an anchor and words but state no
gold fact, and set the bar too low (0.175) for a topic where every sentence names the same body. Two measures are fitted: the cosine, and the
lexical alternative (the smaller share of each sentence's content stems the other holds), which needs
no embedding. For each, the threshold is the one that decides the most pairs right, the middle of its
run of equally good values; reported with precision, recall and leave-one-topic-out CV accuracy. The
lexical measure is chosen unless the cosine's CV accuracy is higher by more than
``COSINE_MUST_WIN_BY`` (a rule fixed before the figures were seen).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GRIDS = {
    "cosine": [round(0.85 + 0.0025 * i, 4) for i in range(41)],  # 0.85 … 0.95
    "lexical": [round(0.025 * i, 4) for i in range(41)],  # 0 … 1
}
# Fixed before the lexical figures were seen: the cosine needs every sentence embedded on the first
# draft after a restart (15-25 sentences a second here), the lexical overlap nothing; so lexical is
# chosen unless the cosine's leave-one-topic-out accuracy is higher by more than this.
COSINE_MUST_WIN_BY = 0.05


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def collect() -> list[dict]:
    from assistant.draft import adapt, vectors
    from assistant.draft.precedent_drafter import COMMON_GROUND_ROLES, standard_sections
    from assistant.evaluation.workspace import benchmark_assistant
    from assistant.settings import get_settings
    from assistant.text import mutual_overlap, sentences, squash, stems

    split = json.loads((REPO / "eval/archive/split.json").read_text(encoding="utf-8"))
    # The stored (parsed, repaired) documents of the tuning benchmark's own index: the drafter's text.
    archive = json.loads((REPO / "eval/benchmarks/archive_tune.jsonl").read_text(encoding="utf-8").splitlines()[-1])["archive"]
    assistant, _ = benchmark_assistant(get_settings(), archive)
    by_name = {Path(d.source).name: d for d in assistant.store.all()}
    embeddings = assistant.embeddings
    rows = []
    for topic in split["topics"]["tune"]:
        gold = json.loads((REPO / f"eval/archive/gold/{topic}.json").read_text(encoding="utf-8"))
        facts = [{file: _norm(m) for file, m in f["markers"].items()} for f in gold["city_wide_facts"]]
        sents = []
        for answer in gold["answers"]:
            doc = by_name[Path(answer["file"]).name]
            text = doc.text
            for sec, _ in standard_sections(doc):
                if sec.role not in COMMON_GROUND_ROLES:
                    continue
                for sp in sentences(text, sec.body_start, sec.end):
                    t = squash(sp.text)
                    sents.append(
                        {
                            "district": answer["district"],
                            "text": t,
                            "anchors": adapt.city_anchors(t) | adapt.figure_anchors(t),
                            "facts": {i for i, ms in enumerate(facts) if answer["file"] in ms and ms[answer["file"]] in _norm(t)},
                        }
                    )
        vecs = vectors.passages(embeddings, [s["text"] for s in sents])
        for i, j in combinations(range(len(sents)), 2):
            a, b = sents[i], sents[j]
            if a["district"] == b["district"] or not adapt.share_anchor(a["anchors"], b["anchors"]) or not (a["facts"] or b["facts"]):
                continue
            rows.append(
                {
                    "topic": topic,
                    "cosine": float(vecs[i] @ vecs[j]),
                    "lexical": mutual_overlap(stems(a["text"]), stems(b["text"])),
                    "same": bool(a["facts"] & b["facts"]),
                }
            )
    return rows


def fit(rows: list[dict], feature: str) -> tuple[float, int]:
    """The grid value deciding the most pairs right (the middle of a run of equally good ones)."""
    grid = GRIDS[feature]
    step = grid[1] - grid[0]
    scores = [(t, sum((r[feature] >= t) == r["same"] for r in rows)) for t in grid]
    best = max(s for _, s in scores)
    run = [t for t, s in scores if s == best]
    # the longest contiguous run of best values, its middle
    runs, cur = [], [run[0]]
    for t in run[1:]:
        if round(t - cur[-1], 4) <= round(step, 4):
            cur.append(t)
        else:
            runs.append(cur)
            cur = [t]
    runs.append(cur)
    longest = max(runs, key=len)
    return longest[len(longest) // 2], best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(REPO / "eval/results/same_fact_tune.json"))
    args = ap.parse_args()
    rows = collect()
    same = [r for r in rows if r["same"]]
    out: dict = {
        "data": "tuning half of eval/archive (split.json → tune); held-out never read",
        "pairs": len(rows),
        "same_pairs": len(same),
        "rule": f"lexical unless the cosine's leave-one-topic-out accuracy is higher by more than {COSINE_MUST_WIN_BY}",
    }
    for feature in GRIDS:
        threshold, right = fit(rows, feature)
        tp = sum(r[feature] >= threshold for r in same)
        fp = sum(r[feature] >= threshold for r in rows if not r["same"])
        cv_right = 0
        for topic in sorted({r["topic"] for r in rows}):
            t, _ = fit([r for r in rows if r["topic"] != topic], feature)
            cv_right += sum((r[feature] >= t) == r["same"] for r in rows if r["topic"] == topic)
        out[feature] = {
            "threshold": threshold,
            "accuracy": round(right / len(rows), 3),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / len(same), 3) if same else None,
            "leave_one_topic_out_accuracy": round(cv_right / len(rows), 3),
        }
    cosine_wins = out["cosine"]["leave_one_topic_out_accuracy"] - out["lexical"]["leave_one_topic_out_accuracy"] > COSINE_MUST_WIN_BY
    out["chosen"] = "cosine" if cosine_wins else "lexical"
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
