"""Settings groups: ingest, retrieval and the web app, under their new names and their old ones.

``chunk_chars``, ``chunk_overlap_chars`` and ``max_file_mb`` moved into ``Settings.ingest``, ``rrf_k`` and
``search_k`` into ``Settings.retrieval``, ``host``, ``port``, ``users_file`` and ``max_upload_mb`` into
``Settings.app``. The old environment variables, keyword arguments and settings-file keys
keep working, with the usual order (keyword arguments, then environment, then the settings file); in
one place the new name wins over the old.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.settings import AppSettings, IngestSettings, RetrievalSettings, Settings

OLD_NAMES = ("CHUNK_CHARS", "CHUNK_OVERLAP_CHARS", "RRF_K", "SEARCH_K")


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ASSISTANT_* variable from outside, and a settings file only where a test writes one."""
    import os

    for key in list(os.environ):
        if key.upper().startswith("ASSISTANT_"):
            monkeypatch.delenv(key)
    settings_file = tmp_path / "assistant.toml"
    monkeypatch.setenv("ASSISTANT_SETTINGS_FILE", str(settings_file))
    return settings_file


def values(s: Settings) -> tuple[int, int, int, int]:
    return s.ingest.chunk_chars, s.ingest.chunk_overlap_chars, s.retrieval.rrf_k, s.retrieval.search_k


def test_defaults_are_the_old_values() -> None:
    assert values(Settings()) == (900, 120, 60, 10)


def test_the_literals_that_became_settings_keep_their_values() -> None:
    r = RetrievalSettings()
    assert (r.search_depth_factor, r.search_depth_min) == (4, 50)
    assert (r.precedent_depth_factor, r.precedent_depth_min, r.precedent_deeper_factor) == (8, 100, 5)
    assert r.post_filter_overfetch == 1.5
    assert (r.same_inquiry_exact_max_docs, r.same_inquiry_boilerplate_min_df, r.same_inquiry_boilerplate_divisor) == (60, 50, 20)


@pytest.mark.parametrize("group", [IngestSettings, RetrievalSettings])
def test_every_field_states_its_basis(group) -> None:
    for name, field in group.model_fields.items():
        assert field.description and "Basis" in field.description, name


def test_nested_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INGEST__CHUNK_CHARS", "300")
    monkeypatch.setenv("ASSISTANT_INGEST__CHUNK_OVERLAP_CHARS", "30")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__RRF_K", "20")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__SEARCH_K", "7")
    assert values(Settings()) == (300, 30, 20, 7)


def test_old_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in zip(OLD_NAMES, ("250", "25", "30", "5"), strict=True):
        monkeypatch.setenv(f"ASSISTANT_{name}", value)
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__POST_FILTER_SHARE", "0.5")  # the group's other fields stay
    s = Settings()
    assert values(s) == (250, 25, 30, 5)
    assert s.retrieval.post_filter_share == 0.5 and s.retrieval.same_inquiry_lexical == 0.6


def test_old_environment_variables_ignore_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("assistant_search_k", "4")
    assert Settings().retrieval.search_k == 4


def test_old_keyword_arguments() -> None:
    s = Settings(chunk_chars=200, chunk_overlap_chars=40, rrf_k=7, search_k=3)
    assert values(s) == (200, 40, 7, 3)
    assert "chunk_chars" not in Settings.model_fields and "search_k" not in Settings.model_fields


def test_old_keyword_argument_beside_a_group_object() -> None:
    s = Settings(retrieval=RetrievalSettings(post_filter_share=0.5), search_k=3)
    assert (s.retrieval.search_k, s.retrieval.post_filter_share) == (3, 0.5)
    # In one place the new name wins.
    assert Settings(retrieval=RetrievalSettings(search_k=8), search_k=3).retrieval.search_k == 8


def test_model_validate_moves_the_old_names() -> None:
    assert Settings.model_validate({"chunk_chars": 500, "rrf_k": 9}).ingest.chunk_chars == 500
    assert Settings.model_validate({"chunk_chars": 500, "rrf_k": 9}).retrieval.rrf_k == 9


def test_keyword_arguments_beat_the_environment_whichever_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INGEST__CHUNK_CHARS", "300")
    monkeypatch.setenv("ASSISTANT_SEARCH_K", "5")
    assert Settings(chunk_chars=200).ingest.chunk_chars == 200
    assert Settings(retrieval=RetrievalSettings(search_k=2)).retrieval.search_k == 2


def test_in_the_environment_the_new_name_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CHUNK_CHARS", "250")
    monkeypatch.setenv("ASSISTANT_INGEST__CHUNK_CHARS", "300")
    assert Settings().ingest.chunk_chars == 300


def test_settings_file_old_and_new_keys(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env.write_text("chunk_chars = 400\nsearch_k = 6\n\n[retrieval]\nrrf_k = 15\n", encoding="utf-8")
    s = Settings()
    assert (s.ingest.chunk_chars, s.retrieval.search_k, s.retrieval.rrf_k) == (400, 6, 15)
    # The environment beats the file, old name against new and new against old.
    monkeypatch.setenv("ASSISTANT_CHUNK_CHARS", "350")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__SEARCH_K", "9")
    s = Settings()
    assert (s.ingest.chunk_chars, s.retrieval.search_k, s.retrieval.rrf_k) == (350, 9, 15)


def test_index_manifest_keeps_its_keys(tmp_path: Path) -> None:
    """``index/index.json`` still records ``chunk_chars``/``chunk_overlap_chars`` at its top level."""
    from assistant.index.indexer import SearchIndex

    settings = Settings(data_dir=tmp_path / "data", ingest=IngestSettings(chunk_chars=321, chunk_overlap_chars=12))
    index = SearchIndex(settings, SimpleNamespace(model_id="stub-model", dim=3))  # type: ignore[arg-type]
    index._record_model()
    manifest = json.loads((settings.index_dir / "index.json").read_text(encoding="utf-8"))
    assert (manifest["chunk_chars"], manifest["chunk_overlap_chars"]) == (321, 12)


# --- the web app's settings (Settings.app) and the file size limit (Settings.ingest.max_file_mb) ------


def app_values(s: Settings) -> tuple[str, int, Path | None, float, float]:
    return s.app.host, s.app.port, s.app.users_file, s.app.max_upload_mb, s.ingest.max_file_mb


def test_app_defaults_are_the_old_values(tmp_path: Path) -> None:
    assert app_values(Settings()) == ("127.0.0.1", 7860, None, 20.0, 20.0)
    assert Settings(data_dir=tmp_path).resolved_users_file == tmp_path / "users.json"


def test_every_app_field_says_what_it_is() -> None:
    for name, field in AppSettings.model_fields.items():
        assert field.description, name


APP_NEW_NAMES = ("APP__HOST", "APP__PORT", "APP__USERS_FILE", "APP__MAX_UPLOAD_MB", "INGEST__MAX_FILE_MB")
APP_OLD_NAMES = ("HOST", "PORT", "USERS_FILE", "MAX_UPLOAD_MB", "MAX_FILE_MB")


@pytest.mark.parametrize("names", [APP_NEW_NAMES, APP_OLD_NAMES], ids=["nested", "old"])
def test_app_environment_variables(names: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in zip(names, ("0.0.0.0", "8123", str(tmp_path / "u.json"), "3.5", "7"), strict=True):
        monkeypatch.setenv(f"ASSISTANT_{name}", value)
    monkeypatch.setenv("ASSISTANT_INGEST__CHUNK_CHARS", "300")  # the groups' other fields stay
    s = Settings()
    assert app_values(s) == ("0.0.0.0", 8123, tmp_path / "u.json", 3.5, 7.0)
    assert s.resolved_users_file == tmp_path / "u.json"
    assert (s.ingest.chunk_chars, s.ingest.chunk_overlap_chars) == (300, 120)


def test_app_in_the_environment_the_new_name_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_PORT", "8125")
    monkeypatch.setenv("ASSISTANT_APP__PORT", "8126")
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "4")
    monkeypatch.setenv("ASSISTANT_INGEST__MAX_FILE_MB", "5")
    s = Settings()
    assert (s.app.port, s.ingest.max_file_mb) == (8126, 5.0)


def test_app_old_keyword_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_APP__PORT", "8127")  # keyword arguments beat the environment
    s = Settings(host="0.0.0.0", port=8128, users_file=tmp_path / "kw.json", max_upload_mb=0.5, max_file_mb=1.5)
    assert app_values(s) == ("0.0.0.0", 8128, tmp_path / "kw.json", 0.5, 1.5)
    for name in ("host", "port", "users_file", "max_upload_mb", "max_file_mb"):
        assert name not in Settings.model_fields, name
    # Beside a group object the old name fills in; in one place the new name wins.
    s = Settings(app=AppSettings(host="0.0.0.0"), port=8129)
    assert (s.app.host, s.app.port) == ("0.0.0.0", 8129)
    assert Settings(app=AppSettings(port=8130), port=8131).app.port == 8130


def test_app_model_validate_moves_the_old_names() -> None:
    s = Settings.model_validate({"port": 8132, "max_file_mb": 3})
    assert (s.app.port, s.ingest.max_file_mb) == (8132, 3.0)


def test_app_settings_file_old_and_new_keys(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env.write_text(
        'host = "0.0.0.0"\nport = 8133\nmax_file_mb = 6\n\n[app]\nmax_upload_mb = 9\nport = 8134\n', encoding="utf-8"
    )
    s = Settings()
    assert app_values(s) == ("0.0.0.0", 8134, None, 9.0, 6.0)
    # The environment beats the file, old name against new.
    monkeypatch.setenv("ASSISTANT_PORT", "8135")
    monkeypatch.setenv("ASSISTANT_INGEST__MAX_FILE_MB", "8")
    s = Settings()
    assert (s.app.port, s.ingest.max_file_mb) == (8135, 8.0)
