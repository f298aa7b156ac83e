"""First-start indexing in the background, so the app answers at once and shows progress.

The bundled ``knowledge/documents`` folder is ingested through :meth:`Assistant.ensure_knowledge_indexed`,
which skips unchanged files by content hash: the first start embeds everything (with progress on the
console and a banner in the UI), later starts take seconds.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models import IngestReport


@dataclass
class IndexingStatus:
    done: int = 0
    total: int = 0
    current: str = ""
    error: str | None = None
    report: IngestReport | None = None
    seconds: float = 0.0
    _ready: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def message(self) -> tuple[str, str]:
        """(kind, Swedish text) for the UI banner."""
        if not self.finished:
            where = f" ({self.done}/{self.total}: {self.current})" if self.total else ""
            return "info", f"Kunskapsbanken indexeras första gången{where}. Utkast kan skrivas när den är klar."
        if self.error:
            return "error", f"Indexeringen av kunskapsbanken misslyckades: {self.error}"
        if self.report and self.report.failed:
            names = "; ".join(f"{Path(p).name}: {r}" for p, r in self.report.failed[:3])
            return "warn", f"{len(self.report.failed)} dokument kunde inte läsas in: {names}"
        return "ok", ""


def start_indexing(assistant, echo: bool = True) -> IndexingStatus:
    """Index the bundled knowledge in a daemon thread; returns the status object the UI polls."""
    status = IndexingStatus()

    def progress(done: int, total: int, current: str) -> None:
        status.done, status.total, status.current = done, total, current.rsplit("/", 1)[-1]
        if echo:
            print(f"Indexerar kunskapsbanken: {done}/{total} {status.current}", file=sys.stderr, flush=True)

    def run() -> None:
        t0 = time.perf_counter()
        try:
            status.report = assistant.ensure_knowledge_indexed(progress=progress)
            assistant.warm_up()  # builds the retriever once, before requests race to build it, and loads what drafting needs
        except Exception as err:  # noqa: BLE001 - shown in the banner and on the console
            status.error = f"{type(err).__name__}: {err}"
        status.seconds = time.perf_counter() - t0
        if echo:
            report = status.report
            summary = (
                f"{len(report.added)} nya, {len(report.unchanged)} oförändrade, {len(report.failed)} fel"
                if report
                else status.error
            )
            print(f"Kunskapsbanken klar på {status.seconds:.1f} s: {summary}", file=sys.stderr, flush=True)
        status._ready.set()

    threading.Thread(target=run, name="knowledge-indexing", daemon=True).start()
    return status
