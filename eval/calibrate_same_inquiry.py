"""Calibrate how the drafter tells an answer to *this* inquiry from an answer to another one
(``same_inquiry_title_ratio``; :func:`assistant.draft.gather.names_inquiry`).

    .venv/bin/python eval/calibrate_same_inquiry.py [--half tune] [--out eval/results/same_inquiry_tune.json]

Only the tuning half of eval/archive is read (``split.json``; ``--half heldout`` reports, it never sets
anything). Every topic's inquiry is paired with every answer of the half: the topic's own answers
answer it, the others do not; every follow-up inquiry too, which no answer in the archive answers
(the same authors on the same subject, a year or two later). Per pair the script records which
signal names the inquiry — all its authors, its title (rapidfuzz partial_ratio against the answer),
its restated questions and att-satser — and reports, per signal, how many of the topic's own answers it finds and
how many other answers it wrongly takes for one. Positions on att-satser are taken only from answers
to the same inquiry, so a false pair puts another motion's stance in the draft: the title ratio is set
above every other answer's score.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ARCHIVE = REPO / "eval" / "archive"


def main() -> None:
    from rapidfuzz import fuzz

    from assistant.draft.gather import names_inquiry, restates
    from assistant.draft.inquiry import analyse_inquiry
    from assistant.ingest.pipeline import process_file
    from assistant.settings import get_settings
    from assistant.text import squash

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=["tune", "heldout"], default="tune")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    settings = get_settings()
    t = settings.drafting
    topics = json.loads((ARCHIVE / "split.json").read_text(encoding="utf-8"))["topics"][args.half]
    answers = {
        p.stem: (topic, process_file(p, settings))
        for topic in topics
        for p in sorted((ARCHIVE / "docs" / topic).glob("*.txt"))
        if not p.name.endswith("__inquiry.txt")
    }
    rows = []
    inquiries = [(topic, ARCHIVE / "docs" / topic / f"{topic}__inquiry.txt") for topic in topics]
    # A follow-up is a new inquiry, often from the same authors on the same subject: no answer in the
    # archive answers it (the addressed district's earlier answer answered the first one).
    inquiries += [(f"{topic} (uppföljning)", ARCHIVE / "inquiries" / f"{topic}__followup.txt") for topic in topics]
    for topic, path in inquiries:
        inquiry = analyse_inquiry(path.read_text(encoding="utf-8"))
        for name, (of, doc) in answers.items():
            body = squash(doc.text)
            authors = [a for a in inquiry.authors if len(a.split()) >= 2]
            rows.append(
                {
                    "inquiry": topic,
                    "answer": name,
                    "same": of == topic,
                    "authors": bool(authors) and all(a in body for a in authors),
                    "title_ratio": round(fuzz.partial_ratio(squash(inquiry.title or "").lower(), body.lower()), 1) if inquiry.title else 0.0,
                    "restates": restates(doc, inquiry, t.same_inquiry_ratio),
                    "named": names_inquiry(doc, inquiry, t),
                }
            )
    same = [r for r in rows if r["same"]]
    other = [r for r in rows if not r["same"]]
    summary = {
        "half": args.half,
        "pairs": {"same_inquiry": len(same), "other_inquiry": len(other)},
        "title_ratio": {
            "same_min": min(r["title_ratio"] for r in same),
            "other_max": max(r["title_ratio"] for r in other),
            "setting": t.same_inquiry_title_ratio,
        },
        "found_by": {
            signal: {"same": sum(bool(r[signal]) for r in same), "other": sum(bool(r[signal]) for r in other)}
            for signal in ("authors", "restates")
        },
        "title_at_setting": {
            "same": sum(r["title_ratio"] >= t.same_inquiry_title_ratio for r in same),
            "other": sum(r["title_ratio"] >= t.same_inquiry_title_ratio for r in other),
        },
        "named_inquiry": {"same": sum(r["named"] for r in same), "other": sum(r["named"] for r in other)},
        "missed": [r["answer"] for r in same if not r["named"]],
        "false": [(r["inquiry"], r["answer"]) for r in other if r["named"]],
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
