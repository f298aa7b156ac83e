"""Hybrid retrieval: BM25 and vector rankings fused by reciprocal rank fusion, with filters.

Keyword search finds exact terms (law references, "RSU-grupp", diarienummer words); vector search
finds paraphrases and survives OCR damage. Reciprocal rank fusion (score = Σ 1/(k + rank)) needs no
score calibration between the two, which is why it is used rather than a weighted sum.

Filters apply to both sides before ranking (a bm25 row mask, a Chroma ``where``), so a selective
filter does not starve the result. District filters compare *current* district names through the
registry, so "Hägersten-Älvsjö" also finds answers written by Hägersten-Liljeholmen before the merger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.index.indexer import SearchIndex
from assistant.index.vector import date_number
from assistant.models import Chunk, Passage, Precedent, SearchFilters
from assistant.settings import Settings


@lru_cache(maxsize=4096)
def district_key(name: str | None) -> str | None:
    """The current district a (possibly historical or oddly spelled) name belongs to, for comparison."""
    if not name or not name.strip():
        return None
    from assistant.registry import current_district

    return current_district(name) or re.sub(r"[\s\-–]+", "-", name.strip().lower())


@dataclass
class _Columns:
    """Per-row filter columns of the keyword catalogue, rebuilt when the index changes."""

    version: int
    doc_ids: np.ndarray
    districts: np.ndarray
    kinds: np.ndarray
    dates: np.ndarray
    parties: list[frozenset[str]]


class HybridRetriever:
    def __init__(self, index: SearchIndex, store: Any, settings: Settings) -> None:
        self.index = index
        self.store = store
        self.settings = settings
        self._columns: _Columns | None = None
        self._groups: tuple[int, dict[str, str]] | None = None

    # --- public API ----------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[Passage]:
        """The ``k`` best passages for ``query``, best first."""
        r = self.settings.retrieval
        k = k or r.search_k
        return self._fused(query, max(r.search_depth_factor * k, r.search_depth_min), filters)[:k]

    def precedents(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, passages_per_doc: int = 3
    ) -> list[Precedent]:
        """The ``k`` best documents for ``query``, each with its best passages.

        A document scores as its best passage: a long document with many weak hits must not outrank
        a short one that answers the question.
        """
        r = self.settings.retrieval
        depth = max(k * passages_per_doc * r.precedent_depth_factor, r.precedent_depth_min)
        passages = self._fused(query, depth, filters)
        if len({p.doc_id for p in passages}) < k and len(passages) >= depth:
            # A few long documents filled the candidate list: look deeper once for more documents.
            passages = self._fused(query, depth * r.precedent_deeper_factor, filters)
        by_doc: dict[str, list[Passage]] = {}
        for p in passages:
            by_doc.setdefault(p.doc_id, []).append(p)
        groups = self.inquiry_groups() if by_doc else {}
        out: list[Precedent] = []
        for doc_id, found in list(by_doc.items())[:k]:
            first = found[0]
            out.append(
                Precedent(
                    doc_id=doc_id,
                    source=first.source,
                    district=first.district,
                    date=first.date,
                    kind=first.kind,
                    title=first.title,
                    diarienummer=first.diarienummer,
                    score=first.score,
                    passages=found[:passages_per_doc],
                    inquiry_group=groups.get(doc_id),
                )
            )
        return out

    def inquiry_groups(self) -> dict[str, str]:
        """doc_id → group id of documents about the same inquiry (cached until the index changes)."""
        self.index.keyword.ensure_built()
        version = self.index.keyword.version
        if self._groups is None or self._groups[0] != version:
            # Computed at ingest and read from disk (index/features): never re-embedded per draft.
            self._groups = (version, self.index.archive_features(self.store).inquiry_groups())
        return self._groups[1]

    # --- fusion --------------------------------------------------------------------------------
    def _fused(self, query: str, depth: int, filters: SearchFilters | None) -> list[Passage]:
        keyword = self.index.keyword
        keyword.ensure_built()
        rows = keyword.rows
        if not rows or not query.strip():
            return []
        mask, where = self._filters(filters)
        if mask is not None and not mask.any():
            return []
        kw_hits = keyword.top(query, depth, mask)
        vec_hits = self._vector_hits(self.index.embeddings.embed_query_array(query), depth, mask, where)

        rrf_k = self.settings.retrieval.rrf_k
        fused: dict[int, dict[str, float | int | None]] = {}
        for rank, (row, _) in enumerate(kw_hits, start=1):
            fused.setdefault(row, {"score": 0.0})
            fused[row]["score"] += 1.0 / (rrf_k + rank)  # type: ignore[operator]
            fused[row]["keyword_rank"] = rank
        for vrank, (row, similarity) in enumerate(vec_hits, start=1):
            entry = fused.setdefault(row, {"score": 0.0})
            entry["score"] += 1.0 / (rrf_k + vrank)  # type: ignore[operator]
            entry["vector_rank"] = vrank
            entry["vector_similarity"] = similarity
        ordered = sorted(fused.items(), key=lambda item: (-float(item[1]["score"]), item[0]))  # type: ignore[arg-type]
        return [_passage(rows[row], info) for row, info in ordered]

    def _vector_hits(
        self, vector: np.ndarray, depth: int, mask: np.ndarray | None, where: dict[str, Any] | None
    ) -> list[tuple[int, float]]:
        """(row, cosine similarity) of the ``depth`` nearest chunks that pass the filters.

        Chroma's metadata pre-filter scans every allowed row (50-160 ms at 100k chunks), while an
        unfiltered HNSW search 20-70 times deeper takes 10-30 ms; so a filter letting through at least
        ``retrieval.post_filter_share`` (1 %) of the chunks is applied after a deeper search, and Chroma's ``where`` is used for
        narrower filters, or when the deep search came back short.
        """
        keyword = self.index.keyword

        def rows_of(hits: list[tuple[str, float]]) -> list[tuple[int, float]]:
            out = []
            for chunk_id, similarity in hits:
                row = keyword.row(chunk_id)
                if row is not None and (mask is None or mask[row]):  # None: vector of a half-written doc
                    out.append((row, similarity))
            return out

        if mask is None:
            return rows_of(self.index.vector.query(vector, depth))
        allowed = int(mask.sum())
        share = allowed / len(mask)
        r = self.settings.retrieval
        if share >= r.post_filter_share:
            found = rows_of(self.index.vector.query(vector, int(depth * r.post_filter_overfetch / share) + 1))
            if len(found) >= min(depth, allowed):
                return found[:depth]
        return rows_of(self.index.vector.query(vector, depth, where))[:depth]

    # --- filters -------------------------------------------------------------------------------
    def _column_data(self) -> _Columns:
        keyword = self.index.keyword
        keyword.ensure_built()
        if self._columns is None or self._columns.version != keyword.version:
            rows = keyword.rows
            self._columns = _Columns(
                version=keyword.version,
                doc_ids=np.array([c.doc_id for c in rows], dtype=object),
                districts=np.array([c.district or "" for c in rows], dtype=object),
                kinds=np.array([c.kind for c in rows], dtype=object),
                dates=np.array([date_number(c.date) for c in rows], dtype=np.int64),
                parties=[frozenset(p.upper() for p in c.parties) for c in rows],
            )
        return self._columns

    def _filters(self, filters: SearchFilters | None) -> tuple[np.ndarray | None, dict[str, Any] | None]:
        """A row mask for the keyword side and the equivalent Chroma ``where`` for the vector side."""
        if filters is None:
            return None, None
        cols = self._column_data()
        n = len(cols.doc_ids)
        mask = np.ones(n, dtype=bool)
        clauses: list[dict[str, Any]] = []
        spellings = {d for d in set(cols.districts.tolist()) if d}

        if filters.district:
            wanted = district_key(filters.district)
            allowed = sorted(d for d in spellings if district_key(d) == wanted)
            mask &= np.isin(cols.districts, allowed)
            clauses.append({"district": {"$in": allowed or ["\x00none"]}})
        if filters.exclude_district:
            unwanted = district_key(filters.exclude_district)
            banned = sorted(d for d in spellings if district_key(d) == unwanted)
            if banned:
                mask &= ~np.isin(cols.districts, banned)
                clauses.append({"district": {"$nin": banned}})
        if filters.kind:
            mask &= cols.kinds == filters.kind
            clauses.append({"kind": filters.kind})
        if filters.party:
            party = filters.party.strip().strip("()").upper()
            mask &= np.fromiter((party in p for p in cols.parties), dtype=bool, count=n)
            clauses.append({"parties": {"$contains": party}})
        if filters.date_from:
            lo = date_number(filters.date_from)
            mask &= cols.dates >= lo
            clauses.append({"date": {"$gte": lo}})
        if filters.date_to:
            hi = _end_of(filters.date_to)
            mask &= (cols.dates <= hi) & (cols.dates > 0)
            clauses.append({"date": {"$lte": hi}})
            clauses.append({"date": {"$gt": 0}})
        if filters.exclude_doc_ids:
            mask &= ~np.isin(cols.doc_ids, list(filters.exclude_doc_ids))
            clauses.append({"doc_id": {"$nin": list(filters.exclude_doc_ids)}})
        if not clauses:
            return None, None
        where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        return mask, where


def _end_of(date: str) -> int:
    """Last day-number a (possibly partial) ``date_to`` covers: "2024" → 20249999."""
    digits = "".join(ch for ch in date if ch.isdigit())[:8]
    return int(digits.ljust(8, "9")) if digits else 99999999


def _passage(chunk: Chunk, info: dict[str, float | int | None]) -> Passage:
    return Passage(
        **chunk.model_dump(),
        score=float(info["score"]),  # type: ignore[arg-type]
        keyword_rank=info.get("keyword_rank"),  # type: ignore[arg-type]
        vector_rank=info.get("vector_rank"),  # type: ignore[arg-type]
        vector_similarity=info.get("vector_similarity"),  # type: ignore[arg-type]
    )
