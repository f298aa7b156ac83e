"""Bad input: each bad file gives one clear line naming it and the reason; the batch goes on and
documents already stored are left exactly as they were."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.pdfmaker import encrypt_pdf, make_pdf

from assistant.ingest.pipeline import ingest_paths
from assistant.ingest.store import DocumentStore
from assistant.settings import Settings

ASSISTANT = Path(sys.executable).parent / "assistant"
GOOD = "Tjänsteutlåtande\n\nÄrendet\nSkrivelsen gäller simundervisning i stadsdelen.\n"


def make_bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the reason must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    good_pdf = make_pdf(folder / "_tmp.pdf", [["Tjänsteutlåtande", "Ärendet", "Text."]])
    files: dict[str, tuple[Path, str]] = {}

    empty = folder / "tom.txt"
    empty.write_bytes(b"")
    files["empty"] = (empty, "tom")

    corrupt = folder / "trasig.pdf"
    corrupt.write_bytes(good_pdf.read_bytes()[:200])
    files["corrupt_pdf"] = (corrupt, "skadad")

    broken_docx = folder / "trasig.docx"
    broken_docx.write_bytes(b"PK\x03\x04 inte en riktig zip")
    files["corrupt_docx"] = (broken_docx, "Word-filen")

    files["encrypted_pdf"] = (encrypt_pdf(good_pdf, folder / "krypterad.pdf"), "lösenord")

    binary = folder / "binär.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    files["binary_txt"] = (binary, "binärdata")

    xlsx = folder / "budget.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    files["xlsx"] = (xlsx, "stöds inte")

    exe = folder / "program.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    files["exe"] = (exe, "stöds inte")

    huge = folder / "enorm.txt"
    with huge.open("wb") as fh:  # 50 MB, sparse: the size check must refuse it without reading it
        fh.truncate(50 * 1024 * 1024)
    files["too_big"] = (huge, "för stor")

    files["scanned_pdf"] = (make_pdf(folder / "inskannad.pdf", image_pages=2), "ingen text")
    good_pdf.unlink()
    return files


@pytest.fixture
def stored_good(settings: Settings, tmp_path: Path) -> tuple[DocumentStore, Path, bytes]:
    """A store holding one good document; returns the store, the source and its stored JSON bytes."""
    good = tmp_path / "bra.txt"
    good.write_text(GOOD, encoding="utf-8")
    store = DocumentStore(settings.documents_dir)
    report = ingest_paths([good], settings, store)
    assert report.added == ["bra"], report.failed
    return store, good, (settings.documents_dir / "bra.json").read_bytes()


def test_every_bad_file_fails_alone_and_the_batch_goes_on(
    settings: Settings, tmp_path: Path, stored_good: tuple[DocumentStore, Path, bytes]
) -> None:
    store, good, before = stored_good
    bad = make_bad_files(tmp_path / "dåliga")
    later = tmp_path / "senare.md"
    later.write_text("# Yttrande\n\nNämnden tillstyrker motionen.\n", encoding="utf-8")
    vanishing = tmp_path / "försvinner.txt"
    vanishing.write_text(GOOD, encoding="utf-8")

    def delete_next(done: int, total: int, name: str) -> None:
        if name == good.name:  # runs just before `vanishing` (files keep the given order)
            vanishing.unlink()

    paths = [p for p, _ in bad.values()] + [good, vanishing, later]
    report = ingest_paths(paths, settings, store, progress=delete_next)

    reasons = dict(report.failed)
    assert len(report.failed) == len(bad) + 1, report.failed
    for name, (path, word) in bad.items():
        assert word in reasons[str(path)], (name, reasons[str(path)])
    assert "finns inte" in reasons[str(vanishing)] or "försvann" in reasons[str(vanishing)]
    for reason in reasons.values():
        assert "\n" not in reason and "Traceback" not in reason
    assert report.unchanged == ["bra"] and report.added == ["senare"]
    assert (settings.documents_dir / "bra.json").read_bytes() == before
    assert sorted(store.ids()) == ["bra", "senare"]


def test_a_changed_file_that_became_bad_keeps_the_stored_version(
    settings: Settings, stored_good: tuple[DocumentStore, Path, bytes]
) -> None:
    store, good, before = stored_good
    good.write_bytes(b"\x00\x01\x02\x03" * 100)  # overwritten with garbage
    report = ingest_paths([good], settings, store)
    assert [p for p, _ in report.failed] == [str(good)]
    assert (settings.documents_dir / "bra.json").read_bytes() == before


def test_missing_path_is_reported(settings: Settings, tmp_path: Path) -> None:
    store = DocumentStore(settings.documents_dir)
    missing = tmp_path / "finns_inte.pdf"
    report = ingest_paths([missing], settings, store)
    assert report.failed == [(str(missing), "filen eller mappen finns inte")]


def test_folder_scan_skips_unsupported_but_explicit_files_are_reported(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mapp"
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"PK")
    (folder / "svar.txt").write_text(GOOD, encoding="utf-8")
    store = DocumentStore(settings.documents_dir)
    assert ingest_paths([folder], settings, store).failed == []
    explicit = ingest_paths([folder / "budget.xlsx"], settings, store)
    assert len(explicit.failed) == 1 and "stöds inte" in explicit.failed[0][1]


@pytest.mark.slow
def test_cli_reports_one_line_per_bad_file_and_exits_non_zero(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    good = tmp_path / "bra.txt"
    good.write_text(GOOD, encoding="utf-8")
    first = subprocess.run([str(ASSISTANT), "ingest", str(good)], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    stored = tmp_path / "data" / "documents" / "bra.json"
    before = stored.read_bytes()

    bad = make_bad_files(tmp_path / "dåliga")
    later = tmp_path / "senare.md"
    later.write_text("# Yttrande\n\nNämnden tillstyrker motionen.\n", encoding="utf-8")
    args = [str(p) for p, _ in bad.values()] + [str(good), str(later)]
    run = subprocess.run([str(ASSISTANT), "ingest", *args], capture_output=True, text=True, env=env, timeout=300)

    assert run.returncode == 1
    failure_lines = [line for line in run.stderr.splitlines() if line.startswith("Misslyckades:")]
    assert len(failure_lines) == len(bad), run.stderr
    for path, word in bad.values():
        [line] = [line for line in failure_lines if f" {path}: " in line]
        assert word in line
    assert "Traceback" not in run.stderr
    assert f"Tillagda: 1, ersatta: 0, oförändrade: 1, borttagna: 0, misslyckade: {len(bad)}" in run.stdout
    assert stored.read_bytes() == before
