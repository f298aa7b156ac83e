"""Word export of real drafts, read back with python-docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.helpers import SEED_IDS, seed_path
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.draft.export_docx import export_docx, export_markdown_docx
from assistant.draft.render import draft_title, source_title, to_markdown
from assistant.ingest.pipeline import process_file
from assistant.models import Citation, Draft, DraftSection, Flag, Inquiry, Paragraph, ParsedDocument, Passage
from assistant.settings import Settings


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
    assert not re.search(r"_[0-9a-f]{16}", sources)  # documents are named by title, not by file name


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


# ---------------------------------------------------------------------------------------------
# The deliverable: language, properties, letterhead, page numbers, sources, approval, edited text.
# These build a draft by hand over real parsed seed documents (no index, no embedding model).
# ---------------------------------------------------------------------------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HV_TITLE = "Svar på skrivelse från (L) angående RSU-grupper"
SK_TITLE = "Skrivelse angående RSU-grupper"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedDocument]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("export") / "data")
    return {n: process_file(seed_path(n), settings) for n in ("000", "001")}


def _cite(doc: ParsedDocument, cid: int) -> Citation:
    section = next(s for s in doc.sections if s.canonical == "Sammanfattning")
    return doc.citation(cid, section.body_start, section.body_start + 100, section.canonical)


@pytest.fixture
def hand_draft(seeds: dict[str, ParsedDocument]) -> Draft:
    return Draft(
        district="Hässelby-Vällingby",
        inquiry=Inquiry(text="Skrivelse om RSU-grupper.", kind="skrivelse", parties=["L"], title="RSU-grupper"),
        sections=[
            DraftSection(
                heading="Förvaltningens förslag till beslut",
                paragraphs=[Paragraph(text="Stadsdelsnämnden godkänner förvaltningens tjänsteutlåtande.", role="formula")],
            ),
            DraftSection(
                heading="Förvaltningens synpunkter och förslag",
                paragraphs=[
                    Paragraph(text="Förvaltningen samverkar med skolan om RSU-grupper [1].", citations=[1]),
                    Paragraph(
                        text="I Skarpnäck finns en CSU-grupp [2].",
                        role="local",
                        citations=[2],
                        flags=[Flag(kind="att_bekrafta", message="Gäller det även Hässelby-Vällingby?")],
                    ),
                ],
            ),
        ],
        citations=[_cite(seeds["000"], 1), _cite(seeds["001"], 2)],
        flags=[Flag(kind="position", message="Förvaltningen tar ställning till skrivelsen.")],
    )


def _lang(rpr) -> str | None:
    lang = None if rpr is None else rpr.find(f"{W}lang")
    return None if lang is None else lang.get(f"{W}val")


def _header(doc) -> str:
    return "\n".join(p.text for p in doc.sections[0].header.paragraphs)


def _field_codes(paragraph) -> list[str]:
    return [t.text.strip() for t in paragraph._p.iter(f"{W}instrText")]


def _sources(doc) -> str:
    texts = [p.text for p in doc.paragraphs]
    return "\n".join(texts[texts.index("Källor") + 1 :])


def _assert_common_setup(doc, *, district: str, dnr: str, date: str, title: str, author: str) -> None:
    """What both exports share: Swedish, core properties, letterhead and page numbers."""
    styles = doc.styles.element
    assert _lang(styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")) == "sv-SE"
    for name in ("Normal", "Heading 1", "Heading 2"):
        assert _lang(doc.styles[name].element.rPr) == "sv-SE", name
    props = doc.core_properties
    assert (props.title, props.author, props.language) == (title, author, "sv-SE")
    assert "generated by python-docx" not in props.comments
    header = _header(doc)
    assert district in header and f"Dnr {dnr}" in header and date in header
    footer = doc.sections[0].footer.paragraphs[0]
    assert _field_codes(footer) == ["PAGE", "NUMPAGES"]
    assert footer.text == "Sida 1 (1)"


def test_docx_is_swedish_with_properties_letterhead_and_page_numbers(hand_draft: Draft, tmp_path: Path) -> None:
    path = export_docx(hand_draft, tmp_path / "u.docx", author="Anna Svensson", dnr="HV 2024/187", date="2024-05-23")
    doc = Document(str(path))
    _assert_common_setup(
        doc, district="Hässelby-Vällingby stadsdelsförvaltning", dnr="HV 2024/187", date="2024-05-23",
        title=draft_title(hand_draft), author="Anna Svensson",
    )
    assert "HV 2024/187" in doc.core_properties.keywords
    header_block = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert header_block["Handläggare"] == "Anna Svensson" and header_block["Diarienummer"] == "HV 2024/187"
    assert header_block["Telefon"] == "[TELEFON]"


def test_unknown_dnr_and_date_are_placeholders_and_the_assistant_is_the_author(hand_draft: Draft, tmp_path: Path) -> None:
    doc = Document(str(export_docx(hand_draft, tmp_path / "u.docx")))
    assert "Dnr [DIARIENUMMER]" in _header(doc) and "[DATUM]" in _header(doc)
    assert doc.core_properties.author == "Utlåtandeassistenten"


def test_sources_are_named_by_title_district_date_and_dnr(hand_draft: Draft, tmp_path: Path) -> None:
    doc = Document(str(export_docx(hand_draft, tmp_path / "u.docx")))
    sources = _sources(doc).splitlines()
    assert sources[0].startswith(f"[1] {HV_TITLE}, Hässelby-Vällingby, 2024-05-23, Dnr HV 2024/187, avsnitt ”Sammanfattning”")
    assert sources[1].startswith(f"[2] {SK_TITLE}, Skarpnäck, 2024-04-18")
    assert not any(re.search(r"[0-9a-f]{16}|\.txt", s) for s in sources)


def test_citations_carry_the_document_title(seeds: dict[str, ParsedDocument]) -> None:
    doc = seeds["000"]
    passage = Passage(**doc.chunk("c1", 0, 200, "Förvaltningens förslag till beslut").model_dump(), score=1.0)
    assert Citation.from_passage(1, passage).title == HV_TITLE == _cite(doc, 1).title
    untitled = _cite(doc, 1).model_copy(update={"title": None})
    assert source_title(untitled) == "000.txt"  # no title known: the file name, without its hash


def test_flags_stay_word_comments(hand_draft: Draft, tmp_path: Path) -> None:
    doc = Document(str(export_docx(hand_draft, tmp_path / "u.docx")))
    comments = [c.text for c in doc.comments]
    assert any("Gäller det även Hässelby-Vällingby?" in c for c in comments)
    assert "Förvaltningen tar ställning till skrivelsen." in comments
    note = next(p for p in doc.paragraphs if p.text.startswith("☐ Ståndpunkt att besluta"))
    assert note.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_approved_export_names_approver_and_day(hand_draft: Draft, tmp_path: Path) -> None:
    # Approved 00:30 in Stockholm, recorded by the review store in UTC the evening before.
    path = export_docx(hand_draft, tmp_path / "u.docx", approved_by="Bo Berg", approved_at="2024-05-23T22:30:00+00:00", status="godkänd")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index(draft_title(hand_draft)) + 1] == "Godkänd av Bo Berg 2024-05-24"
    assert "GODKÄND" in _header(doc) and "UTKAST" not in _header(doc)
    assert not any("UTKAST" in t for t in texts)
    assert doc.core_properties.content_status == "Godkänd"


def test_draft_export_says_it_is_not_approved(hand_draft: Draft, tmp_path: Path) -> None:
    doc = Document(str(export_docx(hand_draft, tmp_path / "u.docx", status="för granskning")))
    assert "UTKAST – ej godkänt" in _header(doc) and "GODKÄND" not in _header(doc)
    assert "UTKAST – ej godkänt (för granskning)" in [p.text for p in doc.paragraphs]
    assert not any("Godkänd av" in p.text for p in doc.paragraphs)
    assert doc.core_properties.content_status == "Utkast"


@pytest.mark.parametrize(
    "approval",
    [
        {"approved_by": "Bo Berg"},
        {"approved_at": "2024-05-23"},
        {"status": "godkänd"},
        {"approved_by": "Bo Berg", "approved_at": "2024-05-23", "status": "utkast"},
    ],
)
def test_an_approval_that_does_not_add_up_is_refused(hand_draft: Draft, tmp_path: Path, approval: dict) -> None:
    with pytest.raises(ValueError):
        export_docx(hand_draft, tmp_path / "u.docx", **approval)
    assert not (tmp_path / "u.docx").exists()


def test_markdown_export_reproduces_the_edited_version(hand_draft: Draft, tmp_path: Path) -> None:
    markdown = to_markdown(hand_draft)
    markdown = markdown.replace("**Handläggare:** [HANDLÄGGARE]", "**Handläggare:** Anna Svensson")
    markdown = markdown.replace(
        "Förvaltningen samverkar med skolan om RSU-grupper [1].",
        "Förvaltningen **samverkar** med _skolan_ om\nRSU-grupper [1]. <b>Inte HTML</b>\n\n- första punkten\n- andra punkten",
    )
    markdown = re.sub(r"(?m)^\[2\] .*$", "[2] 001_d439524d20ce7a6b.txt, Skarpnäck: ”…”", markdown)  # an older version's list
    path = export_markdown_docx(
        markdown, tmp_path / "v2.docx", title="Svar om RSU-grupper", district="Hässelby-Vällingby",
        citations=hand_draft.citations, dnr="HV 2024/187", approved_by="Bo Berg", approved_at="2024-05-24",
    )
    doc = Document(str(path))
    _assert_common_setup(
        doc, district="Hässelby-Vällingby stadsdelsförvaltning", dnr="HV 2024/187", date="[DATUM]",
        title="Svar om RSU-grupper", author="Anna Svensson",
    )
    header_block = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert header_block["Handläggare"] == "Anna Svensson" and header_block["Diarienummer"] == "HV 2024/187"
    assert header_block["Till"] == "Hässelby-Vällingby stadsdelsnämnd"
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", draft_title(hand_draft)),
        ("Heading 2", "Förvaltningens förslag till beslut"),
        ("Heading 2", "Förvaltningens synpunkter och förslag"),
        ("Heading 2", "Källor"),
    ]
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "Godkänd av Bo Berg 2024-05-24" and "GODKÄND" in _header(doc)
    assert "Förvaltningen samverkar med skolan om RSU-grupper [1]. <b>Inte HTML</b>" in texts
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["första punkten", "andra punkten"]
    assert not any("**" in t for t in texts)
    flag = next(p for p in doc.paragraphs if p.text.startswith("☐ Att bekräfta"))
    assert flag.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert "Gäller det även Hässelby-Vällingby?" in [c.text for c in doc.comments]
    sources = _sources(doc)
    assert HV_TITLE in sources and SK_TITLE in sources and "d439524d20ce7a6b" not in sources


def test_markdown_without_a_title_line_gets_the_given_title(tmp_path: Path) -> None:
    markdown = "Första raden  \nandra raden\nsamma stycke.\n\n## Rubrik\n\nText med `kod` och \\*stjärna\\*.\n"
    doc = Document(str(export_markdown_docx(markdown, tmp_path / "v.docx", title="Svar om holkar", district=None)))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs == [
        ("Heading 1", "Svar om holkar"),
        ("Normal", "UTKAST – ej godkänt"),
        ("Normal", "Första raden\nandra raden samma stycke."),
        ("Heading 2", "Rubrik"),
        ("Normal", "Text med kod och *stjärna*."),
    ]
    assert "[STADSDELSFÖRVALTNING]" in _header(doc) and "UTKAST" in _header(doc)
