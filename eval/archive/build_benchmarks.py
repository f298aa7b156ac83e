"""Build the archive benchmarks (tuning and held-out halves) from the gold labels of eval/archive.

    .venv/bin/python eval/archive/build_benchmarks.py          # writes eval/benchmarks/archive_*.jsonl
    .venv/bin/python eval/archive/build_benchmarks.py --check  # exit 1 if the files are out of date

The split is by topic and fixed in ``eval/archive/split.json``: a topic (and an out-of-scope inquiry)
is assigned once, by the sha256 of its slug (the lower half of the order goes to tuning), before any
result is seen, and never moves; a new topic is assigned by the same rule and appended. Thresholds
and rules are set on ``archive_tune.jsonl`` only; ``archive_heldout.jsonl`` is for reporting.

Per topic the benchmark has two cases: the topic's inquiry drafted for a district that did not
answer it (and is no successor of one that did), and the follow-up inquiry drafted for the district
it is addressed to (whose own earlier answer, or its former district's, is in the archive). Each
out-of-scope inquiry is one case that must be refused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent.parent
sys.path.insert(0, str(REPO))

from assistant import registry  # noqa: E402

GOLD = ROOT / "gold"
SPLIT = ROOT / "split.json"
OUT = REPO / "eval" / "benchmarks"
ARCHIVE = ["knowledge/documents", "eval/archive/docs"]
SYNTHETIC_LINE = "SYNTETISKT DOKUMENT"


def _hash(slug: str) -> str:
    return hashlib.sha256(slug.encode("utf-8")).hexdigest()


def load_gold() -> tuple[dict[str, dict], dict[str, dict]]:
    """(topic slug → gold, out-of-scope slug → gold)."""
    topics = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
    oos = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((GOLD / "oos").glob("*.json"))}
    return topics, oos


def split(topics: list[str], oos: list[str]) -> dict[str, dict[str, list[str]]]:
    """The fixed split, extended (never changed) for topics not in it yet."""
    current = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    out = {}
    for kind, names in (("topics", topics), ("out_of_scope", oos)):
        have = current.get(kind, {"tune": [], "heldout": []})
        known = set(have["tune"]) | set(have["heldout"])
        new = sorted((n for n in names if n not in known), key=_hash)
        half = (len(new) + 1) // 2 if not known else None
        for i, n in enumerate(new):
            side = ("tune" if i < half else "heldout") if half is not None else ("tune" if len(have["tune"]) <= len(have["heldout"]) else "heldout")
            have[side].append(n)
        out[kind] = {"tune": list(have["tune"]), "heldout": list(have["heldout"])}
    return out


def inquiry_text(path: Path) -> str:
    """The inquiry as a district receives it: the file without the synthetic-archive marker line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith(SYNTHETIC_LINE):
        lines = lines[1:]
    return "\n".join(lines).strip() + "\n"


def _lineage(district: str) -> set[str]:
    """A district, its successors and its predecessors: one district's own history."""
    current = registry.current_district(district) or district
    return {d for d in registry.districts() + [x.name for x in registry.all_districts()] if registry.current_district(d) == current} | {district, current}


def new_district(slug: str, gold: dict) -> str:
    """A current district that neither answered nor is the successor of one that did (stable choice)."""
    taken = set().union(*(_lineage(a["district"]) for a in gold["answers"]))
    candidates = sorted(d for d in registry.districts() if d not in taken)
    return candidates[int(_hash(slug), 16) % len(candidates)]


def _name(path: str) -> str:
    return Path(path).name


def topic_cases(slug: str, gold: dict) -> list[dict]:
    answers = gold["answers"]
    inquiry = gold["inquiry"]
    kind = inquiry["kind"]
    relevant = [_name(a["file"]) for a in answers]
    facts = [{"fact": f["fact"], "markers": list(f["markers"].values())} for f in gold["city_wide_facts"]]
    positions = []
    for i, att in enumerate(inquiry.get("att_satser") or [], start=1):
        precedents = {a["district"]: p["position"] for a in answers for p in a.get("positions") or [] if p["att_sats"] == i}
        if precedents:
            positions.append({"att_sats": att, "precedents": precedents})

    def locals_except(district: str) -> list[dict]:
        own = _lineage(district)
        return [
            {"district": a["district"], "document": _name(a["file"]), "marker": m["marker"]}
            for a in answers
            if a["district"] not in own
            for m in a["local_facts"]
        ]

    target = new_district(slug, gold)
    cases = [
        {
            "id": f"{slug}--ny-stadsdel",
            "topic": slug,
            "case_type": "new_district",
            "kind": kind,
            "district": target,
            "inquiry": inquiry_text(ROOT / inquiry["file"]),
            "relevant_documents": relevant,
            "city_wide_facts": facts,
            "local_markers": locals_except(target),
            "positions": positions,
            "expect_refusal": False,
            "archive": ARCHIVE,
        }
    ]
    follow = gold.get("follow_up")
    if follow:
        district = follow["district"]
        cases.append(
            {
                "id": f"{slug}--uppfoljning",
                "topic": slug,
                "case_type": "follow_up",
                "kind": follow.get("kind", "skrivelse"),
                "district": district,
                "inquiry": inquiry_text(ROOT / follow["file"]),
                "relevant_documents": [_name(follow["earlier_answer"]), *[r for r in relevant if r != _name(follow["earlier_answer"])]],
                "own_documents": [_name(follow["earlier_answer"])],
                "local_markers": locals_except(district),
                "expect_refusal": False,
                "archive": ARCHIVE,
            }
        )
    return cases


def oos_case(slug: str, gold: dict) -> dict:
    districts = registry.districts()
    return {
        "id": f"oos--{slug}",
        "topic": None,
        "case_type": "out_of_scope",
        "kind": gold.get("kind", "skrivelse"),
        "district": districts[int(_hash(slug), 16) % len(districts)],
        "inquiry": inquiry_text(ROOT / gold["file"]),
        "expect_refusal": True,
        "close_to": gold.get("close_to"),
        "archive": ARCHIVE,
    }


def build() -> dict[str, str]:
    """File name → JSONL text of both benchmarks (and the split file)."""
    topics, oos = load_gold()
    s = split(sorted(topics), sorted(oos))
    out = {"split.json": json.dumps(s, ensure_ascii=False, indent=1) + "\n"}
    for half in ("tune", "heldout"):
        cases = [c for slug in s["topics"][half] if slug in topics for c in topic_cases(slug, topics[slug])]
        cases += [oos_case(slug, oos[slug]) for slug in s["out_of_scope"][half] if slug in oos]
        header = (
            f"# Archive benchmark, {'TUNING half: thresholds and rules are set here' if half == 'tune' else 'HELD-OUT half: report only, never tune on it'}.\n"
            "# SYNTHETIC: built by eval/archive/build_benchmarks.py from eval/archive/gold (hand-written documents, not real records).\n"
        )
        out[f"archive_{half}.jsonl"] = header + "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)
    return out


def _target(name: str) -> Path:
    return SPLIT if name == "split.json" else OUT / name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are up to date")
    args = parser.parse_args()
    stale = []
    for name, text in build().items():
        path = _target(name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)} (run eval/archive/build_benchmarks.py)")
        return 1
    print(("wrote: " + ", ".join(stale)) if stale else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
