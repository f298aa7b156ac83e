"""The assistant as one service object: what the CLI, the app and the evaluation harness call.

Components are built lazily from :class:`~assistant.settings.Settings` (adapters chosen by settings,
as in PrivateGPT), so a CLI command that only parses a file never loads the embedding model.

The command line (``assistant.cli``) imports only this module, ``assistant.models``,
``assistant.settings`` and ``assistant.errors`` (an import-linter contract in ``pyproject.toml``,
run by ``tests/test_layers.py``): whatever it needs of the pipeline is a thin, delegating method or
function here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.models import Comparison, Draft, IngestReport, Passage, Precedent, SearchFilters
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from assistant.evaluation.benchmark import BenchmarkCase
    from assistant.models import ParsedDocument
    from assistant.review.auth import UserStore

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, current_file)``."""


class Assistant:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    # --- components -----------------------------------------------------------------------------
    @cached_property
    def store(self):  # -> DocumentStore
        from assistant.ingest.store import DocumentStore

        return DocumentStore(self.settings.documents_dir)

    @cached_property
    def embeddings(self):  # -> langchain Embeddings
        from assistant.index.embeddings import make_embeddings

        return make_embeddings(self.settings)

    @cached_property
    def index(self):  # -> SearchIndex
        from assistant.index.indexer import SearchIndex

        return SearchIndex(self.settings, self.embeddings)

    @cached_property
    def retriever(self):  # -> HybridRetriever
        from assistant.retrieve.hybrid import HybridRetriever

        return HybridRetriever(self.index, self.store, self.settings)

    def warm_up(self) -> None:
        """Load now what the first draft after a restart would otherwise load on the officer's time.

        Drafting needs two word lists built from wordfreq (the OCR lexicon behind the inquiry's
        repair check, ~1.3 s; the compound lexicon behind BM25's query terms, ~0.6 s), the drafting
        modules (~0.5 s of imports) and Chroma's HNSW index in memory. Before this, the first draft
        paid for all of them (3 s on the seeds, profiled 2026-12-02). The app's start-up thread calls
        this before it reports ready; it drafts a two-line sample through the whole pipeline (so no
        step is missed), writes nothing (``tests/test_warm_up.py``) and costs what it saves.
        """
        sample = "Skrivelse om förvaltningens arbete.\n\nHur arbetar stadsdelsförvaltningen med frågan?"
        self.draft(sample)  # every step a draft takes up to the refusal the sample gets; drafting stores nothing
        from assistant.draft import compose, sections  # noqa: F401 - and what composing an answered draft imports
        from assistant.ingest import parser  # noqa: F401

    # --- ingest ---------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        from assistant.ingest.pipeline import ingest_paths

        return ingest_paths(paths, self.settings, self.store, indexer=self.index, progress=progress)

    def remove(self, doc_id: str) -> bool:
        """Remove a document from the store and from both indexes."""
        self.index.remove_document(doc_id)
        return self.store.delete(doc_id)

    def ensure_knowledge_indexed(self, progress: ProgressCallback | None = None) -> IngestReport:
        """Index the bundled ``knowledge/`` folder; a no-op (content hashes) once it is indexed."""
        return self.ingest([self.settings.knowledge_dir / "documents"], progress=progress)

    def inspect(self, path: str | Path) -> ParsedDocument:
        """What ingest would make of a file (read, repaired, redacted, parsed); stores nothing.
        Raises :class:`~assistant.errors.IngestError`."""
        from assistant.ingest.pipeline import process_file

        return process_file(path, self.settings)

    def read_text(self, path: str | Path, max_bytes: int | None = None) -> str:
        """The text of a document file (TXT, PDF, DOCX, HTML, MD) within ``max_bytes`` (default
        ``ingest.max_file_mb``), as read (not yet redacted: drafting redacts). Raises
        :class:`~assistant.errors.IngestError`."""
        from assistant.ingest.readers import read_document

        return read_document(Path(path), max_bytes or int(self.settings.ingest.max_file_mb * 1024 * 1024)).text

    # --- users and review -----------------------------------------------------------------------
    @cached_property
    def users(self) -> UserStore:
        """The users file the app logs in against (``settings.resolved_users_file``)."""
        from assistant.review.auth import UserStore

        return UserStore(self.settings.resolved_users_file)

    def unlock_user(self, name: str, by: str = "admin (kommandorad)") -> bool:
        """End the lock of ``name``'s account, as admin ``by`` (audited); False if it was not locked."""
        from assistant.review.auth import User
        from assistant.review.db import ReviewStore

        return ReviewStore(self.settings.db_path).unlock(User(by, "admin"), name)

    # --- retrieve -------------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[Passage]:
        return self.retriever.search(query, k=k or self.settings.retrieval.search_k, filters=filters)

    def precedents(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Precedent]:
        return self.retriever.precedents(query, k=k, filters=filters)

    # --- draft ----------------------------------------------------------------------------------
    def draft(
        self,
        inquiry_text: str,
        district: str | None = None,
        drafter: str | None = None,
        exclude_doc_ids: Iterable[str] = (),
    ) -> Draft:
        """Draft a tjänsteutlåtande; the last item of :meth:`stream_draft`."""
        result: Draft | None = None
        for item in self.stream_draft(inquiry_text, district, drafter, exclude_doc_ids):
            if isinstance(item, Draft):
                result = item
        assert result is not None
        return result

    @staticmethod
    def to_markdown(draft: Draft) -> str:
        """The draft as Markdown: header placeholders, title, sections, flags and sources."""
        from assistant.draft.render import to_markdown

        return to_markdown(draft)

    @staticmethod
    def export_docx(draft: Draft, path: str | Path, **header: Any) -> Path:
        """Write the draft as the city's Word document; ``header`` as :func:`assistant.draft.export_docx.export_docx`."""
        from assistant.draft.export_docx import export_docx

        return export_docx(draft, path, **header)

    def prompt(self, name: str) -> str:
        """The LLM prompt ``name`` (``"ui_edit.md"``) from ``settings.prompts_dir``."""
        from assistant.resources import load_prompt

        return load_prompt(name, self.settings)

    def stream_draft(
        self,
        inquiry_text: str,
        district: str | None = None,
        drafter: str | None = None,
        exclude_doc_ids: Iterable[str] = (),
    ) -> Iterator[str | Draft]:
        """Yield text fragments as the draft is written, then the verified :class:`Draft` last.

        The inquiry is redacted first: a personnummer in it reaches no draft, export or store."""
        from assistant.draft.service import stream_draft
        from assistant.ingest.redact import redacted

        yield from stream_draft(
            self,
            redacted(inquiry_text),
            district=district,
            drafter=drafter or self.settings.drafter,
            exclude_doc_ids=list(exclude_doc_ids),
        )

    # --- the officer's workbench ---------------------------------------------------------------
    def compare(self, inquiry_text: str, district: str | None = None, exclude_doc_ids: Iterable[str] = ()) -> Comparison:
        """How the districts answered each point of the inquiry: rows = points, columns = answers
        (the district's own first), cells = the answering paragraph."""
        from assistant.draft.service import compare
        from assistant.ingest.redact import redacted

        return compare(self, redacted(inquiry_text), district, exclude_doc_ids)

    def compose(
        self, inquiry_text: str, selected: Iterable[str], district: str | None = None, exclude_doc_ids: Iterable[str] = ()
    ) -> Draft:
        """A verified draft answering each point from the comparison cells ``selected`` only."""
        from assistant.draft.service import compose
        from assistant.ingest.redact import redacted

        return compose(self, redacted(inquiry_text), selected, district, exclude_doc_ids)

    def remove_citation(self, draft: Draft, number: int) -> Draft:
        """``draft`` without its source ``number`` (only that citation; other passages of the same
        document stay), renumbered and verified."""
        from assistant.draft.service import remove_citation

        return remove_citation(self, draft, number)

    def stored_versions(self, path: str | Path) -> tuple[str | None, list]:
        """What the archive already holds of a file about to be added: (doc_id of a stored document
        with exactly these bytes, or None; the stored documents it would replace as a revised version:
        the same file name, or the same diarienummer, kind and district). Uploads are deleted once
        read, so the same bytes are recognised by the manifest's content hash, not by the old path."""
        import hashlib

        from assistant.errors import AssistantError

        path = Path(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stored = {d.doc_id: d for d in self.store.all()}
        same = next((e["doc_id"] for e in self.store.manifest().values() if e["content_hash"] == digest and e["doc_id"] in stored), None)
        try:
            meta = self.inspect(path).metadata
        except AssistantError:
            meta = None
        older = [
            d
            for d in stored.values()
            if d.doc_id != same
            and (
                Path(d.source).name == path.name
                or (
                    meta is not None
                    and meta.diarienummer
                    and d.metadata.diarienummer == meta.diarienummer
                    and d.metadata.kind == meta.kind
                    and d.metadata.district == meta.district
                )
            )
        ]
        return same, older


# --- users ------------------------------------------------------------------------------------
def user_roles() -> dict[str, str]:
    """Every role of the app, in order, with what it may do."""
    from assistant.review.auth import ROLE_DESCRIPTIONS, ROLES

    return {role: ROLE_DESCRIPTIONS[role] for role in ROLES}


# --- evaluation (assistant.evaluation) --------------------------------------------------------
def load_benchmark(path: str | Path) -> list[BenchmarkCase]:
    """The cases of a JSONL benchmark; raises :class:`~assistant.errors.BenchmarkError` naming file and line."""
    from assistant.evaluation.benchmark import load_benchmark

    return load_benchmark(path)


def benchmark_assistant(
    settings: Settings, archive: Iterable[str], progress: ProgressCallback | None = None, *, inside_repo_only: bool = False
) -> tuple[Assistant, IngestReport]:
    """An assistant on the benchmark's own index of ``archive`` (built or brought up to date first),
    never the live knowledge base; ``inside_repo_only`` refuses archive folders outside the
    repository (the browser's evaluation tab)."""
    from assistant.evaluation.workspace import benchmark_assistant

    return benchmark_assistant(settings, list(archive), progress=progress, inside_repo_only=inside_repo_only)


def run_benchmark(assistant: Assistant, cases: list[BenchmarkCase], **options: Any) -> dict[str, Any]:
    """Evaluate ``cases``; the report dict (options as :func:`assistant.evaluation.runner.run_benchmark`)."""
    from assistant.evaluation.runner import run_benchmark

    return run_benchmark(assistant, cases, **options)


def write_report(report: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``report.json`` and the self-contained ``report.html`` into ``out_dir``."""
    from assistant.evaluation.report import write_report

    return write_report(report, out_dir)


def available_benchmarks() -> list[Path]:
    """The benchmark files shipped in ``eval/benchmarks``."""
    from assistant.evaluation.benchmark import available_benchmarks as available

    return available()


def plots_html(report: dict[str, Any]) -> str:
    """The report's plots as embedded PNG images (HTML)."""
    from assistant.evaluation.report import plots_html as plots

    return plots(report)


def metric_table(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows ``metric | system …`` of a report, rounded for display."""
    from assistant.evaluation.report import metric_table

    return metric_table(report)


def compare_reports(a: str | Path, b: str | Path) -> dict[str, Any]:
    """What changed from run ``a`` to run ``b`` (``report.json`` or its folder); ValueError if one is unreadable."""
    from assistant.evaluation.report import compare_reports, load_report

    return compare_reports(load_report(a), load_report(b))


def judge_agreement(settings: Settings, labels: str | Path | None = None) -> dict[str, Any]:
    """Agreement of the citation-support judge and the key-point matcher with hand-labelled pairs
    (default ``eval/support_labels.jsonl``); OSError or ValueError if the labels cannot be read."""
    from assistant.evaluation.judge import SUPPORT_LABELS, SupportJudge, load_support_labels, matcher_agreement
    from assistant.evaluation.judge import judge_agreement as support_agreement
    from assistant.evaluation.similarity import Matcher
    from assistant.index.embeddings import make_embeddings

    rows = load_support_labels(Path(labels) if labels else SUPPORT_LABELS)
    embeddings = make_embeddings(settings)
    return {
        "support_judge": support_agreement(SupportJudge(embeddings), rows),
        "key_point_matcher": matcher_agreement(Matcher(embeddings), rows),
    }
