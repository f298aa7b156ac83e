"""The assistant as one service object: what the CLI, the app and the evaluation harness call.

Components are built lazily from :class:`~assistant.settings.Settings` (adapters chosen by settings,
as in PrivateGPT), so a CLI command that only parses a file never loads the embedding model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path

from assistant.models import Draft, IngestReport, Passage, Precedent, SearchFilters
from assistant.settings import Settings, get_settings

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

    # --- retrieve -------------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[Passage]:
        return self.retriever.search(query, k=k or self.settings.search_k, filters=filters)

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
