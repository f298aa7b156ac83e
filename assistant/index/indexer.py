"""Keeps the keyword and vector indexes in step with the document store.

``index_document`` is idempotent: a document whose chunks are unchanged costs nothing, and a changed
one re-embeds only chunks whose text changed (vectors of unchanged text are reused from Chroma).
Old chunks of a replaced document are removed from both indexes.

``index/index.json`` records the embedding model that built the vectors; opening the index with
another model raises :class:`~assistant.errors.IndexMismatchError` rather than mixing vector spaces.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from functools import cached_property

import numpy as np

from assistant.errors import IndexMismatchError
from assistant.fileio import atomic_write_json
from assistant.index.archive_features import ArchiveFeatures
from assistant.index.chunking import chunk_document
from assistant.index.embeddings import ArrayEmbeddings
from assistant.index.keyword import ANALYZER_VERSION, KeywordIndex, analyze
from assistant.index.vector import VectorIndex
from assistant.models import Chunk, ParsedDocument
from assistant.settings import Settings


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SearchIndex:
    """Both indexes behind one object: what ingest calls and what the retriever searches."""

    def __init__(self, settings: Settings, embeddings: ArrayEmbeddings) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.model_id: str = embeddings.model_id
        self.manifest_path = settings.index_dir / "index.json"
        self._check_model()
        self.keyword = KeywordIndex(settings.index_dir / "keyword")

    @cached_property
    def features(self) -> ArchiveFeatures:
        """Archive-wide features (shared names, inquiry groups, own earlier answers), kept on disk."""
        return ArchiveFeatures(self.settings.index_dir / "features", self.embeddings, self.settings.retrieval)

    def archive_features(self, store) -> ArchiveFeatures:
        """The features, completed for documents indexed before features existed (checked once per
        index version: the drafter asks for them for every sentence it classifies)."""
        self.keyword.ensure_built()
        if self.__dict__.get("_features_checked") != self.keyword.version:
            ids = self.document_ids()
            if set(self.features.records()) != set(ids):
                self.features.ensure(store, ids)
            self._features_checked = self.keyword.version
        return self.features

    @cached_property
    def vector(self) -> VectorIndex:
        # Opened lazily: a Chroma server is contacted only when vectors are needed.
        return VectorIndex(self.settings, self.model_id)

    # --- model bookkeeping ---------------------------------------------------------------------
    def _check_model(self) -> None:
        if not self.manifest_path.exists():
            return
        try:
            recorded = json.loads(self.manifest_path.read_text(encoding="utf-8")).get("embedding_model")
        except (OSError, ValueError) as err:
            raise IndexMismatchError(f"{self.manifest_path}: kan inte läsas ({err}); ta bort indexmappen och indexera om") from err
        if recorded and recorded != self.model_id:
            raise IndexMismatchError(
                f"{self.manifest_path}: indexet byggdes med embeddingmodellen {recorded!r}, men inställningarna "
                f"anger {self.model_id!r}. Vektorer från två modeller kan inte blandas: byt tillbaka modell, "
                f"eller ta bort {self.settings.index_dir} och indexera om dokumenten."
            )

    def _record_model(self) -> None:
        if self.manifest_path.exists():
            return
        payload = {
            "embedding_model": self.model_id,
            "dimensions": int(getattr(self.embeddings, "dim", 0)),
            "analyzer": ANALYZER_VERSION,
            "chunk_chars": self.settings.ingest.chunk_chars,
            "chunk_overlap_chars": self.settings.ingest.chunk_overlap_chars,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        atomic_write_json(self.manifest_path, payload, indent=2)

    # --- documents -----------------------------------------------------------------------------
    def chunk(self, doc: ParsedDocument) -> list[Chunk]:
        return chunk_document(doc, self.settings.ingest.chunk_chars, self.settings.ingest.chunk_overlap_chars)

    def index_document(self, doc: ParsedDocument) -> int:
        """Index (or re-index) ``doc``; returns how many chunks were embedded (0 when unchanged)."""
        chunks = self.chunk(doc)
        if self.keyword.has(doc.doc_id) and self.keyword.chunks_for(doc.doc_id) == chunks:
            return 0
        self._record_model()
        hashes = [text_hash(c.text) for c in chunks]
        reuse = self.vector.vectors_for(doc.doc_id) if self.keyword.has(doc.doc_id) else {}
        todo = [i for i, h in enumerate(hashes) if h not in reuse]
        fresh = self.embeddings.embed_passages([chunks[i].text for i in todo]) if todo else None
        dim = fresh.shape[1] if fresh is not None else len(next(iter(reuse.values()), []))
        vectors = np.zeros((len(chunks), dim), dtype=np.float32)
        for row, i in enumerate(todo):
            vectors[i] = fresh[row]  # type: ignore[index]
        for i, h in enumerate(hashes):
            if h in reuse:
                vectors[i] = reuse[h]
        # Vectors first, keyword (the catalogue that says "indexed") last.
        old_ids = set(self.vector.ids_for(doc.doc_id)) - {c.chunk_id for c in chunks}
        self.vector.delete_ids(sorted(old_ids))
        if chunks:
            self.vector.add(chunks, vectors, hashes)
        self.features.add(doc)
        self.keyword.add(doc.doc_id, chunks, [analyze(c.text) for c in chunks])
        return len(todo)

    def index_chunks(self, doc_id: str, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Store chunks with vectors computed elsewhere (benchmarks reuse embeddings this way)."""
        self._record_model()
        hashes = [text_hash(c.text) for c in chunks]
        self.vector.delete_document(doc_id)
        self.vector.add(chunks, vectors, hashes)
        self.keyword.add(doc_id, chunks)

    def remove_document(self, doc_id: str) -> bool:
        """Remove a document's chunks from both indexes; False if it was not indexed."""
        had = self.keyword.has(doc_id)
        texts = [c.text for c in self.keyword.chunks_for(doc_id)] if had else []
        record = self.features.records().get(doc_id)
        self.embeddings.forget(texts + ([record["inquiry_text"]] if record else []))
        self.vector.delete_document(doc_id)
        self.keyword.remove(doc_id)
        self.features.remove(doc_id)
        return had

    def has_document(self, doc_id: str) -> bool:
        return self.keyword.has(doc_id)

    def chunks_for(self, doc_id: str) -> list[Chunk]:
        return self.keyword.chunks_for(doc_id)

    def document_ids(self) -> list[str]:
        return self.keyword.doc_ids()
