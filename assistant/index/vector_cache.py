"""Passage vectors already computed, looked up by the model and the text they embed.

Embedding is nearly all the time of an ingest: about 1.6 s a document on two cores, eight minutes
for the development archive. A passage vector is a function of the model and the text alone, so it
never needs computing twice. Two kinds of store hold vectors that were:

* a *vector pack*: a read-only file made once for a fixed collection of documents (the development
  archive ships ``eval/archive/vectors.sqlite``, made by ``eval/archive/build_vectors.py``), so a
  fresh clone indexes that collection in seconds. Packs are configured by whoever runs the server
  (``settings.vector_packs``) or by the evaluation for its own archive; an uploaded folder never
  brings one, since whoever writes the vectors decides what a search finds;
* the writable cache ``settings.embedding_cache``: every vector returned is kept there, so a rebuilt
  index, another benchmark workspace or a re-ingest after a chunking change embeds only new text.

A key is the SHA-256 of the model id, the kind (passage) and the text: a store never serves another
model's vectors, and holds no text. A store only saves time: a text it lacks is embedded by the
model, and ``tests/test_vector_cache.py`` checks the shipped pack against the model.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from assistant.index.embeddings import ArrayEmbeddings

# A rowid table: WITHOUT ROWID would spend a page on each 1.5 kB vector (13 MB for the archive, not 6).
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
_BATCH = 500  # keys per SELECT: below SQLite's limit on bound parameters


def passage_key(model_id: str, text: str) -> str:
    """The key of ``text`` embedded as a passage by ``model_id``."""
    return hashlib.sha256(f"{model_id}\0passage\0{text}".encode("utf-8")).hexdigest()


class VectorStore:
    """One SQLite file of vectors by key; ``writable=False`` opens it read-only and never creates it."""

    def __init__(self, path: Path, *, writable: bool) -> None:
        self.path = Path(path)
        self.writable = writable
        self._lock = threading.Lock()
        if writable:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as con:
                con.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        if self.writable:
            return sqlite3.connect(self.path, timeout=30)
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors among ``keys`` (a missing key is simply absent)."""
        found: dict[str, np.ndarray] = {}
        with self._lock, self._connect() as con:
            for start in range(0, len(keys), _BATCH):
                part = list(keys[start : start + _BATCH])
                marks = ",".join("?" * len(part))
                for key, blob in con.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items]
        if not rows:
            return
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def remove_many(self, keys: Sequence[str]) -> None:
        with self._lock, self._connect() as con:
            con.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in keys])

    def __len__(self) -> int:
        with self._lock, self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


class CachedEmbeddings(ArrayEmbeddings):
    """``inner`` with its passage vectors looked up first: in the writable cache, then in the packs.

    Queries are always embedded (9 ms; caching them would only keep what users searched for).
    ``computed`` and ``reused`` count passages, so a benchmark can say whether its pack was complete.
    """

    def __init__(self, inner: ArrayEmbeddings, packs: Sequence[VectorStore] = (), cache: VectorStore | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.batch_size = inner.batch_size
        self.packs = list(packs)
        self.cache = cache
        self.computed = 0
        self.reused = 0

    @property
    def dim(self) -> int:
        return int(self.inner.dim)  # type: ignore[attr-defined]

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self.inner.embed_passages([])
        keys = [passage_key(self.model_id, t) for t in texts]
        wanted = list(dict.fromkeys(keys))
        found = self.cache.get_many(wanted) if self.cache is not None else {}
        from_packs: dict[str, np.ndarray] = {}
        for pack in self.packs:
            missing = [k for k in wanted if k not in found and k not in from_packs]
            if not missing:
                break
            from_packs.update(pack.get_many(missing))
        first = {k: i for i, k in reversed(list(enumerate(keys)))}
        todo = [k for k in wanted if k not in found and k not in from_packs]
        fresh = self.inner.embed_passages([texts[first[k]] for k in todo]) if todo else None
        computed = dict(zip(todo, fresh)) if fresh is not None else {}
        self.computed += len(computed)
        self.reused += len(wanted) - len(computed)
        if self.cache is not None:
            self.cache.put_many([*from_packs.items(), *computed.items()])
        every = {**found, **from_packs, **computed}
        return np.vstack([every[k] for k in keys]).astype(np.float32, copy=False)

    def embed_query_array(self, text: str) -> np.ndarray:
        return self.inner.embed_query_array(text)

    def forget(self, texts: Sequence[str]) -> None:
        """Drop ``texts``' vectors from the writable cache: a removed document leaves none behind."""
        if self.cache is not None:
            self.cache.remove_many([passage_key(self.model_id, t) for t in texts])
