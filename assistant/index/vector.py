"""The vector side: one Chroma collection (embedded on disk, or a Chroma server) in cosine space.

We always hand Chroma our own vectors. The collection is created without an embedding function,
so Chroma's default one (which downloads a model on first use) can never run: a text query
raises instead of fetching anything. Telemetry is off.

The collection's metadata records the embedding model (``embedding_model``), which matters most
for a shared server, where ``index/index.json`` in our data directory cannot see what others wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import ConfigurationError, IndexMismatchError
from assistant.models import Chunk
from assistant.settings import Settings

_ADD_BATCH = 2000
# The HNSW graph, built alike every time and searched wide enough to find the true nearest chunks.
# With Chroma's defaults (M 16, ef 100, a thread per core) two builds of the same archive returned
# different neighbours for 10 of 60 inquiries, and 0.967 of the exact top 40 (0.85 at worst): the
# same inquiry could be answered or refused depending on the build. One build thread, a wider graph
# and a wide search give identical results and the exact top 40 (tests/test_vector_index.py); an
# archive of some thousand chunks builds in about a second either way.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32, "num_threads": 1}


def chunk_metadata(chunk: Chunk, text_hash: str) -> dict[str, Any]:
    """Chroma metadata for a chunk: the fields filters use (no None values: Chroma refuses them)."""
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "district": chunk.district or "",
        "kind": chunk.kind,
        "date": date_number(chunk.date),
        "synthetic": chunk.synthetic,
        "text_hash": text_hash,
    }
    if chunk.parties:
        meta["parties"] = list(chunk.parties)
    return meta


def date_number(date: str | None) -> int:
    """``"2024-05-23"`` → 20240523 (a partial date pads with zeros; none gives 0)."""
    if not date:
        return 0
    digits = "".join(ch for ch in date if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


class VectorIndex:
    """Chunk vectors in Chroma, with the metadata the search filters use."""

    def __init__(self, settings: Settings, model_id: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise ConfigurationError(f"chroma_url={settings.chroma_url!r}: ange http://värd:port")
            self.client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            self.location = settings.chroma_url
        else:
            path = settings.index_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.location = str(path)
        self.model_id = model_id
        self.collection = self.client.get_or_create_collection(
            settings.chroma_collection,
            embedding_function=None,
            configuration={"hnsw": dict(HNSW)},
            metadata={"embedding_model": model_id},
        )
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", HNSW["ef_search"]) < HNSW["ef_search"]:
            # An index built before: its graph stays as built (rebuild it to build it alike), but it is
            # searched as wide as a new one.
            self.collection.modify(configuration={"hnsw": {"ef_search": HNSW["ef_search"], "num_threads": 1}})
        recorded = (self.collection.metadata or {}).get("embedding_model")
        if recorded and recorded != model_id:
            raise IndexMismatchError(
                f"Chroma-samlingen {settings.chroma_collection!r} i {self.location} byggdes med "
                f"embeddingmodellen {recorded!r}, men inställningarna anger {model_id!r}. Bygg om indexet "
                "med samma modell eller använd en annan samling (ASSISTANT_CHROMA_COLLECTION)."
            )

    def count(self) -> int:
        return self.collection.count()

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, text_hashes: Sequence[str]) -> None:
        for i in range(0, len(chunks), _ADD_BATCH):
            part = chunks[i : i + _ADD_BATCH]
            self.collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=np.asarray(vectors[i : i + _ADD_BATCH], dtype=np.float32),
                metadatas=[chunk_metadata(c, h) for c, h in zip(part, text_hashes[i : i + _ADD_BATCH])],
            )

    def vectors_for(self, doc_id: str) -> dict[str, np.ndarray]:
        """Stored vectors of a document keyed by text hash (to reuse them when text is unchanged)."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["embeddings", "metadatas"])
        out: dict[str, np.ndarray] = {}
        embeddings = got.get("embeddings")
        if embeddings is None:
            return out
        for meta, vec in zip(got["metadatas"] or [], embeddings):
            if meta and meta.get("text_hash"):
                out[str(meta["text_hash"])] = np.asarray(vec, dtype=np.float32)
        return out

    def ids_for(self, doc_id: str) -> list[str]:
        return list(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def delete_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: Sequence[str]) -> None:
        if ids:
            self.collection.delete(ids=list(ids))

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """``(chunk_id, cosine similarity)`` of the ``n`` nearest chunks, best first."""
        if n <= 0:
            return []
        # Chroma returns fewer hits when the collection (or the filtered set) is smaller than n.
        res = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            where=where or None,
            include=["distances"],
        )
        ids = res["ids"][0] if res["ids"] else []
        distances = res["distances"][0] if res.get("distances") else [1.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances)]
