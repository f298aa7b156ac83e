"""A benchmark's own archive: its own data directory, indexed from the folders the benchmark names.

Results must not depend on what users uploaded, and a benchmark must never change the live
knowledge base, so every benchmark runs on an assistant whose data directory (and Chroma collection,
when a server is used) belongs to that benchmark's archive alone. Ingest is idempotent by content
hash, so the second run of the same archive only checks hashes; files removed from the archive
folder are removed from its index.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from assistant.models import IngestReport
from assistant.services import Assistant, ProgressCallback
from assistant.settings import REPO_ROOT, Settings


def archive_key(archive: Sequence[str]) -> str:
    """A readable, stable folder name for an archive (its folders, plus a short hash of the list)."""
    readable = "-".join(re.sub(r"[^a-z0-9]+", "-", Path(a).as_posix().lower()).strip("-") for a in archive)[:60]
    digest = hashlib.sha256("\n".join(archive).encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


ARCHIVE_VECTORS = REPO_ROOT / "eval" / "archive" / "vectors.sqlite"
"""The vector pack of the development archive and the bundled knowledge (eval/archive/build_vectors.py)."""


def benchmark_settings(settings: Settings, archive: Sequence[str]) -> Settings:
    """``settings`` with the data directory (and Chroma collection) of this archive's own index.

    The development archive's vector pack is added when present: it only saves embedding time (a
    text it lacks is embedded; another model's keys never match), eight minutes for that archive.
    """
    key = archive_key(archive)
    root = settings.eval_data_dir or settings.data_dir / "benchmarks"
    packs = list(settings.vector_packs)
    if ARCHIVE_VECTORS.is_file() and ARCHIVE_VECTORS not in packs:
        packs.append(ARCHIVE_VECTORS)
    return settings.model_copy(
        update={
            "data_dir": root / key,
            "chroma_collection": f"{settings.chroma_collection}-bench-{key}"[:500],
            "app": settings.app.model_copy(update={"users_file": None}),
            "vector_packs": packs,
        }
    )


def benchmark_assistant(
    settings: Settings,
    archive: Sequence[str],
    progress: ProgressCallback | None = None,
    *,
    inside_repo_only: bool = False,
) -> tuple[Assistant, IngestReport]:
    """An assistant over exactly ``archive`` (folders relative to the repository, or absolute).

    ``inside_repo_only`` (the app, where a benchmark may be uploaded): an archive folder outside the
    repository is refused, so an uploaded file cannot make the server read arbitrary folders.
    """
    folders = [(Path(a) if Path(a).is_absolute() else REPO_ROOT / a).resolve() for a in archive]
    outside = [str(f) for f in folders if inside_repo_only and not f.is_relative_to(REPO_ROOT.resolve())]
    if outside:
        raise FileNotFoundError(f"benchmarkens arkiv ligger utanför projektet: {', '.join(outside)}")
    assistant = Assistant(benchmark_settings(settings, archive))
    missing = [str(f) for f in folders if not f.exists()]
    if missing:
        raise FileNotFoundError(f"benchmarkens arkiv saknas: {', '.join(missing)}")
    return assistant, assistant.ingest(folders, progress=progress)
