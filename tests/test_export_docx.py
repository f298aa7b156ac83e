"""Word export of real drafts, read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import SEED_IDS, seed_path
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.draft.export_docx import export_docx


@pytest.fixture(scope="module")
def draft(seeded_assistant):
    return seeded_assistant.draft(
        seed_path("002").read_text(encoding="utf-8"), district="Skarpnäck", exclude_doc_ids=[SEED_IDS["001"]]
    )


def test_layout_sections_sources_and_header(draft, tmp_path: Path) -> None:
    path = export_docx(draft, tmp_path / "out" / "utlatande.docx")
    doc = Document(str(path))
    header = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert header["Handläggare"] == "[HANDLÄGGARE]"
    assert header["Till"] == "Skarpnäcks stadsdelsnämnd"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("Svar på skrivelse")
    for h in ("Förvaltningens förslag till beslut", "Förvaltningens synpunkter och förslag", "Källor"):
        assert h in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "[1]" in body
    sources = body.split("Källor", 1)[1]
    assert "Hässelby-Vällingby" in sources and "HV 2024/187" in sources


def test_flags_are_highlighted_and_commented(draft, tmp_path: Path) -> None:
    path = export_docx(draft, tmp_path / "utlatande.docx")
    doc = Document(str(path))
    confirm = [p for p in doc.paragraphs if p.text.startswith("Att bekräfta för Skarpnäck")]
    assert confirm
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in confirm[0].runs if r.text)
    comments = [c.text for c in doc.comments]
    assert any("Att bekräfta" in c for c in comments)
    assert any("Fyll i" in c for c in comments)
    placeholder_runs = [r for p in doc.paragraphs for r in p.runs if r.text == "[DATUM]"]
    assert placeholder_runs and placeholder_runs[0].font.highlight_color == WD_COLOR_INDEX.TURQUOISE


def test_no_precedent_draft_names_no_unrelated_documents(seeded_assistant, tmp_path: Path) -> None:
    draft = seeded_assistant.draft("Hur säkerställer nämnden att cykelbanorna snöröjs före klockan sju?", district="Farsta")
    assert draft.no_precedent
    doc = Document(str(export_docx(draft, tmp_path / "tom.docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Källor" not in headings and "Närmaste dokument i arkivet" not in headings
    assert any("Inget prejudikat hittades" in p.text for p in doc.paragraphs)
