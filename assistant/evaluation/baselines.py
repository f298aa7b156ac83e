"""Baseline retrievers, so that every figure of the assistant is read beside a simpler system.

Each baseline replaces only the retriever; the drafting is the same (the assistant's drafter runs
on a copy of the :class:`~assistant.services.Assistant` whose ``retriever`` is the baseline):

* ``keyword`` — BM25 (bm25s) over the assistant's own chunks with the project's Swedish analyzer; the
  ranking is BM25 alone, but the returned passages carry their cosine to the query, because the
  drafter's no-precedent decision reads ``Passage.vector_similarity`` (without it every draft would be
  a refusal and the comparison would measure nothing);
* ``vector`` — cosine similarity over the same chunks embedded with the same model;
* ``langchain`` — the textbook LangChain pipeline: ``RecursiveCharacterTextSplitter`` over each
  document's text, vectors in an in-memory ``langchain_chroma.Chroma``, ``similarity_search``.

They honour :class:`~assistant.models.SearchFilters` like the real retriever and return the same
``Passage`` / ``Precedent`` records, with exact spans, so citations drawn from them can be validated.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.models import Chunk, ParsedDocument, Passage, Precedent, SearchFilters

BASELINES: tuple[str, ...] = ("keyword", "vector", "langchain")


def _same_district(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        from assistant.registry import canonical_district

        a, b = canonical_district(a) or a, canonical_district(b) or b
    except ImportError:  # registry not installed: compare the names as written
        pass
    return a.casefold() == b.casefold()


def passes(chunk: Chunk, filters: SearchFilters | None) -> bool:
    """Whether a chunk survives the filters (same semantics as the hybrid retriever)."""
    if filters is None:
        return True
    if chunk.doc_id in filters.exclude_doc_ids:
        return False
    if filters.district and not _same_district(chunk.district, filters.district):
        return False
    if filters.exclude_district and _same_district(chunk.district, filters.exclude_district):
        return False
    if filters.kind and chunk.kind != filters.kind:
        return False
    if filters.party and filters.party.upper() not in chunk.parties:
        return False
    if filters.date_from and (not chunk.date or chunk.date < filters.date_from):
        return False
    if filters.date_to and (not chunk.date or chunk.date > filters.date_to):
        return False
    return True


class BaselineRetriever:
    """Shared filtering and grouping; subclasses rank chunks for a query."""

    name = "baseline"

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)

    def _ranked(self, query: str) -> list[tuple[int, float]]:  # (chunk index, score), best first
        raise NotImplementedError

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[Passage]:
        k = k or 10
        out: list[Passage] = []
        for rank, (i, score) in enumerate(self._ranked(query), start=1):
            chunk = self.chunks[i]
            if not passes(chunk, filters):
                continue
            out.append(Passage(**chunk.model_dump(), score=float(score), **self._rank_fields(rank, score)))
            if len(out) >= k:
                break
        return out

    def _rank_fields(self, rank: int, score: float) -> dict[str, Any]:
        return {}

    def precedents(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, passages_per_doc: int = 3
    ) -> list[Precedent]:
        grouped: dict[str, list[Passage]] = {}
        for p in self.search(query, k=len(self.chunks), filters=filters):
            if len(grouped) >= k and p.doc_id not in grouped:
                continue
            if len(grouped.setdefault(p.doc_id, [])) < passages_per_doc:
                grouped[p.doc_id].append(p)
        return [
            Precedent(
                doc_id=doc_id,
                source=ps[0].source,
                district=ps[0].district,
                date=ps[0].date,
                kind=ps[0].kind,
                title=ps[0].title,
                diarienummer=ps[0].diarienummer,
                score=ps[0].score,
                passages=ps,
            )
            for doc_id, ps in grouped.items()
        ]


class KeywordRetriever(BaselineRetriever):
    name = "keyword"

    def __init__(self, chunks: Sequence[Chunk], embeddings) -> None:
        import bm25s

        from assistant.index.keyword import analyze

        super().__init__(chunks)
        self._embeddings = embeddings
        self._analyze = analyze
        self._bm25 = bm25s.BM25()
        self._bm25.index([analyze(c.text) or [""] for c in self.chunks], show_progress=False)

    def _ranked(self, query: str) -> list[tuple[int, float]]:
        scores = self._bm25.get_scores(self._analyze(query))
        order = np.argsort(-scores, kind="stable")
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def _rank_fields(self, rank: int, score: float) -> dict[str, Any]:
        return {"keyword_rank": rank}

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[Passage]:
        from assistant.draft import vectors

        found = super().search(query, k, filters)
        if found:
            sims = vectors.passages(self._embeddings, [p.text for p in found]) @ vectors.query(self._embeddings, query)
            for p, sim in zip(found, sims):
                p.vector_similarity = float(sim)
        return found


class VectorRetriever(BaselineRetriever):
    name = "vector"

    def __init__(self, chunks: Sequence[Chunk], embeddings) -> None:
        from assistant.draft import vectors

        super().__init__(chunks)
        self._embeddings = embeddings
        self._matrix = vectors.passages(embeddings, [c.text for c in self.chunks])  # L2-normalised rows

    def _ranked(self, query: str) -> list[tuple[int, float]]:
        from assistant.draft import vectors

        sims = self._matrix @ vectors.query(self._embeddings, query)
        return [(int(i), float(sims[i])) for i in np.argsort(-sims, kind="stable")]

    def _rank_fields(self, rank: int, score: float) -> dict[str, Any]:
        return {"vector_rank": rank, "vector_similarity": score}


class LangChainRetriever(BaselineRetriever):
    """RecursiveCharacterTextSplitter + langchain_chroma over the stored (repaired, redacted) texts."""

    name = "langchain"

    def __init__(self, documents: Sequence[ParsedDocument], embeddings, chunk_size: int, overlap: int) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap, add_start_index=True)
        pieces = splitter.split_documents(
            [Document(page_content=d.text, metadata={"doc_id": d.doc_id}) for d in documents]
        )
        by_id = {d.doc_id: d for d in documents}
        chunks = [self._chunk(by_id[p.metadata["doc_id"]], p.page_content, p.metadata["start_index"], n) for n, p in enumerate(pieces)]
        super().__init__(chunks)
        client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
        self._store = Chroma(
            collection_name=f"baseline-{uuid.uuid4().hex[:12]}",
            embedding_function=embeddings,
            client=client,
            collection_metadata={"hnsw:space": "cosine"},
        )
        self._store.add_texts([c.text for c in chunks], ids=[str(i) for i in range(len(chunks))])

    @staticmethod
    def _chunk(doc: ParsedDocument, text: str, start: int, n: int) -> Chunk:
        section = doc.section_at(start)
        return doc.chunk(f"lc-{doc.doc_id}-{n}", start, start + len(text), section.canonical if section else "", section.role if section else None)

    def _ranked(self, query: str) -> list[tuple[int, float]]:
        hits = self._store.similarity_search_with_relevance_scores(query, k=len(self.chunks))
        return [(int(doc.id), float(score)) for doc, score in hits]

    def _rank_fields(self, rank: int, score: float) -> dict[str, Any]:
        return {"vector_rank": rank, "vector_similarity": score}


def _stored_chunks(assistant) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in assistant.store.all():
        chunks.extend(assistant.index.chunks_for(doc.doc_id))
    return chunks


def make_baseline(assistant, name: str):
    """A copy of ``assistant`` whose retriever is the named baseline (store, model, drafter shared)."""
    if name == "keyword":
        retriever = KeywordRetriever(_stored_chunks(assistant), assistant.embeddings)
    elif name == "vector":
        retriever = VectorRetriever(_stored_chunks(assistant), assistant.embeddings)
    elif name == "langchain":
        s = assistant.settings
        retriever = LangChainRetriever(list(assistant.store.all()), assistant.embeddings, s.ingest.chunk_chars, s.ingest.chunk_overlap_chars)
    else:
        raise ValueError(f"okänd baslinje {name!r} (välj bland {', '.join(BASELINES)})")
    variant = copy.copy(assistant)
    variant.__dict__["retriever"] = retriever  # overrides the cached_property on this copy only
    return variant
