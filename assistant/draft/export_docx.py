"""Word export of a draft in the tjänsteutlåtande layout.

Header block (handläggare, telefon, till, datum, diarienummer) with explicit placeholders, title,
the city's sections as headings, paragraphs with [n] markers, a numbered "Källor" list, and every
flag both highlighted in the text and attached as a Word comment so it survives into review.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from assistant.draft.render import HEADER_PLACEHOLDERS, citation_line, draft_title, flag_label
from assistant.draft import districts
from assistant.models import Draft, Paragraph

COMMENT_AUTHOR = "Utlåtandeassistenten"
_HIGHLIGHT = {
    "unsupported": WD_COLOR_INDEX.PINK,
    "invalid_citation": WD_COLOR_INDEX.PINK,
    "att_bekrafta": WD_COLOR_INDEX.YELLOW,
    "placeholder": WD_COLOR_INDEX.TURQUOISE,
    "outdated_law": WD_COLOR_INDEX.BRIGHT_GREEN,
    "no_precedent": WD_COLOR_INDEX.GRAY_25,
    "att_uppdatera": WD_COLOR_INDEX.YELLOW,
    "suspect_law": WD_COLOR_INDEX.PINK,
    "position": WD_COLOR_INDEX.YELLOW,
}
_PLACEHOLDER_RE = re.compile(r"(\[[A-ZÅÄÖ][A-ZÅÄÖ ,.\-a-zåäö]*\])")


def export_docx(draft: Draft, path: str | Path) -> Path:
    """Write ``draft`` as a .docx file at ``path`` and return the path."""
    path = Path(path)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    receiver = districts.committee(draft.district)
    header = doc.add_table(rows=0, cols=2)
    for label, value in (*HEADER_PLACEHOLDERS, ("Till", receiver)):
        cells = header.add_row().cells
        cells[0].text = label
        _add_text(cells[1].paragraphs[0], value)

    doc.add_heading(draft_title(draft), level=1)
    for flag in draft.flags:
        if flag.kind == "placeholder":
            continue
        para = doc.add_paragraph()
        run = para.add_run(flag_label(flag))
        run.font.highlight_color = _HIGHLIGHT.get(flag.kind)
        doc.add_comment(run, text=flag.message, author=COMMENT_AUTHOR, initials="UA")

    for section in draft.sections:
        doc.add_heading(section.heading, level=2)
        for p in section.paragraphs:
            _add_paragraph(doc, p)

    if draft.citations:
        doc.add_heading("Källor", level=2)
        for c in draft.citations:
            doc.add_paragraph(citation_line(c))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _add_text(para, text: str):
    """Add ``text`` to a paragraph, highlighting [PLACEHOLDERS]; returns the runs added."""
    runs = []
    for piece in _PLACEHOLDER_RE.split(text):
        if not piece:
            continue
        run = para.add_run(piece)
        if _PLACEHOLDER_RE.fullmatch(piece):
            run.font.highlight_color = _HIGHLIGHT["placeholder"]
        runs.append(run)
    return runs


def _add_paragraph(doc, p: Paragraph) -> None:
    para = doc.add_paragraph()
    runs = _add_text(para, p.text)
    if not p.flags or not runs:
        return
    kinds = [f.kind for f in p.flags]
    colour = next((_HIGHLIGHT[k] for k in ("unsupported", "invalid_citation", "suspect_law", "att_bekrafta", "position", "att_uppdatera", "outdated_law") if k in kinds), None)
    if colour is not None:
        for run in runs:
            if run.font.highlight_color is None:
                run.font.highlight_color = colour
    for flag in p.flags:
        doc.add_comment(runs, text=flag_label(flag), author=COMMENT_AUTHOR, initials="UA")
