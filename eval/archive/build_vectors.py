"""Build the vector pack of the development archive: eval/archive/vectors.sqlite.

    .venv/bin/python eval/archive/build_vectors.py

Indexes the archive the archive benchmarks name (the bundled knowledge and eval/archive/docs) in a
temporary data directory, the way ``assistant eval run`` does, with a fresh writable embedding cache;
every passage vector the index asked for (chunks and inquiry texts) ends in that cache, which then
replaces the pack. The old pack is read while building, so only changed text is embedded again; the
new file holds exactly what this archive needs now. Run it after adding archive documents or
changing chunking: a stale pack is not wrong, only slow (the archive gate fails if it is incomplete).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.benchmark import BENCHMARK_DIR, load_benchmark  # noqa: E402
from assistant.evaluation.workspace import ARCHIVE_VECTORS, benchmark_assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def build(out: Path = ARCHIVE_VECTORS) -> dict[str, int]:
    archive = load_benchmark(BENCHMARK_DIR / "archive_heldout.jsonl")[0].archive
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "vectors.sqlite"
        assistant, report = benchmark_assistant(Settings(data_dir=Path(tmp) / "data", embedding_cache=fresh), archive)
        if not report.ok:
            raise SystemExit(f"ingest failed: {report.failed}")
        assistant.index.features.inquiry_groups()  # the inquiry texts' vectors too
        embeddings = assistant.embeddings
        with sqlite3.connect(fresh) as con:
            con.execute("VACUUM")
        shutil.move(fresh, out)
    return {"computed": embeddings.computed, "reused": embeddings.reused}


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    start = time.perf_counter()
    counts = build()
    print(f"{ARCHIVE_VECTORS}: {counts['computed']} passages embedded, {counts['reused']} reused, {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
