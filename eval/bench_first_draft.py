"""Time to the first draft after a restart, and of later drafts, as the archive grows.

    .venv/bin/python eval/bench_first_draft.py [--sizes 5,archive,1000] [--workdir DIR] [--out eval/results/bench_first_draft.json]

For each archive size it builds a data directory, then starts a fresh Python process (a restart) that
opens the assistant and drafts: ``open_s`` is the import and opening of the index, models and
Chroma with the warm-up the app does before it reports ready (``Assistant.warm_up``), ``first_draft_s`` the first draft after that, ``later_p50_s``/``later_max_s`` six more
drafts of different inquiries. Archive-wide features (inquiry groups, shared names) are computed at
ingest and their cost is reported as ``features_at_ingest_s``.

Sizes: 5 = the seeds; ``archive`` = the seeds and the whole development archive (eval/archive/docs,
ingested for real; the row reports how many documents that is); a number larger than that = the same plus synthetic documents from ``eval/synthetic.py`` (marked SYNTETISKT) whose
chunks are indexed with real vectors of the archive's chunks reused in a cycle (embedding 10,000 chunks
for real takes over two hours here; latency does not depend on which vectors they are).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.benchmark import load_benchmark  # noqa: E402
from assistant.evaluation.workspace import benchmark_assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

INQUIRIES = REPO / "eval" / "benchmarks" / "archive_tune.jsonl"

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from assistant.services import Assistant
from assistant.settings import Settings
a = Assistant(Settings(data_dir=sys.argv[1]))
a.warm_up()  # what the app does before it reports ready (assistant/ui/startup.py)
t1 = time.perf_counter()
cases = json.loads(sys.argv[2])
times = []
for text, district in cases:
    s = time.perf_counter()
    a.draft(text, district=district)
    times.append(time.perf_counter() - s)
print(json.dumps({"open_s": t1 - t0, "drafts_s": times}))
"""


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def build(size: int | None, workdir: Path) -> tuple[Path, float]:
    """A data directory with ``size`` documents (None: the seeds and the archive); returns it and the feature computation time."""
    archive = ["knowledge/documents"] if size is not None and size <= 5 else ["knowledge/documents", "eval/archive/docs"]
    settings = Settings(data_dir=workdir / f"n{size or 'archive'}", eval_data_dir=workdir / f"n{size or 'archive'}" / "b")
    assistant, report = benchmark_assistant(settings, archive)
    assert report.ok, report.failed
    if size is not None and size > len(assistant.store.ids()):
        from eval.synthetic import generate

        from assistant.index.chunking import chunk_document

        index, store = assistant.index, assistant.store
        have = set(store.ids())
        real = np.asarray([v for d in sorted(have) for v in index.vector.vectors_for(d).values()], dtype=np.float32)
        docs, _ = generate(size - len(have), seed=7)
        row = 0
        rng = np.random.default_rng(7)
        for doc in docs:
            if doc.doc_id in have:
                continue
            chunks = chunk_document(doc, settings.ingest.chunk_chars, settings.ingest.chunk_overlap_chars)
            vecs = real[(row + np.arange(len(chunks))) % len(real)] + rng.normal(0, 0.01, (len(chunks), real.shape[1])).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            row += len(chunks)
            store.put(doc)
            index.index_chunks(doc.doc_id, chunks, vecs)
            index.features.add(doc)
    started = time.perf_counter()
    assistant.index.archive_features(assistant.store).inquiry_groups()  # what ingest does at its end
    return assistant.settings.data_dir, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,archive,1000")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_first_draft"))
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results" / "bench_first_draft.json")
    args = parser.parse_args()
    cases = [(c.inquiry, c.district) for c in load_benchmark(INQUIRIES) if c.case_type != "out_of_scope"][:7]
    results = {"machine": f"{os.cpu_count()} cores", "runs": []}
    for size in [None if s == "archive" else int(s) for s in args.sizes.split(",")]:
        data_dir, features_s = build(size, args.workdir)
        load = load_average()
        run = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), json.dumps(cases)], capture_output=True, text=True, cwd=REPO)
        if run.returncode != 0:
            print(run.stderr[-3000:])
            return 1
        child = json.loads(run.stdout.strip().splitlines()[-1])
        later = sorted(child["drafts_s"][1:])
        row = {
            "documents": len(list((data_dir / "documents").glob("*.json"))) - 1,
            "features_at_ingest_s": round(features_s, 2),
            "open_s": round(child["open_s"], 2),
            "first_draft_s": round(child["drafts_s"][0], 2),
            "later_p50_s": round(later[len(later) // 2], 2),
            "later_max_s": round(later[-1], 2),
            "load_average_1min": load,
        }
        results["runs"].append(row)
        print(json.dumps(row))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
