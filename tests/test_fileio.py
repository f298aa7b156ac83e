"""The one atomic-write helper: whole files or none, owner-only, no temporary files left behind."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from assistant import fileio
from assistant.fileio import atomic_write_bytes, atomic_write_json, atomic_write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_text_bytes_and_json_creating_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "doc.json"
    atomic_write_json(target, {"stadsdel": "Hässelby-Vällingby"}, indent=1)
    assert json.loads(target.read_text(encoding="utf-8")) == {"stadsdel": "Hässelby-Vällingby"}
    assert "Hässelby" in target.read_text(encoding="utf-8")  # not \u00e4-escaped
    atomic_write_text(target, "två")
    assert target.read_text(encoding="utf-8") == "två"
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert os.listdir(target.parent) == ["doc.json"]


def test_new_and_replaced_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        loose = tmp_path / "loose.txt"
        loose.write_text("x", encoding="utf-8")
        assert _mode(loose) == 0o644
        atomic_write_text(loose, "y")
        assert _mode(loose) == 0o600
        atomic_write_text(tmp_path / "new.txt", "z")
        assert _mode(tmp_path / "new.txt") == 0o600
        atomic_write_text(tmp_path / "report.html", "<p>", mode=0o644)  # a caller may ask for another mode
        assert _mode(tmp_path / "report.html") == 0o644
    finally:
        os.umask(old)


@pytest.mark.parametrize("fsync", [True, False])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fsync: bool
) -> None:
    target = tmp_path / "manifest.json"
    atomic_write_text(target, "old")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new", fsync=fsync)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["manifest.json"]


def test_an_unserialisable_value_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    atomic_write_json(target, [1])
    with pytest.raises(TypeError):
        atomic_write_json(target, {"when": object()})
    assert json.loads(target.read_text(encoding="utf-8")) == [1]
    assert os.listdir(tmp_path) == ["x.json"]
