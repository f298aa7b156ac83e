"""Document store, pipeline and `assistant inspect/ingest/documents/remove` on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import SEED_DIR, SEED_IDS, seed_path
from tests.pdfmaker import make_pdf

from assistant.ingest.readers import normalise_text
from assistant.ingest.pipeline import ingest_paths, process_file
from assistant.ingest.redact import PERSONNUMMER_MARKER
from assistant.ingest import store as store_module
from assistant.ingest.store import DocumentStore, source_key
from assistant.models import DocumentMetadata, ParsedDocument, Section
from assistant.settings import Settings

ASSISTANT = Path(sys.executable).parent / "assistant"

ANSWER = """Tjänsteutlåtande
Dnr SK 2025/42
2025-03-14

Svar på skrivelse om simundervisning

Förslag till beslut
1. Stadsdelsnämnden godkänner förvaltningens svar på skrivelsen.

Ärendet
Ledamoten Eva Exempel (L) har ställt frågor om simundervisningen för barnet {pnr} och andra elever.

Förvaltningens synpunkter
Förvaltningen samverkar med skolorna. Handläggare: Kim Berg, telefon 08-508 123 45.
"""


def _doc(doc_id: str, source: str, text: str = "Ärendet\nText.\n", content_hash: str = "h1") -> ParsedDocument:
    return ParsedDocument(
        doc_id=doc_id,
        source=source,
        content_hash=content_hash,
        metadata=DocumentMetadata(district="Skarpnäck", kind="tjänsteutlåtande"),
        sections=[Section(heading="Ärendet", canonical="Ärendet", start=0, end=len(text), body_start=8)],
        text=text,
    )


# ---------------------------------------------------------------------------------------------
# store
# ---------------------------------------------------------------------------------------------
def test_store_put_get_all_delete_and_manifest(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents")
    src = tmp_path / "in" / "000_abc.txt"
    doc = _doc(store.doc_id_for(src), str(src))
    assert doc.doc_id == "000_abc"
    store.put(doc)

    assert store.get("000_abc") == doc
    assert store.ids() == ["000_abc"] and store.all() == [doc]
    assert store.by_source(src) == doc
    assert store.entry(src) == {"doc_id": "000_abc", "content_hash": "h1"}
    manifest = json.loads((tmp_path / "documents" / "manifest.json").read_text())
    assert manifest["sources"] == {source_key(src): {"doc_id": "000_abc", "content_hash": "h1"}}
    # no temp files left behind by the atomic writes
    assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == ["000_abc.json", "manifest.json"]

    assert store.delete("000_abc") is True
    assert store.get("000_abc") is None and store.by_source(src) is None and store.ids() == []
    assert store.delete("000_abc") is False


def test_same_stem_from_another_folder_gets_a_suffix(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents")
    first, second = tmp_path / "a" / "svar.txt", tmp_path / "b" / "svar.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text("x")
    store.put(_doc(store.doc_id_for(first), str(first)))
    other = store.doc_id_for(second)
    assert other.startswith("svar_") and other != "svar"
    store.put(_doc(other, str(second)))
    assert store.doc_id_for(first) == "svar" and store.doc_id_for(second) == other
    assert store.by_source(second).doc_id == other
    # a stem with spaces and slashes-free punctuation still makes a safe file name
    assert store.doc_id_for(tmp_path / "Svar på skrivelse (L) #2.docx") == "Svar_på_skrivelse_L_2"


def test_moved_folder_keeps_its_doc_ids(settings: Settings, tmp_path: Path) -> None:
    old = tmp_path / "gammal"
    old.mkdir()
    (old / "svar.txt").write_text(ANSWER.format(pnr="x"), encoding="utf-8")
    store = DocumentStore(settings.documents_dir)
    assert ingest_paths([old], settings, store).added == ["svar"]
    new = old.rename(tmp_path / "ny")
    report = ingest_paths([new], settings, store)
    assert report.replaced == ["svar"] and report.added == []
    assert store.ids() == ["svar"] and store.get("svar").source == source_key(new / "svar.txt")
    assert list(store.manifest()) == [source_key(new / "svar.txt")]


def test_another_file_with_a_vanished_files_name_does_not_replace_it(settings: Settings, tmp_path: Path) -> None:
    first = tmp_path / "uppladdning1" / "svar.txt"
    first.parent.mkdir()
    first.write_text(ANSWER.format(pnr="x"), encoding="utf-8")
    store = DocumentStore(settings.documents_dir)
    assert ingest_paths([first], settings, store).added == ["svar"]
    first.unlink()  # e.g. an upload's temporary file
    second = tmp_path / "uppladdning2" / "svar.txt"
    second.parent.mkdir()
    second.write_text("Yttrande\n\nEtt helt annat svar.\n", encoding="utf-8")
    report = ingest_paths([second], settings, store)
    [new_id] = report.added
    assert new_id.startswith("svar_") and sorted(store.ids()) == sorted(["svar", new_id])
    assert "simundervisning" in store.get("svar").text


def test_a_copy_of_a_stored_file_is_reported_as_duplicate(settings: Settings, tmp_path: Path) -> None:
    original = tmp_path / "a" / "svar.txt"
    original.parent.mkdir()
    original.write_text(ANSWER.format(pnr="x"), encoding="utf-8")
    copy = tmp_path / "b" / "kopia.txt"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    (tmp_path / "b" / "~$kopia.docx").write_bytes(b"lock")  # Word's lock file: not a document
    store = DocumentStore(settings.documents_dir)
    assert ingest_paths([original], settings, store).added == ["svar"]
    report = ingest_paths([tmp_path / "b"], settings, store)
    assert report.ok and report.added == [] and report.duplicates == [(str(copy), "svar")]
    assert store.ids() == ["svar"]


def test_manifest_is_rebuilt_from_documents(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    store = DocumentStore(root)
    src = tmp_path / "x.txt"
    store.put(_doc("x", str(src)))
    (root / "manifest.json").write_text("{ trasig")
    assert DocumentStore(root).entry(src) == {"doc_id": "x", "content_hash": "h1"}
    (root / "manifest.json").unlink()
    assert DocumentStore(root).doc_id_for(src) == "x"


def test_failed_write_keeps_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "documents"
    store = DocumentStore(root)
    src = tmp_path / "x.txt"
    store.put(_doc("x", str(src), text="Ärendet\nGammal.\n"))

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        store.put(_doc("x", str(src), text="Ärendet\nNy text.\n", content_hash="h2"))
    monkeypatch.undo()
    assert DocumentStore(root).get("x").text == "Ärendet\nGammal.\n"
    assert sorted(p.name for p in root.iterdir()) == ["manifest.json", "x.json"]


# ---------------------------------------------------------------------------------------------
# pipeline, without an index
# ---------------------------------------------------------------------------------------------
def test_process_file_repairs_ocr_damaged_seed(settings: Settings) -> None:
    doc = process_file(seed_path("002"), settings)
    assert doc.doc_id == SEED_IDS["002"]
    assert doc.ocr_damaged and doc.repairs > 20
    assert "socialtjänsten" in doc.text and "socialtjdnsten" not in doc.text
    assert doc.metadata.real_public_record is True
    assert doc.content_hash == __import__("hashlib").sha256(seed_path("002").read_bytes()).hexdigest()


def test_ocr_damaged_pdf_is_repaired_page_by_page_like_the_text(settings: Settings, tmp_path: Path) -> None:
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    pdf = make_pdf(tmp_path / "skrivelse.pdf", [lines[:half], lines[half:]])
    from_pdf, from_txt = process_file(pdf, settings), process_file(seed_path("002"), settings)
    assert from_pdf.ocr_damaged and from_pdf.repairs == from_txt.repairs
    assert from_pdf.text.split() == from_txt.text.split()
    second = from_pdf.text[from_pdf.page_starts[1] :]
    assert second.split() == from_txt.text.split()[-len(second.split()) :]


def test_clean_seed_is_not_repaired_and_sections_index_text(settings: Settings) -> None:
    doc = process_file(seed_path("000"), settings)
    assert not doc.ocr_damaged
    assert doc.repairs == 0 and doc.redactions == 0
    # clean text passes through unchanged but for the readers' normal form
    assert doc.text == normalise_text(seed_path("000").read_text(encoding="utf-8"))
    assert doc.sections, "the parser found sections"
    for s in doc.sections:
        assert doc.text[s.start : s.end].startswith(s.heading)


def test_a_copy_of_a_seed_is_not_a_real_public_record(settings: Settings, tmp_path: Path) -> None:
    copy = tmp_path / seed_path("000").name
    copy.write_text(seed_path("000").read_text(encoding="utf-8") + "\nTillägg.\n", encoding="utf-8")
    assert process_file(copy, settings).metadata.real_public_record is False


def test_personnummer_redacted_and_pdf_pages_stay_exact(settings: Settings, tmp_path: Path) -> None:
    page1 = ANSWER.format(pnr="19121212-1212").splitlines()
    pdf = make_pdf(tmp_path / "svar.pdf", [page1, ["Bilaga", "Elevens samordningsnummer 701063-2391."]])
    doc = process_file(pdf, settings)
    assert doc.redactions == 2
    assert "1212" not in doc.text and "701063" not in doc.text
    assert PERSONNUMMER_MARKER in doc.text
    assert doc.page_starts is not None and len(doc.page_starts) == 2
    assert doc.text[doc.page_starts[1] :].startswith("Bilaga\n")
    assert doc.page_at(doc.text.index("Bilaga")) == 2
    assert doc.page_at(doc.text.index(PERSONNUMMER_MARKER)) == 1
    assert "08-508 123 45" in doc.text and "SK 2025/42" in doc.text


def test_ingest_is_idempotent_replaces_and_removes(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "arkiv"
    (folder / "under").mkdir(parents=True)
    one = folder / "svar_ett.txt"
    two = folder / "under" / "svar_två.md"
    one.write_text(ANSWER.format(pnr="121212-1212"), encoding="utf-8")
    two.write_text("# Tjänsteutlåtande\n\n## Ärendet\n\nEn fråga om parker.\n", encoding="utf-8")
    (folder / ".dold.txt").write_text("hemlig", encoding="utf-8")
    (folder / "records.json").write_text("{}", encoding="utf-8")
    (folder / "bild.png").write_bytes(b"\x89PNG")
    store = DocumentStore(settings.documents_dir)
    seen: list[tuple[int, int, str]] = []

    report = ingest_paths([folder], settings, store, progress=lambda d, t, n: seen.append((d, t, n)))
    assert report.ok and sorted(report.added) == ["svar_ett", "svar_två"]
    assert seen == [(0, 2, "svar_ett.txt"), (1, 2, "svar_två.md"), (2, 2, "")]
    stored = (settings.documents_dir / "svar_ett.json").read_text(encoding="utf-8")
    assert "121212-1212" not in stored and PERSONNUMMER_MARKER in stored

    again = ingest_paths([folder], settings, store)
    assert again.added == [] and sorted(again.unchanged) == ["svar_ett", "svar_två"]

    one.write_text(ANSWER.format(pnr="ingen") + "\nTillägg.\n", encoding="utf-8")
    two.unlink()
    third = ingest_paths([folder], settings, store)
    assert third.replaced == ["svar_ett"] and third.removed == ["svar_två"] and third.unchanged == []
    assert store.ids() == ["svar_ett"] and "Tillägg." in store.get("svar_ett").text


# ---------------------------------------------------------------------------------------------
# with the real index
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embeddings():
    from assistant.index.embeddings import make_embeddings

    return make_embeddings(Settings())


@pytest.mark.slow
def test_index_and_store_stay_in_step(tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.index.indexer import SearchIndex

    settings = Settings(data_dir=tmp_path / "data")
    store = DocumentStore(settings.documents_dir)
    index = SearchIndex(settings, embeddings)
    path = tmp_path / "svar.txt"
    path.write_text(ANSWER.format(pnr="121212-1212"), encoding="utf-8")

    assert ingest_paths([path], settings, store, index).added == ["svar"]
    assert index.has_document("svar")
    assert all("121212" not in c.text for c in index.chunks_for("svar"))

    # The index lost the document (e.g. rebuilt): an unchanged file is indexed again.
    index.remove_document("svar")
    assert ingest_paths([path], settings, store, index).added == ["svar"]
    assert index.has_document("svar")
    assert ingest_paths([path], settings, store, index).unchanged == ["svar"]

    # Storing the new version fails (disk full): the index goes back to the stored version.
    path.write_text(ANSWER.format(pnr="x") + "\nEn helt ny mening om badhus.\n", encoding="utf-8")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "atomic_write_text", disk_full)
    report = ingest_paths([path], settings, store, index)
    monkeypatch.undo()
    assert [p for p, _ in report.failed] == [str(path)] and "kunde inte sparas" in report.failed[0][1]
    assert index.has_document("svar")
    assert "badhus" not in " ".join(c.text for c in index.chunks_for("svar"))
    assert "badhus" not in store.get("svar").text

    # A new document whose storing fails is removed from the index again.
    new = tmp_path / "nytt.txt"
    new.write_text(ANSWER.format(pnr="x"), encoding="utf-8")
    monkeypatch.setattr(store_module, "atomic_write_text", disk_full)
    report = ingest_paths([new], settings, store, index)
    monkeypatch.undo()
    assert [p for p, _ in report.failed] == [str(new)]
    assert not index.has_document("nytt") and store.get("nytt") is None

    # Indexing fails half-way (vectors written, keyword catalogue not): the stored version's
    # vectors are put back, not left mixed with the new version's.
    from assistant.index.indexer import text_hash

    path.write_text(ANSWER.format(pnr="x").replace("med skolorna", "med badhusen och simklubbarna"), encoding="utf-8")
    monkeypatch.setattr(index.keyword, "add", disk_full)
    report = ingest_paths([path], settings, store, index)
    monkeypatch.undo()
    assert "sökindexet kunde inte uppdateras" in report.failed[0][1]
    assert set(index.vector.vectors_for("svar")) == {text_hash(c.text) for c in index.chunk(store.get("svar"))}
    assert "simklubbarna" not in " ".join(c.text for c in index.chunks_for("svar"))


@pytest.mark.slow
def test_cli_ingest_inspect_documents_remove(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ASSISTANT), *args], capture_output=True, text=True, env=env, timeout=300)

    inspected = run("inspect", str(seed_path("002")), "--json")
    assert inspected.returncode == 0, inspected.stderr
    payload = json.loads(inspected.stdout)
    assert set(payload) == {"metadata", "sections", "text", "repairs", "redactions"}
    assert payload["repairs"] > 20 and "socialtjänsten" in payload["text"]
    for s in payload["sections"]:
        assert payload["text"][s["start"] : s["end"]].startswith(s["heading"])
    readable = run("inspect", str(seed_path("000")))
    assert readable.returncode == 0 and "Avsnitt" in readable.stdout and "Verklig allmän handling" in readable.stdout

    path = tmp_path / "svar.txt"
    path.write_text(ANSWER.format(pnr="121212-1212"), encoding="utf-8")
    first = run("ingest", str(path), str(seed_path("004")))
    assert first.returncode == 0, first.stderr
    assert "Tillagda: 2" in first.stdout
    assert "oförändrade: 2" in run("ingest", str(path), str(seed_path("004"))).stdout

    listed = json.loads(run("documents", "--json").stdout)
    assert sorted(d["doc_id"] for d in listed) == sorted(["svar", SEED_IDS["004"]])
    assert "svar" in run("documents").stdout

    assert run("remove", "svar").returncode == 0
    assert [d["doc_id"] for d in json.loads(run("documents", "--json").stdout)] == [SEED_IDS["004"]]
    missing = run("remove", "svar")
    assert missing.returncode == 1 and "svar" in missing.stderr


@pytest.mark.slow
def test_seed_folder_ingests_without_failures(seeded_assistant) -> None:
    store = seeded_assistant.store
    assert sorted(store.ids()) == sorted(SEED_IDS.values())
    assert all(store.get(i).metadata.real_public_record for i in store.ids())
    assert all(seeded_assistant.index.has_document(i) for i in store.ids())
    assert "records.json" not in {Path(d.source).name for d in store.all()}
    assert SEED_DIR.exists()
