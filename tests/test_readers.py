"""Readers on real files of every supported format, written by the tests."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from tests.pdfmaker import encrypt_pdf, make_pdf

from assistant.errors import IngestError
from assistant.ingest.readers import decode_text, read_document

MAX = 10 * 1024 * 1024
SWEDISH = "Stadsdelsnämnden ska yttra sig över förslaget om åtgärder för elever i RSU-grupper."


def test_pdf_text_and_page_starts(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "utlatande.pdf",
        [["Tjänsteutlåtande", "Dnr HV 2024/187", "Förslag till beslut"], ["Ärendet", "Sida två: ÅÄÖ åäö é"]],
    )
    raw = read_document(pdf, MAX)
    assert raw.format == "pdf"
    assert raw.page_starts is not None and len(raw.page_starts) == 2
    first, second = raw.page_starts
    assert first == 0
    assert raw.text[second:].startswith("Ärendet\n")
    assert "Tjänsteutlåtande\nDnr HV 2024/187\nFörslag till beslut\n" in raw.text[:second]
    assert "ÅÄÖ åäö é" in raw.text


def test_pdf_page_numbers_and_running_heads_are_removed(tmp_path: Path) -> None:
    head = ["Skarpnäcks stadsdelsförvaltning", "Tjänsteutlåtande", "Dnr SK 2025/42"]
    pages = [
        [*head, "Sida 1 (3)", "Förslag till beslut", "Nämnden godkänner svaret."],
        [*head, "Sida 2 (3)", "Ärendet", "Skrivelsen gäller 2 frågor.", "2"],
        [*head, "Sida 3 (3)", "Bilagor", "1. Skrivelse"],
    ]
    raw = read_document(make_pdf(tmp_path / "tre.pdf", pages), MAX)
    starts = raw.page_starts
    assert raw.text[: starts[1]].startswith("Skarpnäcks stadsdelsförvaltning\nTjänsteutlåtande\nDnr SK 2025/42\n")
    assert raw.text[starts[1] : starts[2]] == "Ärendet\nSkrivelsen gäller 2 frågor.\n\n"
    assert raw.text[starts[2] :] == "Bilagor\n1. Skrivelse\n"
    assert "Sida" not in raw.text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_restricted_pdf_opens_but_password_protected_is_refused(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", [["Yttrande över motionen", "Nämnden tillstyrker."]])
    restricted = encrypt_pdf(plain, tmp_path / "restricted.pdf", password="", algorithm=algorithm)
    assert read_document(restricted, MAX).text == "Yttrande över motionen\nNämnden tillstyrker.\n"
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", password="hemligt", algorithm=algorithm)
    with pytest.raises(IngestError, match="lösenordsskyddad"):
        read_document(locked, MAX)


def test_docx_paragraphs_tables_and_headings_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Tjänsteutlåtande", level=1)
    document.add_paragraph("Förslag till beslut")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Handläggare"
    table.cell(0, 1).text = "Telefon"
    table.cell(1, 0).text = "Åsa Öberg"
    table.cell(1, 1).text = "08-508 059 05"
    document.add_heading("Ärendet", level=2)
    document.add_paragraph("Skrivelsen från Liberalerna gäller samverkan.")
    path = tmp_path / "svar.docx"
    document.save(path)

    raw = read_document(path, MAX)
    lines = raw.text.splitlines()
    assert raw.format == "docx" and raw.page_starts is None
    order = ["Tjänsteutlåtande", "Förslag till beslut", "Handläggare\tTelefon", "Åsa Öberg\t08-508 059 05", "Ärendet"]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
    assert lines[lines.index("Ärendet") - 1] == "", "a heading starts its own block"
    assert lines[-1] == "Skrivelsen från Liberalerna gäller samverkan."


def test_docx_content_controls_merged_cells_and_tab_stops(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("Tjänsteutlåtande")
    # A block-level content control (Stockholm's templates keep Dnr and date in them) ...
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent>"
        "<w:p><w:r><w:t>Dnr SK 2025/42</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, sdt)
    # ... an inline one, and tab stops in the paragraph properties that are not text.
    inline = parse_xml(
        f"<w:p {nsdecls('w')}><w:pPr><w:tabs><w:tab w:val='left' w:pos='4000'/></w:tabs></w:pPr>"
        "<w:r><w:t xml:space='preserve'>Datum: </w:t></w:r>"
        "<w:sdt><w:sdtContent><w:r><w:t>2025-03-14</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:r><w:tab/><w:t>Sida 1</w:t></w:r></w:p>"
    )
    document.element.body.insert(2, inline)
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Beslut"
    table.cell(1, 0).text = "Godkänt"
    path = tmp_path / "mall.docx"
    document.save(path)

    lines = read_document(path, MAX).text.splitlines()
    assert lines[:3] == ["Tjänsteutlåtande", "Dnr SK 2025/42", "Datum: 2025-03-14\tSida 1"]
    assert "Beslut" in lines and "Godkänt" in lines


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_txt_encodings_give_swedish_letters(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"text-{encoding}.txt"
    path.write_bytes(f"{SWEDISH}\r\nÅtgärd: Öka stödet.\r\n".encode(encoding))
    raw = read_document(path, MAX)
    assert raw.text == f"{SWEDISH}\nÅtgärd: Öka stödet.\n"


def test_short_cp1252_text_is_not_taken_for_another_code_page(tmp_path: Path) -> None:
    # charset-normalizer alone calls this cp775/Mac Roman; the Swedish-letter check must win.
    for text in ("Kort: både och", "Hälsa på dig"):
        assert decode_text(text.encode("cp1252"), tmp_path / "x.txt") == text


def test_txt_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "a\u0308ndring och o\u0308versyn"  # "ändring och översyn" with combining marks
    path = tmp_path / "nfd.txt"
    path.write_text(decomposed, encoding="utf-8")
    assert read_document(path, MAX).text == "ändring och översyn\n"


def test_html_drops_scripts_and_makes_blocks_lines(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Sidans titel</title>'
        "<style>p { color: red }</style></head><body>"
        "<h1>Tjänsteutlåtande</h1><p>Första\n   stycket med <b>fet</b> text.<br>Ny rad</p>"
        "<nav><a href='/'>Startsida</a></nav><script>var x = 'hemligt';</script><div>Ärendet</div>"
        "<div hidden>dold text</div>"
        "<ul><li>punkt ett</li><li>punkt två</li></ul></body></html>"
    )
    path = tmp_path / "sida.html"
    path.write_bytes(html.encode("cp1252"))
    raw = read_document(path, MAX)
    lines = [line for line in raw.text.splitlines() if line]
    assert lines == [
        "Tjänsteutlåtande",
        "Första stycket med fet text.",
        "Ny rad",
        "Ärendet",
        "- punkt ett",
        "- punkt två",
    ]
    assert "hemligt" not in raw.text and "color" not in raw.text and "Startsida" not in raw.text


def test_markdown_becomes_plain_text_with_heading_lines(tmp_path: Path) -> None:
    path = tmp_path / "svar.md"
    path.write_text(
        "# Tjänsteutlåtande\n\n## Förslag till beslut\n\nNämnden *godkänner* "
        "[förvaltningens svar](http://x).\n\n- första\n- andra\n",
        encoding="utf-8",
    )
    raw = read_document(path, MAX)
    lines = [line for line in raw.text.splitlines() if line]
    assert lines == [
        "Tjänsteutlåtande",
        "Förslag till beslut",
        "Nämnden godkänner förvaltningens svar.",
        "- första",
        "- andra",
    ]
    assert "#" not in raw.text and "*" not in raw.text


def test_markdown_front_matter_stays_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "fm.md"
    path.write_text("---\ntitel: Svar på skrivelse\ndatum: 2025-03-14\n---\n# Ärendet\n\nText.\n", encoding="utf-8")
    lines = [line for line in read_document(path, MAX).text.splitlines() if line]
    assert lines == ["titel: Svar på skrivelse", "datum: 2025-03-14", "Ärendet", "Text."]


def test_line_endings_and_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes("rad ett\rrad två\r\n\r\n\r\n\r\nrad tre\x0bfyra\x07\n".encode())
    assert read_document(path, MAX).text == "rad ett\nrad två\n\nrad tre\nfyra\n"


def test_unsupported_extension_named_in_reason(tmp_path: Path) -> None:
    path = tmp_path / "tabell.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(IngestError) as err:
        read_document(path, MAX)
    assert err.value.path == str(path)
    assert "stöds inte" in err.value.reason


def test_size_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    path.write_text("a" * 2000)
    with pytest.raises(IngestError, match="för stor"):
        read_document(path, 1000)
