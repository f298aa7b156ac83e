"""Word files (.docx): paragraphs and tables in document order, read from the document's XML.

Each paragraph, heading and table row becomes a line, and a heading starts a new block, as in the
text files. Text inside content controls, fields, hyperlinks and tracked insertions is read too,
which python-docx's ``Paragraph.text`` skips. Split out of :mod:`assistant.ingest.readers`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.text_reader import _short


def _read_docx(data: bytes, path: Path) -> list[str]:
    """Paragraphs and tables in document order; each paragraph, heading and table row is a line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, f"Word-filen är skadad eller inte en .docx-fil ({_short(exc)})") from None
    except Exception as exc:  # lxml errors on broken XML inside a valid zip
        raise IngestError(path, f"Word-filen kan inte läsas ({_short(exc)})") from None

    lines: list[str] = []
    body = document.element.body

    def paragraph_text(p) -> str:
        # Every w:t below the paragraph, so text in content controls, fields, hyperlinks and
        # tracked insertions is read too (python-docx's Paragraph.text skips some of them).
        # Tabs and breaks count only inside runs (w:tab also defines tab stops in w:pPr).
        parts = []
        for node in p.iter(_W_T, _W_TAB, _W_BR, _W_CR):
            if node.tag == _W_T:
                parts.append(node.text or "")
            elif node.getparent().tag == _W_R:
                parts.append("\t" if node.tag == _W_TAB else "\n")
        return "".join(parts)

    def children(parent, tags: tuple[str, ...]):
        """Child elements with these tags in order, looking inside content controls (w:sdt)."""
        for child in parent.iterchildren():
            if child.tag in tags:
                yield child
            elif child.tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    yield from children(content, tags)

    def cell_text(tc) -> str:
        texts = []
        for block in children(tc, (_W_P, _W_TBL)):
            if block.tag == _W_P:
                texts.append(paragraph_text(block).strip())
            else:
                texts.extend(" ".join(row) for row in table_rows(block))
        return " ".join(t for t in texts if t)

    def table_rows(tbl) -> list[list[str]]:
        # Merged cells appear once in the XML (gridSpan) or empty (vMerge), so none repeat.
        rows = []
        for tr in children(tbl, (_W_TR,)):
            cells = [text for text in (cell_text(tc) for tc in children(tr, (_W_TC,))) if text]
            if cells:
                rows.append(cells)
        return rows

    for block in children(body, (_W_P, _W_TBL)):
        if block.tag == _W_TBL:
            lines.extend("\t".join(cells) for cells in table_rows(block))
            lines.append("")
            continue
        paragraph = Paragraph(block, document)
        try:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
        except (KeyError, ValueError):
            style = ""
        if style.lower().startswith(("heading", "rubrik", "title")) and lines and lines[-1]:
            lines.append("")  # a heading starts a new block, as in the text files
        lines.append(paragraph_text(block))
    return ["\n".join(lines)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_TR, _W_TC, _W_R, _W_T = (_W + tag for tag in ("p", "tbl", "tr", "tc", "r", "t"))
_W_TAB, _W_BR, _W_CR = _W + "tab", _W + "br", _W + "cr"
_W_SDT, _W_SDT_CONTENT = _W + "sdt", _W + "sdtContent"
