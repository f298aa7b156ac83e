"""Benchmark of the default drafter on the real seeds.

    .venv/bin/python eval/bench_draft.py                # coverage of 000's key points + latency
    .venv/bin/python eval/bench_draft.py --support      # support threshold on the labelled pairs
    .venv/bin/python eval/bench_draft.py --thresholds   # precedent gate: relevant vs unrelated questions

Coverage: seed 002 drafted for Hässelby-Vällingby with its real answer (000) hidden; each key point
of 000 below counts as covered when some factual paragraph of the draft supports it (the verifier's
own support score ≥ its threshold). Latency: end-to-end ``Assistant.draft`` on a 2-page inquiry
(002 followed by the clean restatement of it in 001's "Ärendet"), after one cold draft that loads the
model and opens the indexes (reported separately): the app keeps one Assistant for its lifetime.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.text import sentences  # noqa: E402
from assistant.draft.verify import support_score  # noqa: E402
from assistant.settings import Settings  # noqa: E402

SEEDS = REPO / "knowledge" / "documents"
HV = "Hässelby-Vällingby"
ID_000 = "000_53c14e9e9230afdf"
ID_001 = "001_d439524d20ce7a6b"
LABELS = REPO / "eval" / "benchmarks" / "draft_support.jsonl"

# The key points of 000 (Hässelby-Vällingby's real answer), as short factual statements.
KEY_POINTS_000 = [
    "Socialtjänsten arbetar med att tidigt identifiera riskfaktorer hos barn och unga.",
    "Att en elev är placerad i RSU- eller CSU-grupp innebär inte att eleven är aktuell för utredning eller insatser inom socialtjänsten.",
    "Socialtjänsten behöver samtycke för att lämna ut information till skolan i enskilda ärenden.",
    "Under en pågående utredning får socialtjänsten inhämta information utan samtycke enligt socialtjänstlagen.",
    "Socialtjänsten konsulterar skolan och inhämtar information i pågående utredningar.",
    "Samverkan med skolan gäller alla barn och unga, inte bara elever i RSU- eller CSU-grupper.",
    "I varje ärende görs en individuell bedömning av lämpliga insatser.",
    "Förvaltningen har ett förebyggande skolsocialt arbete i samverkan med skolorna.",
    "Det finns ingen särskild samverkansstruktur kring RSU-grupper specifikt.",
    "Samverkan kring eleverna sker inom ordinarie verksamhet och initieras vid behov.",
    "Socialtjänsten samarbetar med utbildningsförvaltningen för att utveckla det skolsociala samarbetet.",
]

RELEVANT_QUESTIONS = "002 questions, as Hässelby-Vällingby, 000 hidden"
UNRELATED_QUESTIONS = [
    "Hur säkerställer stadsdelsnämnden att cykelbanorna snöröjs före klockan sju på vardagar?",
    "Vilka åtgärder vidtar nämnden för att minska matsvinnet i förskolornas kök?",
    "Hur många parkeringsplatser för rörelsehindrade finns vid stadsdelens idrottsplatser?",
    "När förlängs bibliotekets öppettider på helger?",
    "Hur arbetar förvaltningen med att minska ensamheten bland äldre på vård- och omsorgsboenden?",
    "Hur ska parkernas lekplatser rustas upp?",
    "Vilka kostnader har nämnden för inhyrd personal inom hemtjänsten?",
    "Hur ser nämnden till att gatubelysningen lagas snabbare i villaområdena?",
]


def seeded_assistant(data_dir: Path):
    from assistant.services import Assistant

    assistant = Assistant(Settings(data_dir=data_dir))
    report = assistant.ingest([SEEDS])
    if not report.ok:
        raise SystemExit(f"ingest failed: {report.failed}")
    return assistant


def two_page_inquiry(assistant) -> str:
    """Seed 002 followed by the clean restatement of it in 001's "Ärendet" (about 2 pages)."""
    doc = assistant.store.get(ID_001)
    section = next(s for s in doc.sections if s.canonical == "Ärendet")
    return (SEEDS / "002_e2fac3d16bc15df6.txt").read_text(encoding="utf-8") + "\n\n" + doc.text[section.body_start : section.end]


def coverage_and_latency(data_dir: Path, runs: int) -> dict:
    assistant = seeded_assistant(data_dir)
    text = (SEEDS / "002_e2fac3d16bc15df6.txt").read_text(encoding="utf-8")
    t = time.perf_counter()
    draft = assistant.draft(text, district=HV, exclude_doc_ids=[ID_000])
    cold = time.perf_counter() - t  # loads the embedding model, opens the indexes, groups same-inquiry documents
    claims = [
        s.text
        for sec in draft.sections
        for p in sec.paragraphs
        if p.role in ("content", "local")
        for s in sentences(p.text)
    ]
    covered = []
    for point in KEY_POINTS_000:
        best = max((support_score(point, c, assistant.embeddings) for c in claims), default=0.0)
        covered.append((point, round(best, 3), best >= assistant.settings.drafting.support_threshold))
    long_text = two_page_inquiry(assistant)
    times = []
    for _ in range(runs):
        # A fresh Assistant on the same data each run would measure model loading; the app keeps one.
        t = time.perf_counter()
        assistant.draft(long_text, district=HV, exclude_doc_ids=[ID_000])
        times.append(time.perf_counter() - t)
    return {
        "cited_docs": sorted({c.doc_id for c in draft.citations}),
        "no_precedent": draft.no_precedent,
        "key_points": covered,
        "coverage": sum(c for *_, c in covered) / len(covered),
        "inquiry_chars": len(long_text),
        "latency_cold_first_draft_s": round(cold, 3),
        "latency_p50_s": round(statistics.median(times), 3),
        "latency_max_s": round(max(times), 3),
        "runs": runs,
    }


def support_threshold(data_dir: Path) -> dict:
    from assistant.index.embeddings import make_embeddings

    settings = Settings(data_dir=data_dir)
    threshold = settings.drafting.support_threshold
    embeddings = make_embeddings(settings)
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = [(support_score(r["claim"], r["evidence"], embeddings), r["supported"]) for r in rows]

    def accuracy(t: float) -> float:
        return sum((s >= t) == label for s, label in scored) / len(scored)

    candidates = sorted({round(s, 3) for s, _ in scored})
    best = max(candidates, key=lambda t: (accuracy(t), -abs(t - threshold)))
    return {
        "pairs": len(scored),
        "supported": sum(label for _, label in scored),
        "accuracy_at_threshold": round(accuracy(threshold), 3),
        "threshold": threshold,
        "best_threshold": best,
        "best_accuracy": round(accuracy(best), 3),
        "min_supported": round(min(s for s, label in scored if label), 3),
        "max_unsupported": round(max(s for s, label in scored if not label), 3),
    }


def precedent_gate(data_dir: Path) -> dict:
    from assistant.draft.inquiry import analyse_inquiry
    from assistant.draft.precedent_drafter import PrecedentDrafter
    from assistant.models import Inquiry

    assistant = seeded_assistant(data_dir)
    drafter = PrecedentDrafter(assistant)
    inquiry = analyse_inquiry((SEEDS / "002_e2fac3d16bc15df6.txt").read_text(encoding="utf-8"), HV)
    relevant = drafter.gather(inquiry, [ID_000]).point_scores
    unrelated = [
        drafter.gather(Inquiry(text=q, questions=[q], district=HV), [ID_000]).point_scores[0] for q in UNRELATED_QUESTIONS
    ]
    return {
        "threshold": assistant.settings.drafting.evidence_min,
        "relevant": [round(x, 3) for x in relevant],
        "unrelated": [round(x, 3) for x in unrelated],
        "min_relevant": round(min(relevant), 3),
        "max_unrelated": round(max(unrelated), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--support", action="store_true", help="Measure the support threshold on the labelled pairs.")
    parser.add_argument("--thresholds", action="store_true", help="Measure the precedent gate.")
    parser.add_argument("--runs", type=int, default=7, help="Latency runs on the 2-page inquiry (after one cold draft).")
    parser.add_argument("--data-dir", type=Path, help="Data directory to ingest the seeds into (default: a temp dir).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        if args.support:
            result = support_threshold(data_dir)
        elif args.thresholds:
            result = precedent_gate(data_dir)
        else:
            result = coverage_and_latency(data_dir, args.runs)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
